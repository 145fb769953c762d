/**
 * Task table: task id → run function, required model ids, default params. Adding a task
 * is one folder under pipelines/ plus one row here. `executeTask` is what job hosts (the
 * browser worker, the CLI) call: defaults merged with params, run through runJob.
 */
import type { Runtime } from '../models/runtime/Runtime.ts';
import type { ModelProvider, PipelineRun, TerminalEvent } from './core/events.ts';
import { runJob, type JobContext } from './core/runJob.ts';
import * as clipProbe from './clipprobe/index.ts';
import * as demo from './demo/index.ts';
import * as dyvte from './dyvte/index.ts';
import * as graphRun from './graphrun/index.ts';
import * as text2image from './text2image/index.ts';
import * as visualness from './visualness/index.ts';
import * as xmesh from './xmesh/index.ts';

export interface TaskDef<I = unknown, P = unknown, R = unknown> {
  title: string;
  run: PipelineRun<I, P, R>;
  /** Manifest ids the task loads (the Models window shows them; hosts may preload). */
  models: string[];
  defaults: P;
}

const task = <I, P, R>(t: TaskDef<I, P, R>): TaskDef => t as unknown as TaskDef;

export const TASKS: Record<string, TaskDef> = {
  'clip-probe': task({ title: 'CLIP probe', run: clipProbe.run, models: [], defaults: clipProbe.clipProbeDefaults }),
  demo: task({ title: 'Demo MLP', run: demo.run, models: ['demo-mlp'], defaults: demo.demoDefaults }),
  'graph-run': task({ title: 'Run an ONNX graph', run: graphRun.run, models: [], defaults: graphRun.graphRunDefaults }),
  text2image: task({ title: 'Text to image', run: text2image.run, models: Object.values(text2image.text2imageDefaults.bundle.models), defaults: text2image.text2imageDefaults }),
  caption: task({ title: 'Caption / ask (DyVTE)', run: dyvte.run, models: ['micro-vlm'], defaults: dyvte.captionDefaults }),
  xmesh: task({ title: 'Mesh Stylize (X-Mesh)', run: xmesh.run, models: ['micro-clip-vision', 'micro-clip-text'], defaults: xmesh.xmeshDefaults }),
  visualness: task({ title: 'Text visualness (TIP-CLIP)', run: visualness.run, models: [visualness.visualnessDefaults.bundle.scorer.id], defaults: visualness.visualnessDefaults }),
};

export function getTask(id: string): TaskDef {
  const t = TASKS[id];
  if (!t) throw new Error(`unknown task "${id}" (known: ${Object.keys(TASKS).join(', ')})`);
  return t;
}

export interface TaskSpec {
  task: string;
  input?: unknown;
  params?: unknown;
}

function mergeParams(defaults: unknown, params: unknown): unknown {
  if (defaults && typeof defaults === 'object' && params && typeof params === 'object') return { ...defaults, ...params };
  return params ?? defaults;
}

/** Run a task as a job on `rt`; always resolves with (and emits) exactly one terminal event. */
export async function executeTask(spec: TaskSpec, rt: Runtime, ctx: JobContext & { models?: ModelProvider }): Promise<TerminalEvent> {
  let t: TaskDef;
  try {
    t = getTask(spec.task);
  } catch (err) {
    const e: TerminalEvent = { type: 'error', message: (err as Error).message, code: 'unknown-task' };
    ctx.emit(e);
    return e;
  }
  return runJob(t.run, rt, spec.input, mergeParams(t.defaults, spec.params), ctx);
}
