/** Node-only evaluator for constant folding: one onnxruntime-node session, one run, then released. */
import * as ort from 'onnxruntime-node';
import type { DType, Model, TensorData, TensorValues } from '../ir.ts';
import { encodeModel } from '../encode.ts';
import type { Evaluate } from './constantFold.ts';

export const evaluateWithOrtNode: Evaluate = async (model: Model) => {
  const session = await ort.InferenceSession.create(encodeModel(model));
  try {
    const out = await session.run({});
    const res = new Map<string, TensorData>();
    for (const o of model.graph.outputs) {
      const t = out[o.name];
      res.set(o.name, { name: o.name, dtype: o.dtype as DType, dims: [...t.dims], values: t.data as TensorValues });
    }
    return res;
  } finally {
    await session.release();
  }
};
