/**
 * I/O naming of train-step graphs. Every tensor that is carried from one step to the next
 * (params, optimizer state, the step counter) is an input `x` and an output `nextName(x)`,
 * so a trainer feeds the outputs of step k as the inputs of step k+1 by a fixed rename.
 */
export const nextName = (name: string) => `${name}.next`;
/** Updates applied so far (float32 scalar, 0 before the first step). */
export const STEP = 'optim.step';
/** Learning rate used by this step (output, for logging). */
export const LR = 'optim.lr';
/** Global gradient L2 norm before clipping (output). */
export const GRAD_NORM = 'optim.grad_norm';
/** G1's autodiff names gradients `<param>_grad` (models/graph/autodiff.ts `gradName`). */
export const defaultGradName = (name: string) => `${name}_grad`;

export type OptimizerSpec =
  /** PyTorch SGD semantics (dampening 0); weightDecay is coupled L2. */
  | { kind: 'sgd'; momentum?: number; nesterov?: boolean; weightDecay?: number }
  /** Adam (Kingma & Ba) with bias correction; weightDecay is coupled L2 (added to the gradient). */
  | { kind: 'adam'; beta1?: number; beta2?: number; eps?: number; weightDecay?: number }
  /** AdamW (Loshchilov & Hutter): decoupled decay p ← p·(1 − lr·wd) before the Adam step. */
  | { kind: 'adamw'; beta1?: number; beta2?: number; eps?: number; weightDecay?: number };

/** Names of the per-parameter state tensors an optimizer carries. */
export function stateNames(spec: OptimizerSpec, param: string): string[] {
  if (spec.kind === 'sgd') return (spec.momentum ?? 0) > 0 ? [`${param}.momentum`] : [];
  return [`${param}.m`, `${param}.v`];
}

export const adamDefaults = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };
export const adamwDefaultDecay = 0.01;
