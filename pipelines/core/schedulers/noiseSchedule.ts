/**
 * The noise schedule lives with the model definition (models/zoo/unet/noiseSchedule.ts) because
 * training code in models/ needs it and models/ may not import pipelines/ (layer rule).
 */
export { NoiseSchedule, SD_SCHEDULE, type ScheduleConfig } from '../../../models/zoo/unet/noiseSchedule.ts';
