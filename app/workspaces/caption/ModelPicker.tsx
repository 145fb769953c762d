/**
 * Which VLM answers: the bundled micro-VLM, or the user's SmolVLM-256M per-layer export (the
 * Models window lists it with its sizes and memory needs). Picking files hashes and pins them
 * against the manifest; a missing or foreign file is named right here, before any run.
 */
import { useShallow } from 'zustand/react/shallow';
import { SMOLVLM_256M_LAYERWISE, realVlmApproxBytes } from '../../../models/manifests/vlmSmolvlm.ts';
import { captionActions, useCaption } from '../../state/captionStore.ts';
import { formatBytes } from '../../ui/format.ts';

async function readPicked(list: FileList): Promise<{ name: string; bytes: Uint8Array }[]> {
  return Promise.all(Array.from(list, async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

export function ModelPicker() {
  const s = useCaption(useShallow((x) => ({ choice: x.modelChoice, real: x.real, status: x.realStatus, running: x.running })));
  const spec = SMOLVLM_256M_LAYERWISE;
  return (
    <div className="ws-field" data-testid="cap-model-picker">
      <label className="ws-field">
        Model
        <select data-testid="cap-model" value={s.choice} disabled={s.running} onChange={(e) => captionActions.set({ modelChoice: e.target.value === 'real' ? 'real' : 'micro' })}>
          <option value="micro">micro-VLM (built in)</option>
          <option value="real">SmolVLM-256M, your per-layer export</option>
        </select>
      </label>
      {s.choice === 'real' && (
        <div className="muted" data-testid="cap-real">
          <p>
            {spec.parts.filter((p) => !p.optional).length + 1} files (~{formatBytes(realVlmApproxBytes(spec))}): vision_encoder.onnx, embed_tokens.onnx, tokenizer.json from the
            model's repository, decoder_layer_0…{spec.config.layers - 1}.onnx and lm_head.onnx exported per layer; dyvte_gates.onnx optional.
            Needs ~{formatBytes(spec.needs.memoryBytes ?? 0)} memory.
          </p>
          <input type="file" multiple accept=".onnx,.json" data-testid="cap-real-files" disabled={s.running}
            onChange={(e) => { if (e.target.files?.length) void readPicked(e.target.files).then(captionActions.pickRealFiles); }} />
          {s.status.state === 'pinning' && <span data-testid="cap-real-status">{s.status.message}</span>}
          {s.status.state === 'ready' && s.real && (
            <span data-testid="cap-real-status">
              {s.real.fileCount} files, {formatBytes(s.real.totalBytes)}, pinned by sha256{s.real.hasGates ? ', with DyVTE gates' : ', no gates (exit off or fixed)'}
            </span>
          )}
          {s.status.state === 'error' && <div className="field-error" role="alert" data-testid="cap-real-error">{s.status.message}</div>}
        </div>
      )}
    </div>
  );
}
