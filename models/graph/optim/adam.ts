/**
 * Adam / AdamW as graph ops. With t = step + 1 and the bias corrections c1 = 1/(1−β1^t),
 * c2 = 1/(1−β2^t) computed once per step as scalars:
 *   Adam:  g ← g + wd·p
 *   AdamW: p ← p·(1 − lr·wd)                      (decoupled decay, before the update)
 *   m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  p ← p − lr · (m c1) / (sqrt(v c2) + ε)
 */
import type { Editor } from '../surgery/graphTools.ts';
import { adamDefaults, adamwDefaultDecay, nextName } from './names.ts';
import type { UpdateArgs } from './sgd.ts';

export interface AdamOpts { beta1?: number; beta2?: number; eps?: number; weightDecay?: number; decoupled: boolean }

/** Scalars shared by every parameter's update: bias corrections for this step. */
export interface AdamScalars { c1: string; c2: string }

export function emitAdamScalars(ed: Editor, step: string, o: AdamOpts): AdamScalars {
  const b1 = o.beta1 ?? adamDefaults.beta1;
  const b2 = o.beta2 ?? adamDefaults.beta2;
  const t = ed.op1('Add', [step, ed.f32(1)]);
  const corr = (beta: number) => ed.op1('Reciprocal', [ed.op1('Sub', [ed.f32(1), ed.op1('Pow', [ed.f32(beta), t])])]);
  return { c1: corr(b1), c2: corr(b2) };
}

export function emitAdam(ed: Editor, a: UpdateArgs, s: AdamScalars, o: AdamOpts): void {
  const b1 = o.beta1 ?? adamDefaults.beta1;
  const b2 = o.beta2 ?? adamDefaults.beta2;
  const eps = o.eps ?? adamDefaults.eps;
  const wd = a.decay ? (o.weightDecay ?? (o.decoupled ? adamwDefaultDecay : 0)) : 0;
  let g = a.grad;
  let p = a.param;
  if (wd > 0 && !o.decoupled) g = ed.op1('Add', [g, ed.op1('Mul', [p, ed.f32(wd)])]);
  if (wd > 0 && o.decoupled) {
    const keep = ed.op1('Sub', [ed.f32(1), ed.op1('Mul', [a.lr, ed.f32(wd)])]);
    p = ed.op1('Mul', [p, keep]);
  }
  const m = ed.op1('Add', [ed.op1('Mul', [`${a.param}.m`, ed.f32(b1)]), ed.op1('Mul', [g, ed.f32(1 - b1)])], {}, nextName(`${a.param}.m`));
  const g2 = ed.op1('Mul', [g, g]);
  const v = ed.op1('Add', [ed.op1('Mul', [`${a.param}.v`, ed.f32(b2)]), ed.op1('Mul', [g2, ed.f32(1 - b2)])], {}, nextName(`${a.param}.v`));
  const denom = ed.op1('Add', [ed.op1('Sqrt', [ed.op1('Mul', [v, s.c2])]), ed.f32(eps)]);
  const stepSize = ed.op1('Mul', [a.lr, s.c1]);
  const upd = ed.op1('Div', [ed.op1('Mul', [m, stepSize]), denom]);
  ed.op1('Sub', [p, upd], {}, nextName(a.param));
}
