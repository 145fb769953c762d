/**
 * Esc while a job runs asks before stopping it: Enter (or the button) cancels the job,
 * Esc keeps it running. If the job ends while the question is open, the dialog closes itself.
 */
import { useEffect, useRef } from 'react';
import { studioActions, useStudio } from '../state/studioStore.ts';
import { uiActions } from '../state/uiStore.ts';

export function ConfirmCancel() {
  const job = useStudio((s) => s.jobs.find((j) => j.status === 'running'));
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => yes.current?.focus(), []);
  useEffect(() => {
    if (!job) uiActions.hide();
  }, [job]);
  if (!job) return null;
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); uiActions.hide(); }
  };
  return (
    <div className="overlay" onPointerDown={(e) => e.target === e.currentTarget && uiActions.hide()}>
      <div className="confirm" role="alertdialog" aria-label="Stop the running job?" data-testid="confirm-cancel" onKeyDown={onKeyDown}>
        <h2>Stop “{job.label}”?</h2>
        <p className="muted">
          {job.step ? `Step ${job.step.k} of ${job.step.n}. ` : ''}Progress so far is discarded; queued jobs continue.
        </p>
        <div className="confirm-actions">
          <button className="btn" data-testid="confirm-keep" onClick={() => uiActions.hide()}>Keep running <kbd>Esc</kbd></button>
          <button
            ref={yes}
            className="btn danger-solid"
            data-testid="confirm-stop"
            onClick={() => { studioActions().cancelJob(job.id); uiActions.hide(); }}
          >
            Stop job <kbd>↵</kbd>
          </button>
        </div>
      </div>
    </div>
  );
}
