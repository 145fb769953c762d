/**
 * React hook: the visualness of `text`, re-scored (debounced, in a worker) whenever it changes.
 *
 *   const { result, pending, error } = useVisualness(prompt);
 */
import { useEffect, useRef, useState } from 'react';
import { liveClient } from './liveClient.ts';
import { LiveScorer, type LiveState } from './liveScorer.ts';

export function useVisualness(text: string, o: { debounceMs?: number; enabled?: boolean } = {}): LiveState {
  const [state, setState] = useState<LiveState>({ text: '', pending: false });
  const scorer = useRef<LiveScorer | null>(null);
  useEffect(() => {
    const s = new LiveScorer(liveClient(), setState, { debounceMs: o.debounceMs });
    scorer.current = s;
    return () => { s.dispose(); scorer.current = null; };
  }, [o.debounceMs]);
  useEffect(() => {
    if (o.enabled === false) return;
    scorer.current?.request(text);
  }, [text, o.enabled]);
  return state;
}
