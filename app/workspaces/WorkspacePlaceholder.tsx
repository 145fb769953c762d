/**
 * What a workspace window shows until its pipeline lands: what it will do, the method behind
 * it, and the planned controls — so the dock is honest about what exists today.
 */
import type { WorkspaceKind } from '../state/windowKinds.ts';
import { WINDOW_INFO } from '../state/windowKinds.ts';

interface Props {
  kind: WorkspaceKind;
  method: string;
  planned: string[];
}

export function WorkspacePlaceholder({ kind, method, planned }: Props) {
  const info = WINDOW_INFO[kind];
  return (
    <div className="placeholder" data-testid={`workspace-${kind}`}>
      <div className="placeholder-head">
        <div className="placeholder-glyph" aria-hidden>{info.glyph}</div>
        <div>
          <h2>{info.title}</h2>
          <p className="muted">{info.blurb}</p>
        </div>
      </div>
      <div className="placeholder-method">
        <span className="badge">Method</span> {method}
      </div>
      <ul className="placeholder-list">
        {planned.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      <p className="placeholder-note">
        <span className="badge warn">Coming soon</span> This workspace is a placeholder: its pipeline (<code>pipelines/{kind}</code>) has not landed yet.
      </p>
    </div>
  );
}
