/**
 * Layer-by-layer executor of the micro-VLM with an explicit per-layer KV cache and DyVTE exit.
 *
 *   const vlm = await VlmModel.create(rt, cfg, graphs);          // graphs: encoded ONNX bytes
 *   const st = await vlm.prefill(visual, promptIds, { policy: { kind: 'gate' } });
 *   let logits = st.logits;                                       // next-token logits [V]
 *   logits = await vlm.decode(st, nextId);                        // one token, every layer
 *   await vlm.dispose();
 *
 * Prefill runs `layer_0 … layer_{L−1}` one session at a time. After layer ℓ (until an exit) the
 * policy decides; on exit at K the visual rows are cut from the hidden states, so layers K+1 …
 * keep only text keys/values in their caches, while layers 0 … K keep the visual ones. Position
 * ids are never renumbered: decode continues from Nv + prompt length (spec B3.4–5).
 * The executor reads hidden states back to the host between layers: fine for micro models on
 * CPU; a GPU port would gather rows on the device (spec B9.2).
 */
import type { Runtime, Session, Tensor } from '../../runtime/Runtime.ts';
import { gateFeature, gateFlops, GATE_EXIT, GATE_KEEP } from '../dyvte/gateGraph.ts';
import { type VlmConfig, headFlops, layerFlops } from './config.ts';
import { causalBias } from './layers.ts';
import { releaseKv, replaceLayerKv } from './kvCache.ts';

export interface VlmGraphBytes {
  projector: Uint8Array;
  embed: Uint8Array;
  layers: Uint8Array[];
  head: Uint8Array;
  /** DyVTE gates (zoo/dyvte/gateGraph.ts); required for the 'gate' policy. */
  gates?: Uint8Array;
}

export type ExitPolicy =
  | { kind: 'none' }
  /** Drop visual tokens after this 0-based layer for every input (the fixed-layer baseline). */
  | { kind: 'fixed'; layer: number }
  /** Exit at the first layer whose gate gives p(exit) > threshold (reference: 0.5, i.e. logit_exit > logit_keep). */
  | { kind: 'gate'; threshold?: number };

export interface LayerTrace {
  layer: number;
  /** Tokens this layer processed in prefill. */
  tokens: number;
  /** Keys/values this layer holds after prefill. */
  kvLength: number;
  /** Gate probability of exit (when a gate was consulted at this layer). */
  pExit?: number;
  /** True on the layer after which visual tokens were dropped. */
  exit: boolean;
}

/** Everything a request carries from prefill into decoding. */
export interface VlmState {
  keys: Tensor[];
  values: Tensor[];
  /** Position id of the next token (original numbering, gaps after an exit kept). */
  nextPosition: number;
  /** Layer after which visual tokens were removed, or null. */
  exitLayer: number | null;
  trace: LayerTrace[];
  /** LM FLOPs so far (layers + head + gates). */
  flops: number;
  /** Next-token logits [V] after prefill / the last decode. */
  logits: Float32Array;
  /** With `allLogits`: logits of every text position [T, V] (teacher-forced scoring). */
  textLogits?: Float32Array;
}

export interface PrefillOptions {
  policy: ExitPolicy;
  /** Also return logits for every text position (for label generation and tests). */
  allLogits?: boolean;
  /** Text tokens that form the prompt (gate features pool over them); default: all of `ids`. */
  promptLength?: number;
  /** Called after each layer with its output hidden states [S, d] (before any removal). */
  onLayer?: (layer: number, hidden: Float32Array, seq: number) => void;
  signal?: AbortSignal;
}

export class VlmModel {
  private disposed = false;

  private constructor(
    readonly rt: Runtime,
    readonly cfg: VlmConfig,
    private readonly projector: Session,
    private readonly embed: Session,
    private readonly layers: Session[],
    private readonly head: Session,
    private readonly gates: Session | null,
  ) {}

  static async create(rt: Runtime, cfg: VlmConfig, g: VlmGraphBytes): Promise<VlmModel> {
    if (g.layers.length !== cfg.layers) throw new Error(`VlmModel: ${g.layers.length} layer graphs for a ${cfg.layers}-layer config`);
    const made: Session[] = [];
    const open = async (bytes: Uint8Array) => { const s = await rt.createSession(bytes); made.push(s); return s; };
    try {
      const projector = await open(g.projector), embed = await open(g.embed);
      const layers: Session[] = [];
      for (const l of g.layers) layers.push(await open(l));
      const head = await open(g.head);
      const gates = g.gates ? await open(g.gates) : null;
      return new VlmModel(rt, cfg, projector, embed, layers, head, gates);
    } catch (e) {
      for (const s of made) await s.dispose();
      throw e;
    }
  }

  get hasGates(): boolean { return this.gates !== null; }

  private alive(): void {
    if (this.disposed) throw new Error('VlmModel: used after dispose()');
  }

