/** All manifests the studio knows. Fixtures only on request (tests, `?fixtures=1`). */
import type { ModelManifest } from './schema.ts';
import { demoMlpManifest } from './demoMlp.ts';
import { FIXTURE_MANIFESTS } from './fixtures.ts';
import { VISUALNESS_MANIFESTS } from './visualness.ts';
import { MICRO_CLIP_MANIFESTS } from './clipMicro.ts';
import { MICRO_SD_MANIFESTS } from './sdMicroAssets.ts';
import { SMOLVLM_LISTING } from './vlmSmolvlm.ts';

export const MODEL_MANIFESTS: ModelManifest[] = [demoMlpManifest, ...MICRO_CLIP_MANIFESTS, ...MICRO_SD_MANIFESTS, ...VISUALNESS_MANIFESTS, SMOLVLM_LISTING];

export function allManifests(opts?: { fixtures?: boolean }): ModelManifest[] {
  return opts?.fixtures ? [...MODEL_MANIFESTS, ...FIXTURE_MANIFESTS] : [...MODEL_MANIFESTS];
}
