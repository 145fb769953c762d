/**
 * The op families and the merged VJP rule table autodiff consults.
 * Adding an op = forward emitter + rule in its family file + a row in a test.
 */
import type { VjpRule } from './common.ts';
import { convRules } from './conv.ts';
import { elementwiseRules } from './elementwise.ts';
import { gatherRules } from './gather.ts';
import { matmulRules } from './matmul.ts';
import { normRules } from './norm.ts';
import { poolRules } from './pool.ts';
import { reduceRules } from './reduce.ts';
import { resizeRules } from './resize.ts';
import { shapeRules } from './shape.ts';

export const vjpRules: Readonly<Record<string, VjpRule>> = {
  ...elementwiseRules, ...matmulRules, ...reduceRules, ...shapeRules, ...gatherRules,
  ...normRules, ...convRules, ...poolRules, ...resizeRules,
};

/**
 * Ops whose outputs carry no gradient: shape/index computations, comparisons, and
 * piecewise-constant functions (zero derivative almost everywhere). Gradients stop here.
 */
export const NON_DIFFERENTIABLE: ReadonlySet<string> = new Set([
  'Shape', 'Size', 'ConstantOfShape', 'Range', 'Constant', 'EyeLike', 'RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike',
  'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Not', 'IsNaN', 'IsInf',
  'ArgMax', 'ArgMin', 'NonZero', 'Floor', 'Ceil', 'Round', 'Sign', 'OneHot',
]);

export type { GradCtx, VjpRule } from './common.ts';