  private f32(data: Float32Array, dims: number[]): Tensor { return this.rt.tensor('float32', data, dims); }
  private i64(values: number[]): Tensor { return this.rt.tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, values.length]); }

  private async runLayer(i: number, hidden: Tensor, S: number, P: number, bias: Float32Array, key: Tensor, value: Tensor) {
    const r = await this.layers[i].run({ hidden_states: hidden, attention_bias: this.f32(bias, [1, 1, S, P + S]), past_key: key, past_value: value });
    return { hidden: r.hidden_states_out, key: r.present_key, value: r.present_value };
  }

  private async logitsOf(hidden: Float32Array, rows: number, from: number): Promise<Float32Array> {
    const d = this.cfg.width;
    const r = await this.head.run({ hidden_states: this.f32(hidden.slice(from * d, (from + rows) * d), [1, rows, d]) });
    return (await this.rt.read(r.logits)) as Float32Array;
  }

  /** p(exit) of layer `layer`'s gate for feature f. */
  async gateProbability(f: Float32Array, layer: number): Promise<number> {
    if (!this.gates) throw new Error('VlmModel: no gate graph loaded (the gate policy needs DyVTE gates)');
    const r = await this.gates.run({ features: this.f32(f, [1, f.length]), layer: this.rt.tensor('int64', BigInt64Array.of(BigInt(layer)), [1]) });
    const z = (await this.rt.read(r.logits)) as Float32Array;
    const m = Math.max(z[GATE_KEEP], z[GATE_EXIT]);
    const e0 = Math.exp(z[GATE_KEEP] - m), e1 = Math.exp(z[GATE_EXIT] - m);
    return e1 / (e0 + e1);
  }

  /** visual [Nv, W] row-major (the vision tower's tokens), ids: prompt (plus, for scoring, answer) token ids. */
  async prefill(visual: Float32Array, ids: readonly number[], o: PrefillOptions): Promise<VlmState> {
    this.alive();
    const c = this.cfg, Nv = c.visualTokens, T = ids.length, d = c.width, H = c.heads, dh = d / H;
    if (visual.length !== Nv * c.visionWidth) throw new Error(`prefill: ${visual.length} visual values, expected ${Nv}×${c.visionWidth}`);
    if (T < 1) throw new Error('prefill: no text tokens');
    if (Nv + T > c.maxPositions) throw new Error(`prefill: ${Nv + T} tokens exceed the ${c.maxPositions} positions of the model`);
    const policy = o.policy;
    if (policy.kind === 'fixed' && !(Number.isInteger(policy.layer) && policy.layer >= 0 && policy.layer < c.layers)) {
      throw new Error(`prefill: fixed exit layer ${policy.layer} is not in 0…${c.layers - 1}`);
    }
    if (policy.kind === 'gate' && !this.gates) throw new Error('prefill: the gate policy needs DyVTE gates, none are loaded');
    const promptEnd = Nv + (o.promptLength ?? T);

    const vis = await this.projector.run({ visual_tokens: this.f32(visual, [1, Nv, c.visionWidth]), position_ids: this.i64(range(0, Nv)) });
    const txt = await this.embed.run({ input_ids: this.i64([...ids]), position_ids: this.i64(range(Nv, Nv + T)) });
    let hidden: Float32Array = new Float32Array((Nv + T) * d);
    hidden.set((await this.rt.read(vis.hidden_states)) as Float32Array, 0);
    hidden.set((await this.rt.read(txt.hidden_states)) as Float32Array, Nv * d);

    let S = Nv + T, visualIn = true, exitLayer: number | null = null, flops = 0;
    const keys: Tensor[] = [], values: Tensor[] = [], trace: LayerTrace[] = [];
    const empty = new Float32Array(0);
    for (let i = 0; i < c.layers; i++) {
      if (o.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      const r = await this.runLayer(i, this.f32(hidden, [1, S, d]), S, 0, causalBias(S), this.f32(empty, [1, H, 0, dh]), this.f32(empty, [1, H, 0, dh]));
      flops += layerFlops(c, S, 0);
      keys.push(r.key);
      values.push(r.value);
      hidden = (await this.rt.read(r.hidden)) as Float32Array;
      o.onLayer?.(i, hidden, S);
      const t: LayerTrace = { layer: i, tokens: S, kvLength: S, exit: false };
      trace.push(t);
      if (!visualIn) continue;
      let exit = false;
      if (policy.kind === 'fixed') exit = i === policy.layer;
      else if (policy.kind === 'gate') {
        t.pExit = await this.gateProbability(gateFeature(hidden, d, Nv, promptEnd), i);
        flops += gateFlops(c);
        exit = t.pExit > (policy.threshold ?? 0.5);
      }
      if (exit) {
        // Drop the whole visual span; text rows keep the positions they were embedded with.
        hidden = hidden.slice(Nv * d);
        S -= Nv;
        visualIn = false;
        exitLayer = i;
        t.exit = true;
      }
    }
    const logits = await this.logitsOf(hidden, 1, S - 1);
    flops += headFlops(c, 1);
    const textLogits = o.allLogits ? await this.logitsOf(hidden, T, S - T) : undefined;
    return { keys, values, nextPosition: Nv + T, exitLayer, trace, flops, logits, textLogits };
  }

  /** Feed one token at `state.nextPosition` through every layer (each with its own cache length); returns next-token logits. */
  async decode(state: VlmState, token: number): Promise<Float32Array> {
    this.alive();
    const c = this.cfg;
    if (state.nextPosition >= c.maxPositions) throw new Error(`decode: position ${state.nextPosition} is past the model's ${c.maxPositions} positions`);
    const e = await this.embed.run({ input_ids: this.i64([token]), position_ids: this.i64([state.nextPosition]) });
    let hidden = e.hidden_states;
    for (let i = 0; i < c.layers; i++) {
      const P = state.keys[i].dims[2];
      const r = await this.runLayer(i, hidden, 1, P, new Float32Array(P + 1), state.keys[i], state.values[i]);
      state.flops += layerFlops(c, 1, P);
      replaceLayerKv(state, i, r.key, r.value);
      hidden = r.hidden;
    }
    state.nextPosition++;
    const h = (await this.rt.read(hidden)) as Float32Array;
    state.logits = await this.logitsOf(h, 1, 0);
    state.flops += headFlops(c, 1);
    return state.logits;
  }

  /** Release a request's cache tensors. */
  release(state: VlmState): void {
    releaseKv(state);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of [this.projector, this.embed, ...this.layers, this.head, ...(this.gates ? [this.gates] : [])]) await s.dispose();
  }
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);
