/**
 * CLIP probe (Models window): pick a CLIP-type model, give it an image and a few texts, and see
 * how it ranks them — cosine similarity bars plus softmax % — so a user can check any CLIP they
 * load before a pipeline relies on it.
 */
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../../state/studioStore.ts';
import { clipModels, modelProbeActions, useModelProbe, type ProbeOutcome } from '../../state/modelProbeStore.ts';
import { ImageDrop } from '../caption/ImageDrop.tsx';
import '../caption/workspaces.css';

export function ModelProbe() {
  const models = useStudio((s) => s.models);
  const clips = clipModels(models);
  const s = useModelProbe(useShallow((x) => ({ clipId: x.clipId, image: x.image, imageError: x.imageError, texts: x.texts, running: x.running, result: x.result, error: x.error })));
  const ref = useRef<HTMLElement>(null);
  // The probe sits under the model list: bring it into view when a row's Probe opens it.
  useEffect(() => { if (s.clipId) ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' }); }, [s.clipId]);
  if (!s.clipId) return null;
  return (
    <section className="probe" data-testid="model-probe" aria-label="CLIP probe" ref={ref}>
      <div className="ws">
        <div className="ws-col">
          <div className="ws-row">
            <label className="ws-field">
              CLIP probe
              <select data-testid="probe-model" value={s.clipId} onChange={(e) => modelProbeActions.open(e.target.value)}>
                {clips.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
              </select>
            </label>
            <button className="btn small" data-testid="probe-close" onClick={modelProbeActions.close}>Close</button>
          </div>
          <ImageDrop image={s.image} error={s.imageError} onImage={modelProbeActions.setImage} onError={modelProbeActions.setImageError} testId="probe-drop" />
        </div>
        <div className="ws-col">
          <label className="ws-field">
            Texts (one per line)
            <textarea data-testid="probe-texts" rows={5} value={s.texts} onChange={(e) => modelProbeActions.setTexts(e.target.value)} />
          </label>
          <div className="ws-actions">
            <button className="btn primary" data-testid="probe-run" disabled={s.running} onClick={() => modelProbeActions.run()}>{s.running ? 'Scoring…' : 'Score texts'}</button>
          </div>
          {s.error && <div className="field-error" role="alert" data-testid="probe-error">{s.error}</div>}
          {s.result && <ProbeBars r={s.result} />}
        </div>
      </div>
    </section>
  );
}

function ProbeBars({ r }: { r: ProbeOutcome }) {
  // Bars show cosine similarity on the range the scores actually span (CLIP cosines sit in a
  // narrow band, so a 0..1 axis would make every bar look the same); softmax % tells the winner.
  const lo = Math.min(...r.similarities), hi = Math.max(...r.similarities);
  const span = hi - lo > 1e-6 ? hi - lo : 1;
  return (
    <div className="probe-bars" data-testid="probe-results" data-best={r.best}>
      {r.texts.map((t, i) => (
        <div key={`${i}:${t}`} className={`probe-bar ${i === r.best ? 'best' : ''}`} data-testid={`probe-row-${i}`} data-similarity={r.similarities[i].toFixed(4)} data-prob={r.probs[i].toFixed(4)}>
          <span className="text" title={t}>{t}</span>
          <div className="track"><div className="fill" style={{ width: `${8 + 92 * ((r.similarities[i] - lo) / span)}%` }} /></div>
          <span className="nums">{r.similarities[i].toFixed(3)} · {(100 * r.probs[i]).toFixed(1)}%</span>
        </div>
      ))}
      <span className="muted" style={{ fontSize: 11 }}>cosine · softmax(100·cos) · {r.dim}-d · {r.imageSize}px input · {r.ms.toFixed(0)} ms</span>
    </div>
  );
}
