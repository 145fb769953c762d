export { NoiseSchedule, SD_SCHEDULE, type ScheduleConfig } from './noiseSchedule.ts';
export { addNoise, sampleTimesteps } from './ddpm.ts';
export { ddimInvertStep, ddimStep, ddimTimesteps, inversionPairs, predictX0, type DdimStepOptions } from './ddim.ts';
export { applyGuidance, cfgBatch, cfgContext } from './cfg.ts';
