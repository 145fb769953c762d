/**
 * Text Visualness workspace: paste or type text → per-sentence visualness bars (TIP-CLIP score
 * S = 1 − cos(NULL, text)), the text with each word highlighted by its attribution
 * (gradient-weighted attention relevance), a threshold slider that re-labels sentences instantly
 * (labels are S > threshold; no re-run), and the document score with the least visual words.
 * Scoring is debounced and runs in a worker (app/visualness/useVisualness.ts): typing never waits.
 */
import { useState } from 'react';
import { useVisualness } from '../../visualness/useVisualness.ts';
import type { SentenceResult } from '../../../pipelines/visualness/analyze.ts';
import './visualnessWorkspace.css';

const SAMPLE = 'A red kite flies over the green hills. The meeting was postponed until next week. A wooden boat rests on the sand by the river.';

/** Bars show S on [0, 2] (cosine distance range); the threshold marker sits on the same scale. */
const pct = (s: number) => `${Math.max(0, Math.min(100, (s / 2) * 100)).toFixed(1)}%`;

/** Word highlight: green by relevance in visual sentences; a faint amber in the others (their top word carries little). */
const tint = (relevance: number, visual: boolean) => (visual ? `rgba(80, 200, 120, ${(0.75 * relevance).toFixed(3)})` : `rgba(230, 170, 60, ${(0.3 * relevance).toFixed(3)})`);

export function TextVisualnessWorkspace() {
  const [text, setText] = useState(SAMPLE);
  const [userThreshold, setUserThreshold] = useState<number | null>(null);
  const { result, pending, error } = useVisualness(text);
  const threshold = userThreshold ?? result?.threshold ?? 0.5;
  const sentences = result?.sentences ?? [];
  const doc = result?.document;
  return (
    <div className="visws" data-testid="workspace-visualness">
      <div className="visws-input">
        <label className="visws-label" htmlFor="visws-text">Text</label>
        <textarea id="visws-text" data-testid="visualness-input" value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} placeholder="Paste or type text; every sentence gets a visualness score." />
        <div className="visws-row">
          <label className="visws-threshold">
            <span>Threshold {threshold.toFixed(2)}</span>
            <input type="range" min={0} max={2} step={0.01} value={threshold} data-testid="visualness-threshold" onChange={(e) => setUserThreshold(Number(e.target.value))} />
          </label>
          {userThreshold !== null && <button className="btn small" data-testid="visualness-threshold-reset" onClick={() => setUserThreshold(null)}>Model default</button>}
          <span className="visws-status muted" data-testid="visualness-status">{pending ? 'scoring…' : error ? '' : result ? `${result.backend} · ${result.ms.toFixed(0)} ms` : ''}</span>
        </div>
        {error && <div className="panel-error" data-testid="visualness-error">{error}</div>}
        {result?.message && <div className="visws-note" data-testid="visualness-message">{result.message}</div>}
      </div>
      <div className="visws-doc" data-testid="visualness-document">
        {doc ? (
          <>
            <span className={`badge ${doc.score > threshold ? 'visws-visual' : 'visws-plain'}`}>{doc.score > threshold ? 'visual' : 'not visual'}</span>
            <span>document {doc.score.toFixed(3)}</span>
            {result!.mostVisualWords.length > 0 && <span className="muted">carried by: {result!.mostVisualWords.join(', ')}</span>}
            {result!.leastVisualWords.length > 0 && <span className="muted">least visual: {result!.leastVisualWords.join(', ')}</span>}
          </>
        ) : <span className="muted">{pending ? 'scoring…' : 'no score yet'}</span>}
      </div>
      <ol className="visws-sentences" data-testid="visualness-sentences">
        {sentences.map((s, i) => <SentenceRow key={`${i}:${s.start}`} s={s} threshold={threshold} />)}
      </ol>
    </div>
  );
}

function SentenceRow({ s, threshold }: { s: SentenceResult; threshold: number }) {
  const visual = s.score > threshold;
  return (
    <li className="visws-sentence" data-testid="visualness-sentence" data-visual={visual} data-score={s.score.toFixed(4)}>
      <div className="visws-bar" title={`S = ${s.score.toFixed(3)}`}>
        <div className={`visws-fill ${visual ? 'visws-visual' : 'visws-plain'}`} style={{ width: pct(s.score) }} />
        <div className="visws-mark" style={{ left: pct(threshold) }} />
        <span className="visws-score">{s.score.toFixed(3)}</span>
      </div>
      <p className="visws-words">
        {s.words.map((w, k) => (
          <span
            key={k}
            className={`visws-word${w.unknown ? ' visws-unknown' : ''}`}
            data-testid="visualness-word"
            data-relevance={w.relevance.toFixed(3)}
            style={{ backgroundColor: tint(w.relevance, visual) }}
            title={w.unknown ? `${w.text}: not in the model's vocabulary` : `${w.text}: relevance ${w.relevance.toFixed(2)}`}
          >
            {w.text}
          </span>
        ))}
      </p>
    </li>
  );
}
