/** Human-readable numbers for the UI: bytes, durations, rates. Pure, unit-tested. */

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[u]}`;
}

/** Seconds as '<1s', '12s', '1m 05s', '2h 03m'. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '—';
  if (s < 1) return '<1s';
  const t = Math.round(s);
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m ${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h ${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatRate(perS: number, unit = 'it'): string {
  if (!Number.isFinite(perS) || perS <= 0) return '';
  return perS >= 10 ? `${perS.toFixed(0)} ${unit}/s` : `${perS.toFixed(1)} ${unit}/s`;
}

export function formatPercent(f: number): string {
  return `${Math.round(Math.min(1, Math.max(0, f)) * 100)}%`;
}
