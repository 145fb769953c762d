/**
 * One bar per LM layer, as tall as the tokens it processed in prefill: layers before the exit
 * carry the visual tokens, the exit layer is outlined, layers after it run on text only. Below:
 * this request's LM FLOPs against the same request without exit, and the time that saved.
 */
import { timeSavedMs, useCaption } from '../../state/captionStore.ts';

const flops = (f: number): string => (f >= 1e9 ? `${(f / 1e9).toFixed(2)} GFLOP` : f >= 1e6 ? `${(f / 1e6).toFixed(1)} MFLOP` : `${Math.round(f / 1e3)} kFLOP`);

export function LayerStrip() {
  const r = useCaption((s) => s.result);
  if (!r) return null;
  const max = Math.max(1, ...r.layers.map((l) => l.tokens));
  return (
    <div className="ws-field" data-testid="cap-layers" data-exit-layer={r.exitLayer ?? 'none'}>
      <span>
        Layers{' '}
        <span className="muted" data-testid="cap-exit-layer">
          {r.exitLayer === null ? '— no exit: every layer saw the visual tokens' : `— visual tokens exited after layer ${r.exitLayer}`}
        </span>
      </span>
      <div className="layers">
        {r.layers.map((l) => (
          <div key={l.layer} className={`layer ${l.exit ? 'exit' : ''} ${r.exitLayer !== null && l.layer > r.exitLayer ? 'after' : ''}`} data-testid={`cap-layer-${l.layer}`}
            title={`layer ${l.layer}: ${l.tokens} tokens, KV ${l.kvLength}${l.pExit !== undefined ? `, p(exit) ${l.pExit.toFixed(2)}` : ''}`}>
            <div className="bar" style={{ height: `${Math.max(4, (48 * l.tokens) / max)}px` }} />
            <span>{l.layer}</span>
          </div>
        ))}
      </div>
      <div className="savings" data-testid="cap-savings">
        <span>LM <b>{flops(r.flops)}</b> of {flops(r.flopsNoExit)}</span>
        <span>saved <b data-testid="cap-flops-saved">{(100 * r.flopsSaved).toFixed(0)}%</b></span>
        <span>≈ <b>{timeSavedMs(r).toFixed(0)} ms</b> saved (est.)</span>
        <span>{r.tokens} tokens in {r.ms.toFixed(0)} ms</span>
      </div>
    </div>
  );
}
