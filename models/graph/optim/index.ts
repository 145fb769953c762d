/** Optimizers as graph ops: build one train-step graph from a gradient graph. */
export { buildTrainStep, type TrainStepGraph, type TrainStepOptions } from './trainStep.ts';
export { GRAD_NORM, LR, STEP, nextName, stateNames, type OptimizerSpec } from './names.ts';
export { lrAt, type Schedule } from './schedule.ts';
