/**
 * Plain-TS reference optimizers (float64 math, PyTorch semantics) that the graph emitters
 * are tested against. Not used at training time.
 */
import { adamDefaults, adamwDefaultDecay, type OptimizerSpec } from './names.ts';
import { CLIP_EPS } from './clip.ts';
import { lrAt, type Schedule } from './schedule.ts';

export interface RefState { step: number; params: Map<string, Float64Array>; state: Map<string, Float64Array> }

export function refInit(params: Map<string, ArrayLike<number>>): RefState {
  return { step: 0, params: new Map([...params].map(([k, v]) => [k, Float64Array.from(v)])), state: new Map() };
}

/** One optimizer update in place; returns { lr, norm }. */
export function refStep(
  s: RefState, grads: Map<string, ArrayLike<number>>, spec: OptimizerSpec, schedule: Schedule,
  opts: { clipNorm?: number; decay?: (p: string) => boolean } = {},
): { lr: number; norm: number } {
  const lr = lrAt(schedule, s.step);
  let sq = 0;
  for (const g of grads.values()) for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
  const norm = Math.sqrt(sq);
  const coef = opts.clipNorm !== undefined ? Math.min(1, opts.clipNorm / (norm + CLIP_EPS)) : 1;
  const t = s.step + 1;
  for (const [name, p] of s.params) {
    const graw = grads.get(name)!;
    const decays = opts.decay ? opts.decay(name) : true;
    const zeros = () => new Float64Array(p.length);
    if (spec.kind === 'sgd') {
      const mu = spec.momentum ?? 0;
      const wd = decays ? spec.weightDecay ?? 0 : 0;
      const buf = s.state.get(`${name}.momentum`) ?? zeros();
      for (let i = 0; i < p.length; i++) {
        const g = graw[i] * coef + wd * p[i];
        let d = g;
        if (mu > 0) { buf[i] = mu * buf[i] + g; d = spec.nesterov ? g + mu * buf[i] : buf[i]; }
        p[i] -= lr * d;
      }
      if (mu > 0) s.state.set(`${name}.momentum`, buf);
    } else {
      const b1 = spec.beta1 ?? adamDefaults.beta1;
      const b2 = spec.beta2 ?? adamDefaults.beta2;
      const eps = spec.eps ?? adamDefaults.eps;
      const decoupled = spec.kind === 'adamw';
      const wd = decays ? spec.weightDecay ?? (decoupled ? adamwDefaultDecay : 0) : 0;
      const m = s.state.get(`${name}.m`) ?? zeros();
      const v = s.state.get(`${name}.v`) ?? zeros();
      for (let i = 0; i < p.length; i++) {
        let g = graw[i] * coef;
        if (!decoupled) g += wd * p[i];
        else p[i] *= 1 - lr * wd;
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        const mh = m[i] / (1 - b1 ** t);
        const vh = v[i] / (1 - b2 ** t);
        p[i] -= (lr * mh) / (Math.sqrt(vh) + eps);
      }
      s.state.set(`${name}.m`, m);
      s.state.set(`${name}.v`, v);
    }
  }
  s.step++;
  return { lr, norm };
}
