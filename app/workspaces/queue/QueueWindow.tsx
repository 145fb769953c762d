/**
 * The Queue window: every job with its status, progress (k/n, ETA), per-job cancel for queued
 * and running jobs, reorder of queued jobs, and "clear finished". Outcomes (done / failed /
 * canceled) each have their own badge colour and detail line.
 */
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { buildQueueRows, summarize, type QueueRow, type QueueSummary } from '../../state/queueView.ts';
import { studioActions, useStudio } from '../../state/studioStore.ts';
import { ProgressBar } from '../../ui/ProgressBar.tsx';

function summaryText(s: QueueSummary): string {
  return (['running', 'queued', 'done', 'failed', 'canceled'] as const).filter((k) => s[k] > 0).map((k) => `${s[k]} ${k}`).join(' · ');
}

export function QueueWindow() {
  const { jobs, hidden, connected } = useStudio(useShallow((s) => ({ jobs: s.jobs, hidden: s.hiddenJobIds, connected: s.client !== undefined })));
  const rows = useMemo(() => buildQueueRows(jobs, new Set(hidden)), [jobs, hidden]);
  const sum = useMemo(() => summarize(jobs), [jobs]);
  const anyFinished = rows.some((r) => r.status === 'done' || r.status === 'failed' || r.status === 'canceled');

  return (
    <div className="panel" data-testid="queue">
      <div className="panel-toolbar">
        <button className="btn primary" data-testid="queue-run-demo" disabled={!connected} onClick={() => studioActions().runDemoJob()}>
          ▶ Run demo job
        </button>
        <button className="btn" data-testid="queue-clear" disabled={!anyFinished} onClick={() => studioActions().clearFinished()}>
          Clear finished
        </button>
        <span className="panel-summary muted" data-testid="queue-summary">
          {summaryText(sum) || 'empty'}
        </span>
      </div>
      {rows.length === 0 ? (
        <div className="panel-empty">
          <p>No jobs yet.</p>
          <p className="muted">Every run in Atelier is a job. Try <b>Run demo job</b> (Alt+J) to see progress, cancel and reorder.</p>
        </div>
      ) : (
        <ol className="job-list">
          {rows.map((r) => (
            <JobRow key={r.id} row={r} />
          ))}
        </ol>
      )}
    </div>
  );
}

const JobRow = memo(function JobRow({ row: r }: { row: QueueRow }) {
  const a = studioActions();
  return (
    <li className={`job-row ${r.status}`} data-testid={`job-${r.id}`} data-status={r.status}>
      <div className="job-main">
        <div className="job-title">
          <span className="job-label">{r.label}</span>
          <span className="muted mono job-task">{r.task} · {r.id}</span>
        </div>
        <div className="job-progress">
          <ProgressBar value={r.status === 'running' ? r.fraction : (r.fraction ?? 0)} tone={r.tone} testId={`job-progress-${r.id}`} label={`${r.label} progress`} />
          <span className="mono job-steps" data-testid={`job-steps-${r.id}`}>{r.stepText ?? ''}</span>
        </div>
        <div className="job-detail">
          {r.detail && <span className={r.status === 'failed' ? 'job-error' : 'muted job-phase'} data-testid={`job-detail-${r.id}`}>{r.detail}</span>}
          {r.rateText && <span className="muted">{r.rateText}</span>}
          {r.etaText && <span className="muted" data-testid={`job-eta-${r.id}`}>{r.etaText}</span>}
        </div>
      </div>
      <span className={`badge ${r.tone}`} data-testid={`job-status-${r.id}`}>{r.statusLabel}</span>
      <div className="job-actions">
        {r.status === 'queued' && (
          <>
            <button className="icon-btn" title="Move up" aria-label="Move up" data-testid={`job-up-${r.id}`} disabled={!r.canMoveUp} onClick={() => a.moveJob(r.id, -1)}>↑</button>
            <button className="icon-btn" title="Move down" aria-label="Move down" data-testid={`job-down-${r.id}`} disabled={!r.canMoveDown} onClick={() => a.moveJob(r.id, 1)}>↓</button>
          </>
        )}
        {r.canCancel && (
          <button className="btn small danger" data-testid={`job-cancel-${r.id}`} onClick={() => a.cancelJob(r.id)}>
            Cancel
          </button>
        )}
      </div>
    </li>
  );
});
