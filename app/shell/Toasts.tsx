/** Job outcome toasts, bottom-right above the dock; "Show" opens the Queue. */
import { layoutActions } from '../state/layoutStore.ts';
import { dismissToast, useToasts } from '../state/toasts.ts';

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  if (!toasts.length) return null;
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.tone}`} role={t.tone === 'bad' ? 'alert' : 'status'} data-testid="toast">
          <span className="toast-dot" />
          <div className="toast-text">
            <div className="toast-title">{t.title}</div>
            {t.body && <div className="toast-body">{t.body}</div>}
          </div>
          <button className="btn small" onClick={() => { layoutActions().open('queue'); dismissToast(t.id); }}>Show</button>
          <button className="icon-btn" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>✕</button>
        </div>
      ))}
    </div>
  );
}
