/** A VisualnessScorer over a tiny random-weight visualness graph (tests only; no trained weights). */
import { encodeModel } from '../../models/graph/encode.ts';
import { Prng } from '../../models/data/microworld/prng.ts';
import { createNodeRuntime } from '../../models/runtime/backends/nodeCpu.ts';
import type { Runtime, Session } from '../../models/runtime/Runtime.ts';
import { tinyTextGraph } from '../../models/train/visualness/testing.ts';
import { buildVisualnessGraph } from '../../models/train/visualness/visualnessGraph.ts';
import { VisualnessScorer, microScoringTokenizer } from './scorer.ts';

export async function tinyScorer(contextLength = 12): Promise<{ rt: Runtime; session: Session; scorer: VisualnessScorer; dispose(): Promise<void> }> {
  const { cfg, model } = tinyTextGraph('tiny-scorer', contextLength);
  const nul = new Prng('tiny-null').fillNormal(new Float32Array(cfg.projectionDim), 1);
  const rt = await createNodeRuntime({ threads: 1 });
  const session = await rt.createSession(encodeModel(buildVisualnessGraph(model, nul, { heads: cfg.text.heads }).model));
  return { rt, session, scorer: new VisualnessScorer(rt, session, microScoringTokenizer(contextLength)), dispose: async () => { await session.dispose(); await rt.dispose(); } };
}
