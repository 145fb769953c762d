/**
 * The prompt's tokens as the text encoder sees them. Hovering (or focusing) one shows its
 * cross-attention heatmap over the viewed result. Tokens follow the viewed result's prompt (its
 * maps belong to that prompt); before any result they follow what is being typed.
 */
import { useMemo } from 'react';
import { imageEditActions, selectedResult, useImageEdit } from '../../state/imageEditStore.ts';
import { promptTokens } from '../../state/imageEditAttention.ts';

/** The micro stack's text context length (its maps' key count when a result has them). */
const DEFAULT_CONTEXT = 32;

export function TokenList() {
  const typed = useImageEdit((s) => s.prompt);
  const viewed = useImageEdit((s) => selectedResult(s));
  const hover = useImageEdit((s) => s.hoverToken);
  const prompt = viewed ? String(viewed.recipe.prompt) : typed;
  const att = viewed?.attention;
  const tokens = useMemo(() => promptTokens(prompt, att?.keys ?? DEFAULT_CONTEXT), [prompt, att?.keys]);
  if (tokens.length === 0) return null;
  return (
    <div className="ws-field">
      <span>
        Tokens{' '}
        <span className="muted">
          {!viewed ? '— generate to see where each one attends' : att ? '— hover one to see its cross-attention' : '— this result has no attention maps'}
        </span>
      </span>
      <div className="tokens" data-testid="ie-tokens" onMouseLeave={() => imageEditActions.hoverToken(undefined)}>
        {tokens.map((t) => (
          <span
            key={t.position}
            className={`token ${hover === t.position ? 'active' : ''} ${t.unknown ? 'unknown' : ''}`}
            data-testid={`ie-token-${t.position}`}
            data-token={t.text}
            tabIndex={att ? 0 : -1}
            title={t.unknown ? `“${t.text}” is not in the model's vocabulary` : undefined}
            onMouseEnter={() => att && imageEditActions.hoverToken(t.position)}
            onFocus={() => att && imageEditActions.hoverToken(t.position)}
            onBlur={() => imageEditActions.hoverToken(undefined)}
          >
            {t.text}
          </span>
        ))}
      </div>
    </div>
  );
}
