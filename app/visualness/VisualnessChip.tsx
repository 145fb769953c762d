/**
 * Inline chip for prompt fields: how visual the prompt is (TIP-CLIP score, green = visual) and
 * the least visual words, updated as the user types (useVisualness: debounced, in a worker).
 *
 *   <input value={prompt} onChange={…} />  <VisualnessChip text={prompt} />
 */
import { useVisualness } from './useVisualness.ts';
import './visualness.css';

export function VisualnessChip({ text, debounceMs }: { text: string; debounceMs?: number }) {
  const { result, pending, error } = useVisualness(text, { debounceMs });
  const doc = result?.document;
  const tone = error ? 'error' : !doc ? 'empty' : doc.visual ? 'visual' : 'plain';
  const title = error ?? result?.message ?? (doc ? `Visualness ${doc.score.toFixed(2)} (threshold ${result!.threshold.toFixed(2)})` : 'Visualness: type a prompt');
  return (
    <span className={`vis-chip vis-chip--${tone}${pending ? ' vis-chip--pending' : ''}`} data-testid="visualness-chip" data-score={doc ? doc.score.toFixed(3) : ''} title={title} role="status" aria-live="polite">
      <span className="vis-chip__label">{error ? 'visualness ⚠' : doc ? `${doc.visual ? 'visual' : 'not visual'} ${doc.score.toFixed(2)}` : 'visualness —'}</span>
      {doc && result!.leastVisualWords.length > 0 && (
        <span className="vis-chip__least" data-testid="visualness-chip-least">least: {result!.leastVisualWords.join(', ')}</span>
      )}
    </span>
  );
}
