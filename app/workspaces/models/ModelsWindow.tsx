/**
 * The Models window: every manifest with task, size, needs and cache state; Load with total and
 * per-file progress; Delete; storage used vs quota. A failed load shows its own specific message
 * on that model's row (unreachable, sha256 mismatch, truncated, not ONNX, I/O mismatch, needs f16).
 */
import { memo, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { studioActions, useStudio } from '../../state/studioStore.ts';
import type { ModelView } from '../../worker/StudioClient.ts';
import { formatBytes, formatPercent } from '../../ui/format.ts';
import { ProgressBar } from '../../ui/ProgressBar.tsx';
import { ModelProbe } from './ModelProbe.tsx';
import { modelProbeActions } from '../../state/modelProbeStore.ts';

export function ModelsWindow() {
  const { models, modelsError } = useStudio(useShallow((s) => ({ models: s.models, modelsError: s.modelsError })));
  return (
    <div className="panel" data-testid="models">
      <StorageMeter />
      {modelsError && <div className="panel-error">Could not list models: {modelsError}</div>}
      {models.length === 0 && !modelsError ? (
        <div className="panel-empty"><p className="muted">Reading manifests…</p></div>
      ) : (
        <ul className="model-list">
          {models.map((m) => (
            <ModelRow key={m.id} m={m} />
          ))}
        </ul>
      )}
      <ModelProbe />
    </div>
  );
}

/**
 * Browsers may evict cached models under storage pressure unless the origin is granted
 * persistent storage; offer the request where the API exists.
 */
function usePersistence(): { persisted?: boolean; request(): void } {
  const [persisted, setPersisted] = useState<boolean | undefined>(undefined);
  const api = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  useEffect(() => {
    api?.persisted?.().then(setPersisted, () => setPersisted(undefined));
  }, [api]);
  return { persisted, request: () => void api?.persist?.().then(setPersisted, () => undefined) };
}

function StorageMeter() {
  const storage = useStudio((s) => s.storage);
  const frac = storage && storage.quota > 0 ? storage.usage / storage.quota : undefined;
  const { persisted, request } = usePersistence();
  return (
    <div className="storage" data-testid="storage" data-usage={storage?.usage ?? ''} data-cached={storage?.cachedBytes ?? ''}>
      <div className="storage-text">
        <span>Storage</span>
        <span className="muted" data-testid="storage-usage">
          {storage ? `${formatBytes(storage.usage)} used of ${formatBytes(storage.quota)} · models ${formatBytes(storage.cachedBytes)}` : '—'}
        </span>
      </div>
      <ProgressBar value={frac ?? 0} label="Storage used" />
      {persisted === false && (
        <div className="storage-persist muted">
          The browser may evict cached models when space runs low.
          <button className="btn small" data-testid="storage-persist" onClick={request}>Keep them</button>
        </div>
      )}
    </div>
  );
}

function needsText(n: ModelView['needs']): string[] {
  const out: string[] = [];
  if (n.f16) out.push('shader-f16');
  if (n.minBufferBytes) out.push(`buffer ≥ ${formatBytes(n.minBufferBytes)}`);
  if (n.memoryBytes) out.push(`~${formatBytes(n.memoryBytes)} memory`);
  return out;
}

function speed(loaded: number, startedAt: number): string {
  const s = (performance.now() - startedAt) / 1000;
  return s > 0.05 ? `${formatBytes(loaded / s)}/s` : '';
}

const ModelRow = memo(function ModelRow({ m }: { m: ModelView }) {
  const fallbackError = useStudio((s) => s.loadErrors[m.id]);
  const startedAt = useStudio((s) => s.loadStartedAt[m.id]);
  const error = m.status === 'error' ? (m.error?.message ?? fallbackError ?? 'load failed') : fallbackError;
  const loading = m.status === 'loading';
  const p = m.progress;
  const files = p ? Object.entries(p.files) : [];
  const needs = needsText(m.needs);
  return (
    <li className={`model-row ${m.status}`} data-testid={`model-${m.id}`} data-status={m.status} data-cached={m.cached}>
      <div className="model-head">
        <div className="model-name">
          <span className="model-title">{m.title}</span>
          <span className="muted mono">{m.id}</span>
        </div>
        <div className="model-actions">
          <button className="btn small primary" data-testid={`model-load-${m.id}`} disabled={loading} onClick={() => void studioActions().loadModel(m.id)}>
            {loading ? 'Loading…' : m.status === 'ready' ? 'Reload' : m.status === 'error' ? 'Retry' : 'Load'}
          </button>
          <button className="btn small danger" data-testid={`model-delete-${m.id}`} disabled={!m.cached || loading} onClick={() => void studioActions().deleteModel(m.id)}>
            Delete
          </button>
          {m.task === 'clip' && m.id.endsWith('-vision') && (
            <button className="btn small" data-testid={`model-probe-${m.id.slice(0, -'-vision'.length)}`} onClick={() => modelProbeActions.open(m.id.slice(0, -'-vision'.length))} title="Score texts against an image with this CLIP">
              Probe
            </button>
          )}
        </div>
      </div>
      <div className="model-meta">
        <span className="badge">{m.task}</span>
        <span className="mono">{formatBytes(m.bytes)}</span>
        <span className="muted">from {m.source}</span>
        {needs.length > 0 && <span className="muted">needs {needs.join(', ')}</span>}
        <span className={`badge ${m.cached ? 'ok' : 'muted'}`} data-testid={`model-cached-${m.id}`}>{m.cached ? 'Cached' : 'Not cached'}</span>
        {m.status === 'ready' && <span className="badge active">Loaded</span>}
      </div>
      {p && (loading || m.status === 'ready') && (
        <div className="model-progress" data-testid={`model-progress-${m.id}`}>
          <div className="model-progress-total">
            <ProgressBar value={p.total > 0 ? p.loaded / p.total : undefined} label={`${m.title} total`} />
            <span className="mono muted">
              {formatBytes(p.loaded)} / {formatBytes(p.total)}
              {p.total > 0 ? ` · ${formatPercent(p.loaded / p.total)}` : ''}
              {loading && startedAt !== undefined ? ` · ${speed(p.loaded, startedAt)}` : ''}
            </span>
          </div>
          {files.map(([name, f]) => (
            <div className="model-file" key={name} data-testid={`model-file-${m.id}`}>
              <span className="mono">{name}</span>
              <ProgressBar value={f.total > 0 ? f.loaded / f.total : undefined} label={name} />
              <span className="mono muted">{f.total > 0 ? formatPercent(f.loaded / f.total) : formatBytes(f.loaded)}</span>
            </div>
          ))}
        </div>
      )}
      {error && (
        <div className="model-error" role="alert" data-testid={`model-error-${m.id}`} data-code={m.error?.code ?? ''}>
          <span className="model-error-icon" aria-hidden>!</span>
          <span data-testid={`model-error-message-${m.id}`}>{error}</span>
        </div>
      )}
    </li>
  );
});
