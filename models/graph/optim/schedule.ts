/**
 * Learning-rate schedules, emitted as graph ops on the step counter (so the lr lives in
 * the train-step graph and a resumed run continues the same curve), plus the same
 * formula in TS (`lrAt`) for references, logs and tests.
 *
 * With s = updates applied so far (0-based):
 *   warmup (s < W):  lr · (s + 1) / W
 *   after:           p = clamp((s − W) / (T − W), 0, 1)
 *     cosine:        min + (lr − min) · ½ (1 + cos π p)
 *     linear:        lr + (min − lr) · p
 */
import type { Editor } from '../surgery/graphTools.ts';

export type Schedule =
  | { kind: 'constant'; lr: number }
  | { kind: 'cosine' | 'linear'; lr: number; warmup?: number; total: number; minLr?: number };

export function lrAt(s: Schedule, step: number): number {
  if (s.kind === 'constant') return s.lr;
  const w = s.warmup ?? 0;
  if (step < w) return (s.lr * (step + 1)) / w;
  const min = s.minLr ?? 0;
  const p = Math.min(1, Math.max(0, (step - w) / Math.max(1, s.total - w)));
  return s.kind === 'cosine' ? min + (s.lr - min) * 0.5 * (1 + Math.cos(Math.PI * p)) : s.lr + (min - s.lr) * p;
}

/** Emits the lr for the step held in scalar `step`; returns the lr tensor's name. */
export function emitSchedule(ed: Editor, step: string, s: Schedule, out?: string): string {
  if (s.kind === 'constant') return ed.op1('Identity', [ed.f32(s.lr, [], 'lr')], {}, out);
  const w = s.warmup ?? 0;
  const min = s.minLr ?? 0;
  const rel = ed.op1('Div', [ed.op1('Sub', [step, ed.f32(w)]), ed.f32(Math.max(1, s.total - w))]);
  const p = ed.op1('Clip', [rel, ed.f32(0), ed.f32(1)]);
  let decayed: string;
  if (s.kind === 'cosine') {
    const cos = ed.op1('Cos', [ed.op1('Mul', [p, ed.f32(Math.PI)])]);
    const half = ed.op1('Mul', [ed.op1('Add', [cos, ed.f32(1)]), ed.f32(0.5 * (s.lr - min))]);
    decayed = ed.op1('Add', [half, ed.f32(min)]);
  } else {
    decayed = ed.op1('Add', [ed.op1('Mul', [p, ed.f32(min - s.lr)]), ed.f32(s.lr)]);
  }
  if (w <= 0) return ed.op1('Identity', [decayed], {}, out);
  const warm = ed.op1('Mul', [ed.op1('Add', [step, ed.f32(1)]), ed.f32(s.lr / w)]);
  return ed.op1('Where', [ed.op1('Less', [step, ed.f32(w)]), warm, decayed], {}, out);
}
