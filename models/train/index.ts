/** Node training: data loading, the onnxruntime-node loop over train-step graphs, checkpoints. */
export { ArrayDataset, DataLoader, type Dataset, type HostTensor, type LoaderState } from './DataLoader.ts';
export { Trainer, sessionOptions, type StepRecord, type TrainerOptions } from './Trainer.ts';
export { loadCheckpoint, parseCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint.ts';
export { createProgress, type Progress } from './progress.ts';
export { SyntheticImages } from './syntheticImages.ts';
export { vitClassifier, vitTrainStep } from './vitTask.ts';
