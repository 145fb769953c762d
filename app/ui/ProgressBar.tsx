import type { Tone } from '../state/queueView.ts';

interface Props {
  /** 0..1, or undefined for an indeterminate bar. */
  value?: number;
  tone?: Tone;
  testId?: string;
  label?: string;
}

/** A thin progress bar; exposes its value to assistive tech and to e2e via aria-valuenow. */
export function ProgressBar({ value, tone = 'active', testId, label }: Props) {
  const indeterminate = value === undefined;
  const pct = indeterminate ? 0 : Math.round(Math.min(1, Math.max(0, value)) * 1000) / 10;
  const toneCls = tone === 'ok' ? 'ok' : tone === 'bad' ? 'bad' : tone === 'muted' ? 'muted' : '';
  return (
    <div
      className={`progress ${toneCls} ${indeterminate ? 'indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={indeterminate ? undefined : pct}
      data-testid={testId}
    >
      <div className="fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
