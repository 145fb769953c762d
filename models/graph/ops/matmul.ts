/**
 * MatMul (numpy semantics: 1-D promotion, batched, broadcasting batch dims) and Gemm.
 *
 *   const h = matmul(b, x, w);                         // [..., M, K] @ [..., K, N]
 *   const y = gemm(b, a, w, bias, { transB: 1 });      // torch.nn.Linear layout
 *
 * The VJPs are MatMul/Gemm again: dA = dY·Bᵀ, dB = Aᵀ·dY, with broadcast batch dims
 * summed away by `unbroadcast`.
 */
import type { GraphBuilder, Value } from '../builder.ts';
import { type VjpRule, shapeOf, unbroadcast } from './common.ts';

export const matmul = (b: GraphBuilder, x: Value, w: Value): Value => b.op('MatMul', [x, w])[0];

export function gemm(b: GraphBuilder, a: Value, w: Value, c?: Value, o: { alpha?: number; beta?: number; transA?: number; transB?: number } = {}): Value {
  const attrs: Record<string, number | { float: number }> = {};
  if (o.alpha !== undefined) attrs.alpha = { float: o.alpha };
  if (o.beta !== undefined) attrs.beta = { float: o.beta };
  if (o.transA) attrs.transA = 1;
  if (o.transB) attrs.transB = 1;
  return b.op('Gemm', [a, w, c], attrs)[0];
}

/** Swap the last two axes. */
export function transposeLast(b: GraphBuilder, x: Value): Value {
  const r = shapeOf(x, 'transposeLast').length;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return b.op('Transpose', [x], { perm })[0];
}

const unsq = (b: GraphBuilder, x: Value, axis: number) => b.op('Unsqueeze', [x, b.ints([axis])])[0];
const sq = (b: GraphBuilder, x: Value, axis: number) => b.op('Squeeze', [x, b.ints([axis])])[0];

const matmulRule: VjpRule = ({ b, x, needs }, [dy]) => {
  let A = x(0), B = x(1), g = dy!;
  const ra = shapeOf(A, 'MatMul VJP').length, rb = shapeOf(B, 'MatMul VJP').length;
  // Promote 1-D operands the way MatMul does, then undo it on the gradients.
  if (ra === 1) { A = unsq(b, A, 0); g = unsq(b, g, -2); }
  if (rb === 1) { B = unsq(b, B, 1); g = unsq(b, g, -1); }
  let dA: Value | undefined, dB: Value | undefined;
  if (needs(0)) {
    dA = unbroadcast(b, matmul(b, g, transposeLast(b, B)), A);
    if (ra === 1) dA = sq(b, dA, 0);
  }
  if (needs(1)) {
    const K = shapeOf(A, 'MatMul VJP').at(-1), N = shapeOf(g, 'MatMul VJP').at(-1);
    if (rb === 2 && A.shape!.length > 2 && typeof K === 'number' && typeof N === 'number') {
      // A weight shared over batch dims: one [K, M·batch]·[M·batch, N] GEMM instead of a
      // batched product followed by a ReduceSum over the batch.
      const a2 = b.op('Reshape', [A, b.ints([-1, K])])[0];
      const g2 = b.op('Reshape', [g, b.ints([-1, N])])[0];
      dB = matmul(b, b.op('Transpose', [a2], { perm: [1, 0] })[0], g2);
    } else dB = unbroadcast(b, matmul(b, transposeLast(b, A), g), B);
    if (rb === 1) dB = sq(b, dB, 1);
  }
  return [dA, dB];
};

const gemmRule: VjpRule = ({ b, x, node, needs }, [dy]) => {
  const ai = (k: string) => (node.attrs[k]?.kind === 'int' ? (node.attrs[k].value as number) : 0);
  const af = (k: string) => (node.attrs[k]?.kind === 'float' ? (node.attrs[k].value as number) : 1);
  const tA = ai('transA'), tB = ai('transB'), alpha = af('alpha'), beta = af('beta');
  const A = x(0), B = x(1), g = dy!;
  // Y = α·A'·B' + β·C with A' = tA ? Aᵀ : A, B' = tB ? Bᵀ : B.
  const dA = !needs(0) ? undefined
    : tA ? gemm(b, B, g, undefined, { alpha, transA: tB, transB: 1 })       // dA = α·B'·dYᵀ
      : gemm(b, g, B, undefined, { alpha, transB: tB ? 0 : 1 });            // dA = α·dY·B'ᵀ
  const dB = !needs(1) ? undefined
    : tB ? gemm(b, g, A, undefined, { alpha, transA: 1, transB: tA })       // dB = α·dYᵀ·A'
      : gemm(b, A, g, undefined, { alpha, transA: tA ? 0 : 1 });            // dB = α·A'ᵀ·dY
  let dC: Value | undefined;
  if (node.inputs[2] && needs(2)) {
    const scaled = beta === 1 ? g : b.op('Mul', [g, b.constant([beta], [], g.dtype)])[0];
    dC = unbroadcast(b, scaled, x(2));
  }
  return [dA, dB, dC];
};

export const einsum = (b: GraphBuilder, equation: string, xs: Value[]): Value => b.op('Einsum', xs, { equation })[0];

/** Operand and output subscripts of an Einsum equation (implicit output: letters used once, sorted). */
export function parseEinsum(eq: string): { ins: string[]; out: string } {
  const e = eq.replace(/\s+/g, '');
  if (e.includes('.')) throw new Error(`Einsum '${eq}': ellipsis is not supported`);
  const [lhs, rhs] = e.split('->');
  const ins = lhs.split(',');
  const counts = new Map<string, number>();
  for (const c of ins.join('')) counts.set(c, (counts.get(c) ?? 0) + 1);
  return { ins, out: rhs ?? [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort().join('') };
}

/**
 * Einsum: the gradient of operand i is another Einsum of dY with the other operands, producing
 * the subscripts of operand i that appear elsewhere; subscripts summed only inside operand i are
 * restored by Unsqueeze + Expand to its shape.
 */
const einsumRule: VjpRule = ({ b, x, node, needs }, [dy]) => {
  const eq = node.attrs.equation?.kind === 'string' ? node.attrs.equation.value : '';
  const { ins, out } = parseEinsum(eq);
  return ins.map((sub, i) => {
    if (!needs(i)) return undefined;
    if (new Set(sub).size !== sub.length) throw new Error(`autodiff: Einsum '${node.name}': repeated subscripts within an operand are not supported`);
    const others = ins.filter((_, j) => j !== i);
    const elsewhere = new Set([...out, ...others.join('')]);
    const kept = [...sub].filter((c) => elsewhere.has(c)).join('');
    let g = einsum(b, `${[out, ...others].join(',')}->${kept}`, [dy!, ...node.inputs.filter((_, j) => j !== i).map((_, k) => x(k >= i ? k + 1 : k))]);
    if (kept.length < sub.length) {
      const missing = [...sub].map((c, k) => (elsewhere.has(c) ? -1 : k)).filter((k) => k >= 0);
      g = b.op('Unsqueeze', [g, b.ints(missing)])[0];
      g = b.op('Expand', [g, b.op('Shape', [x(i)])[0]])[0];
    }
    return g;
  });
};

export const matmulRules: Record<string, VjpRule> = { MatMul: matmulRule, Gemm: gemmRule, Einsum: einsumRule };
