/** Every generated asset file, keyed by its path under assets/. */
import { demoMlpBytes } from './demoMlp.ts';
import { fixtureFiles } from './fixtureModels.ts';

export function generatedAssetFiles(): Record<string, Uint8Array> {
  return { 'models/demo-mlp/model.onnx': demoMlpBytes(), ...fixtureFiles() };
}
