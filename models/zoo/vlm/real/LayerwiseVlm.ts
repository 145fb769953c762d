/**
 * Layer-by-layer execution of a real VLM (Llama-family decoder, image tokens in the decoder
 * stream) through the per-layer contract (./contract.ts), with DyVTE exit:
 *
 *   const vlm = await LayerwiseVlm.create(rt, SMOLVLM_256M, files);   // file name → bytes
 *   const feats = await vlm.encodeImage(pixels);                       // [64·tiles, d]
 *   const st = await vlm.prefill(prompt.ids, feats, { imageTokenId, policy: { kind: 'fixed', layer: 12 } });
 *   const next = await vlm.decode(st, token);
 *
 * Prefill: embed_tokens → image features scattered into the rows whose id is `<image>` (the
 * transformers.js merge) → layer_0 … layer_{L−1}. On exit after layer K the image rows are
 * gathered out of the hidden states and the position ids (the rows need not be contiguous:
 * SmolVLM's span is wrapped in text tokens), so layers K+1 … hold only text keys/values while
 * 0 … K keep all of them. Position ids are never renumbered (spec B3.4, B9.3): rotary angles come
 * from the ids passed in, and decoding continues at the full prompt length.
 * The gate feature is the mean of the text rows after the last image row except the prompt's
 * last token, and that last token (spec B2).
 */
import type { Runtime, Session, Tensor } from '../../../runtime/Runtime.ts';
import { releaseKv, replaceLayerKv } from '../kvCache.ts';
import { GATE_EXIT, GATE_KEEP } from '../../dyvte/gateGraph.ts';
import type { ExitPolicy, LayerTrace } from '../VlmModel.ts';
import { type LlamaVlmConfig, checkLlamaConfig, llamaHeadFlops, llamaLayerFlops } from './config.ts';
import { type Io, REAL_VLM_FILES, contractProblems, embedIo, gatesIo, headIo, layerIo, visionIo } from './contract.ts';

export class ContractError extends Error {
  constructor(readonly problems: string[]) {
    super(`the model files do not follow the per-layer contract: ${problems.slice(0, 6).join('; ')}${problems.length > 6 ? ` (+${problems.length - 6} more)` : ''}`);
    this.name = 'ContractError';
  }
}

export interface LayerwiseState {
  keys: Tensor[];
  values: Tensor[];
  nextPosition: number;
  exitLayer: number | null;
  trace: LayerTrace[];
  flops: number;
  logits: Float32Array;
  /** With `allLogits`: logits of every row left after prefill [rows, V] and their original positions. */
  rowLogits?: { logits: Float32Array; positions: number[] };
}

export interface LayerwisePrefill {
  imageTokenId: number;
  policy: ExitPolicy;
  allLogits?: boolean;
  signal?: AbortSignal;
}

const causal = (S: number): Float32Array => {
  const m = new Float32Array(S * S);
  for (let q = 0; q < S; q++) for (let k = q + 1; k < S; k++) m[q * S + k] = -1e4;
  return m;
};

export class LayerwiseVlm {
  private disposed = false;

  private constructor(
    readonly rt: Runtime,
    readonly cfg: LlamaVlmConfig,
    private readonly vision: Session | null,
    private readonly embed: Session,
    private readonly layers: Session[],
    private readonly head: Session,
    private readonly gates: Session | null,
  ) {}

  /** Opens every session and checks each against the contract; a wrong export is refused with every problem listed. */
  static async create(rt: Runtime, cfg: LlamaVlmConfig, files: Readonly<Record<string, Uint8Array>>): Promise<LayerwiseVlm> {
    checkLlamaConfig(cfg);
    const F = REAL_VLM_FILES;
    const missing = [F.embed, F.head, ...Array.from({ length: cfg.layers }, (_, i) => F.layer(i))].filter((n) => !files[n]);
    if (missing.length) throw new ContractError(missing.map((n) => `${n} is missing`));
    const made: Session[] = [], problems: string[] = [];
    const open = async (name: string, io: Io) => {
      const s = await rt.createSession(files[name]);
      made.push(s);
      problems.push(...contractProblems(name, io, s));
      return s;
    };
    try {
      const vision = files[F.vision] ? await open(F.vision, visionIo(cfg)) : null;
      const embed = await open(F.embed, embedIo(cfg));
      const layers: Session[] = [];
      for (let i = 0; i < cfg.layers; i++) layers.push(await open(F.layer(i), layerIo(cfg)));
      const head = await open(F.head, headIo(cfg));
      const gates = files[F.gates] ? await open(F.gates, gatesIo(cfg)) : null;
      if (problems.length) throw new ContractError(problems);
      return new LayerwiseVlm(rt, cfg, vision, embed, layers, head, gates);
    } catch (e) {
      for (const s of made) await s.dispose();
      throw e;
    }
  }

