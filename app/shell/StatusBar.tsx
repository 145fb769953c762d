/**
 * The status bar: which backend jobs run on, the WebGPU adapter the probe found, shader-f16,
 * why wasm is used when it is, and the active job's progress (k/n, ETA) — always visible.
 */
import { useShallow } from 'zustand/react/shallow';
import { layoutActions } from '../state/layoutStore.ts';
import { activeJob } from '../state/queueView.ts';
import { useStudio } from '../state/studioStore.ts';
import { formatDuration } from '../ui/format.ts';
import { ProgressBar } from '../ui/ProgressBar.tsx';

function adapterName(a: { vendor: string; architecture: string; description: string } | undefined): string {
  if (!a) return 'none';
  const parts = [a.description, a.vendor, a.architecture].filter((s) => s && s.trim());
  return parts.length ? [...new Set(parts)].join(' · ') : 'unnamed adapter';
}

function BackendInfo() {
  const { probe, probeError } = useStudio(useShallow((s) => ({ probe: s.probe, probeError: s.probeError })));
  if (probeError) return <span className="status-item status-warn" data-testid="status-probe-error">Capability probe failed: {probeError}</span>;
  if (!probe) return <span className="status-item muted" data-testid="status-probing">Probing GPU…</span>;
  const gpu = probe.backend === 'webgpu';
  const reason = probe.fallbackReason ?? probe.caps.webgpuUnavailableReason;
  return (
    <>
      <span className="status-item" data-testid="status-backend" data-backend={probe.backend}>
        <span className={`status-dot ${gpu ? 'ok' : 'warn'}`} />
        {gpu ? 'WebGPU' : probe.backend === 'wasm' ? 'WASM' : probe.backend}
      </span>
      <span className="status-item" data-testid="status-adapter" title={probe.caps.adapter?.isFallbackAdapter ? 'software fallback adapter' : undefined}>
        <span className="label">Adapter</span>
        {adapterName(probe.caps.adapter)}
      </span>
      <span className="status-item" data-testid="status-f16">
        <span className="label">f16</span>
        {probe.caps.shaderF16 ? 'yes' : 'no'}
      </span>
      {!gpu && reason && (
        <span className="status-item status-warn" data-testid="status-fallback" title={reason}>
          ⚠ {reason}
        </span>
      )}
    </>
  );
}

function ActiveJob() {
  const { job, queued } = useStudio(useShallow((s) => ({ job: activeJob(s.jobs), queued: s.jobs.filter((j) => j.status === 'queued').length })));
  if (!job) return <span className="status-item muted" data-testid="status-job">Idle</span>;
  const st = job.step;
  const frac = st && st.n > 0 ? st.k / st.n : undefined;
  return (
    <span className="status-job" data-testid="status-job" data-status={job.status} onClick={() => layoutActions().open('queue')} title="Open the Queue (Alt+Q)">
      <span>{job.label}</span>
      <ProgressBar value={job.status === 'running' ? frac : 0} />
      <span className={st ? 'mono' : 'muted'}>{st ? `${st.k}/${st.n}` : (job.phase ?? job.status)}</span>
      {job.status === 'running' && st?.etaS !== undefined && <span className="muted">ETA {formatDuration(st.etaS)}</span>}
      {queued > (job.status === 'queued' ? 1 : 0) && <span className="muted">+{queued - (job.status === 'queued' ? 1 : 0)} queued</span>}
    </span>
  );
}

export function StatusBar() {
  return (
    <footer className="statusbar" data-testid="statusbar">
      <BackendInfo />
      <span className="status-right">
        <ActiveJob />
      </span>
    </footer>
  );
}
