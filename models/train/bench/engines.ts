/**
 * The two training engines the benchmark compares, behind one step-at-a-time interface so
 * their steps can be interleaved (and sampled under the same machine load):
 *  - onnxruntime-node running the ViT train-step graph (forward + backward + AdamW, one run);
 *  - jax-js (wasm): the same forward ONNX graph, params turned into inputs, loaded with
 *    @jax-js/onnx, differentiated with @jax-js/jax `valueAndGrad` (jit by default) and
 *    stepped with hand-written SGD.
 * Both read the same synthetic batches in the same order from the same initial weights,
 * so their first losses must agree.
 */
import { DataLoader } from '../DataLoader.ts';
import { SyntheticImages } from '../syntheticImages.ts';
import { Trainer } from '../Trainer.ts';
import { vitClassifier, vitTrainStep } from '../vitTask.ts';
import type { VitConfig } from '../../zoo/vit.ts';
import { encodeModel } from '../../graph/encode.ts';
import { initializersToInputs } from '../../graph/surgery/initializersToInputs.ts';

export interface Engine {
  readonly name: string;
  /** Train one step; returns its loss. */
  step(): Promise<number>;
  /** Nodes of the graph it executes (for the report). */
  readonly graphNodes: number;
  dispose(): Promise<void>;
}

const benchLoader = (cfg: VitConfig, batch: number) => new DataLoader(
  new SyntheticImages({ size: batch * 8, classes: cfg.headDim, channels: cfg.channels, imageSize: cfg.imageSize, seed: 'bench' }),
  { batchSize: batch, seed: 0 },
);

export async function ortEngine(cfg: VitConfig, o: { batch: number; totalSteps: number; threads?: number }): Promise<Engine> {
  const { step } = vitTrainStep(cfg, o.batch, { optimizer: { kind: 'adamw', weightDecay: 0.05 }, schedule: { kind: 'cosine', lr: 1e-3, warmup: 5, total: o.totalSteps } });
  const trainer = await Trainer.create({ graph: step, loader: benchLoader(cfg, o.batch), threads: o.threads });
  return {
    name: 'onnxruntime-node',
    graphNodes: step.model.graph.nodes.length,
    step: async () => (await trainer.trainStep()).loss,
    dispose: () => trainer.dispose(),
  };
}

export async function jaxEngine(cfg: VitConfig, o: { batch: number; lr?: number; jit?: boolean }): Promise<Engine> {
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
  const vg = (o.jit ?? true) ? jax.jit(jax.valueAndGrad(loss)) : jax.valueAndGrad(loss);
  const loader = benchLoader(cfg, o.batch);
  const lr = o.lr ?? 1e-2;
  return {
    name: 'jax-js (wasm)',
    graphNodes: model.graph.nodes.length,
    async step() {
      const b = loader.next();
      const px = np.array(b.pixel_values.data as Float32Array).reshape(b.pixel_values.dims);
      const lb = np.array(b.labels.data as Float32Array).reshape(b.labels.dims);
      // Arrays are reference-counted and consumed by calls: pass `.ref` to keep params alive.
      const [l, g] = vg(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.ref])), px, lb) as [Arr, Params];
      const next: Params = {};
      for (const k of Object.keys(params)) next[k] = params[k].sub(g[k].mul(lr));
      params = next;
      // Wait for the loss and every updated parameter: the step is done when they are.
      const value = (await l.data())[0] as number;
      for (const v of Object.values(params)) await v.blockUntilReady();
      return value;
    },
    async dispose() {
      for (const v of Object.values(params)) v.dispose();
      onnx.dispose();
    },
  };
}
