/**
 * The same model trained with jax-js for comparison: the forward ONNX graph (params turned
 * into inputs) is loaded with @jax-js/onnx, differentiated with @jax-js/jax `valueAndGrad`
 * on the wasm backend, and stepped with hand-written SGD. Batches come from the same
 * synthetic set in the same order (same loader seed) from the same initial weights, so
 * the first losses must agree with onnxruntime's. jax-js arrays are reference-counted:
 * every use past the first takes `.ref`.
 */
import type { VitConfig } from '../../zoo/vit.ts';
import { encodeModel } from '../../graph/encode.ts';
import { initializersToInputs } from '../../graph/surgery/initializersToInputs.ts';
import { DataLoader } from '../DataLoader.ts';
import { benchData } from './ortTrain.ts';
import { vitClassifier } from '../vitTask.ts';

export interface JaxTrainResult { steps: number; seconds: number; samplesPerS: number; firstLoss: number; lastLoss: number }

export async function jaxTrain(cfg: VitConfig, o: { batch: number; steps: number; warmup: number; lr?: number; jit?: boolean }): Promise<JaxTrainResult> {
  const jax = await import('@jax-js/jax');
  const { ONNXModel } = await import('@jax-js/onnx');
  const np = jax.numpy;
  await jax.init('wasm');
  jax.defaultDevice('wasm');
  const fwd = vitClassifier(cfg, o.batch);
  const { model, values } = initializersToInputs(fwd.model, fwd.params);
  const onnx = new ONNXModel(encodeModel(model) as Uint8Array<ArrayBuffer>);
  type Arr = InstanceType<typeof np.Array>;
  type Params = Record<string, Arr>;
  let params: Params = {};
  for (const [k, t] of values) params[k] = np.array(t.values as Float32Array).reshape(t.dims);
  const loss = (p: Params, px: Arr, lb: Arr): Arr => onnx.run({ ...p, pixel_values: px, labels: lb }).loss;
  const vg = o.jit ? jax.jit(jax.valueAndGrad(loss)) : jax.valueAndGrad(loss);
  const loader = new DataLoader(benchData(cfg, o.batch), { batchSize: o.batch, seed: 0 });
  const lr = o.lr ?? 1e-2;
  const losses: number[] = [];
  let t0 = 0;
  for (let s = 0; s < o.warmup + o.steps; s++) {
    if (s === o.warmup) t0 = performance.now();
    const b = loader.next();
    const px = np.array(b.pixel_values.data as Float32Array).reshape(b.pixel_values.dims);
    const lb = np.array(b.labels.data as Float32Array).reshape(b.labels.dims);
    const [l, g] = vg(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.ref])), px, lb) as [Arr, Params];
    const next: Params = {};
    for (const k of Object.keys(params)) next[k] = params[k].sub(g[k].mul(lr));
    params = next;
    // Reading the loss waits for the whole step (and its parameter updates) to finish.
    losses.push((await l.data())[0] as number);
    for (const v of Object.values(params)) await v.blockUntilReady();
  }
  const seconds = (performance.now() - t0) / 1000;
  for (const v of Object.values(params)) v.dispose();
  onnx.dispose();
  return { steps: o.steps, seconds, samplesPerS: (o.steps * o.batch) / seconds, firstLoss: losses[0], lastLoss: losses[losses.length - 1] };
}
