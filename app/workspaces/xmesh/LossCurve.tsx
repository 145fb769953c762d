/** The global-pass CLIP loss (−cos) per iteration, as a small SVG line chart. */
export function LossCurve({ losses }: { losses: number[] }) {
  const pts = losses.map((v, i) => [i, v] as const).filter(([, v]) => Number.isFinite(v));
  const W = 240, H = 90, pad = 4;
  let path = '';
  let lo = 0, hi = 0;
  if (pts.length > 0) {
    lo = Math.min(...pts.map(([, v]) => v));
    hi = Math.max(...pts.map(([, v]) => v));
    const span = hi - lo || 1;
    const n = Math.max(1, losses.length - 1);
    path = pts.map(([i, v], k) => `${k ? 'L' : 'M'}${(pad + (i / n) * (W - 2 * pad)).toFixed(1)},${(pad + ((hi - v) / span) * (H - 2 * pad)).toFixed(1)}`).join(' ');
  }
  const last = pts.length ? pts[pts.length - 1][1] : undefined;
  return (
    <figure className="xmesh-loss" data-testid="xmesh-loss" data-points={pts.length} data-last={last ?? ''}>
      <figcaption>
        <span>Loss (−cos)</span>
        <span className="muted">{last === undefined ? '—' : `${last.toFixed(4)} · it ${pts.length}`}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" height={H} role="img" aria-label="loss curve">
        <rect x="0" y="0" width={W} height={H} className="xmesh-loss-bg" />
        {path && <path d={path} className="xmesh-loss-line" />}
      </svg>
      {pts.length > 0 && <div className="xmesh-loss-range muted">{hi.toFixed(3)} … {lo.toFixed(3)}</div>}
    </figure>
  );
}