  get hasGates(): boolean { return this.gates !== null; }

  private alive(): void { if (this.disposed) throw new Error('LayerwiseVlm: used after dispose()'); }
  private f32(data: Float32Array, dims: number[]): Tensor { return this.rt.tensor('float32', data, dims); }
  private i64(values: readonly number[]): Tensor { return this.rt.tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), [1, values.length]); }

  /** pixels [tiles, 3, S, S] (already normalised) → image features [tiles · T, d]. */
  async encodeImage(pixels: Float32Array, tiles = 1): Promise<Float32Array> {
    this.alive();
    if (!this.vision) throw new Error(`LayerwiseVlm: no ${REAL_VLM_FILES.vision} was given`);
    const S = this.cfg.imageSize;
    if (pixels.length !== tiles * 3 * S * S) throw new Error(`encodeImage: ${pixels.length} values, expected ${tiles}×3×${S}×${S}`);
    const r = await this.vision.run({
      pixel_values: this.f32(pixels, [1, tiles, 3, S, S]),
      pixel_attention_mask: this.rt.tensor('bool', new Uint8Array(tiles * S * S).fill(1), [1, tiles, S, S]),
    });
    return (await this.rt.read(r.image_features)) as Float32Array;
  }

  async gateProbability(f: Float32Array, layer: number): Promise<number> {
    if (!this.gates) throw new Error('LayerwiseVlm: no DyVTE gates loaded');
    const r = await this.gates.run({ features: this.f32(f, [1, f.length]), layer: this.rt.tensor('int64', BigInt64Array.of(BigInt(layer)), [1]) });
    const z = (await this.rt.read(r.logits)) as Float32Array;
    return 1 / (1 + Math.exp(z[GATE_KEEP] - z[GATE_EXIT]));
  }

  /** Text-state feature [mean(text after the image span, except the last row), last row] from hidden rows [S, d]. */
  gateFeature(hidden: Float32Array, rows: readonly number[], ids: readonly number[], imageTokenId: number): Float32Array {
    const d = this.cfg.hidden, f = new Float32Array(2 * d);
    let lastImage = -1;
    rows.forEach((p, r) => { if (ids[p] === imageTokenId) lastImage = r; });
    const from = lastImage + 1, last = rows.length - 1, n = last - from;
    for (let r = from; r < last; r++) for (let k = 0; k < d; k++) f[k] += hidden[r * d + k] / n;
    f.set(hidden.subarray(last * d, (last + 1) * d), d);
    return f;
  }

  async prefill(ids: readonly number[], imageFeatures: Float32Array, o: LayerwisePrefill): Promise<LayerwiseState> {
    this.alive();
    const c = this.cfg, d = c.hidden, kv = c.kvHeads, hd = c.headDim, S0 = ids.length;
    const imageRows = ids.flatMap((id, p) => (id === o.imageTokenId ? [p] : []));
    if (imageRows.length * d !== imageFeatures.length) {
      throw new Error(`prefill: the prompt has ${imageRows.length} <image> tokens but the vision encoder gave ${imageFeatures.length / d} feature rows`);
    }
    if (imageRows.length && imageRows[imageRows.length - 1] === S0 - 1) throw new Error('prefill: the prompt must end with text after the image');
    const policy = o.policy;
    if (policy.kind === 'fixed' && !(Number.isInteger(policy.layer) && policy.layer >= 0 && policy.layer < c.layers)) throw new Error(`prefill: fixed exit layer ${policy.layer} is not in 0…${c.layers - 1}`);
    if (policy.kind === 'gate' && !this.gates) throw new Error('prefill: the gate policy needs DyVTE gates, none are loaded');

    const e = await this.embed.run({ input_ids: this.i64(ids) });
    let hidden: Float32Array = ((await this.rt.read(e.inputs_embeds)) as Float32Array).slice();
    imageRows.forEach((p, k) => hidden.set(imageFeatures.subarray(k * d, (k + 1) * d), p * d));

    let rows = ids.map((_, p) => p), imageIn = imageRows.length > 0, exitLayer: number | null = null, flops = 0;
    const keys: Tensor[] = [], values: Tensor[] = [], trace: LayerTrace[] = [];
    const empty = () => this.f32(new Float32Array(0), [1, kv, 0, hd]);
    for (let i = 0; i < c.layers; i++) {
      if (o.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      const S = rows.length;
      const r = await this.layers[i].run({ hidden_states: this.f32(hidden, [1, S, d]), position_ids: this.i64(rows), attention_bias: this.f32(causal(S), [1, 1, S, S]), past_key: empty(), past_value: empty() });
      flops += llamaLayerFlops(c, S, 0);
      keys.push(r.present_key);
      values.push(r.present_value);
      hidden = (await this.rt.read(r.hidden_states_out)) as Float32Array;
      const t: LayerTrace = { layer: i, tokens: S, kvLength: S, exit: false };
      trace.push(t);
      if (!imageIn) continue;
      let exit = false;
      if (policy.kind === 'fixed') exit = i === policy.layer;
      else if (policy.kind === 'gate') {
        t.pExit = await this.gateProbability(this.gateFeature(hidden, rows, ids, o.imageTokenId), i);
        flops += 2 * (2 * d * c.gateHidden + 2 * c.gateHidden);
        exit = t.pExit > (policy.threshold ?? 0.5);
      }
      if (exit) {
        // Gather the text rows (image rows may be interleaved with text); positions go with them.
        const keep = rows.flatMap((p, k) => (ids[p] === o.imageTokenId ? [] : [k]));
        const next = new Float32Array(keep.length * d);
        keep.forEach((k, j) => next.set(hidden.subarray(k * d, (k + 1) * d), j * d));
        hidden = next;
        rows = keep.map((k) => rows[k]);
        imageIn = false;
        exitLayer = i;
        t.exit = true;
      }
    }
    const S = rows.length;
    const h = await this.head.run({ hidden_states: this.f32(o.allLogits ? hidden : hidden.slice((S - 1) * d), [1, o.allLogits ? S : 1, d]) });
    const all = (await this.rt.read(h.logits)) as Float32Array;
    const V = all.length / (o.allLogits ? S : 1);
    flops += llamaHeadFlops(c, 1);
    return {
      keys, values, nextPosition: S0, exitLayer, trace, flops,
      logits: all.slice(all.length - V),
      rowLogits: o.allLogits ? { logits: all, positions: rows } : undefined,
    };
  }

  /** One token through every layer, each with its own cache length (image K/V only up to the exit layer). */
  async decode(st: LayerwiseState, token: number): Promise<Float32Array> {
    this.alive();
    const c = this.cfg;
    const e = await this.embed.run({ input_ids: this.i64([token]) });
    let hidden = e.inputs_embeds;
    for (let i = 0; i < c.layers; i++) {
      const P = st.keys[i].dims[2];
      const r = await this.layers[i].run({ hidden_states: hidden, position_ids: this.i64([st.nextPosition]), attention_bias: this.f32(new Float32Array(P + 1), [1, 1, 1, P + 1]), past_key: st.keys[i], past_value: st.values[i] });
      st.flops += llamaLayerFlops(c, 1, P);
      replaceLayerKv(st, i, r.present_key, r.present_value);
      hidden = r.hidden_states_out;
    }
    st.nextPosition++;
    const h = await this.head.run({ hidden_states: hidden });
    st.logits = ((await this.rt.read(h.logits)) as Float32Array).slice();
    st.flops += llamaHeadFlops(c, 1);
    return st.logits;
  }

  release(st: LayerwiseState): void {
    releaseKv(st);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of [this.vision, this.embed, ...this.layers, this.head, this.gates]) if (s) await s.dispose();
  }
}
