/** Graph surgery: rewrites of a Model that return a new Model (arguments are never mutated). */
export { exposeOutputs } from './exposeOutputs.ts';
export { cutGraph, type CutSpec } from './cutGraph.ts';
export { feedTensor } from './feedTensor.ts';
export { constantFold, type Evaluate } from './constantFold.ts';
export { eliminateDeadNodes } from './eliminateDeadNodes.ts';
export { injectLora, loraNames, type LoraSlot } from './injectLora.ts';
export { initializersToInputs } from './initializersToInputs.ts';
export { Editor, cloneModel, producers, consumers, topoSort, type NameMatcher } from './graphTools.ts';
