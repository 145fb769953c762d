/** Finished images, newest first: click one to view it; its recipe and actions below. */
import { useShallow } from 'zustand/react/shallow';
import { imageEditActions, selectedResult, useImageEdit, type ImageResult } from '../../state/imageEditStore.ts';
import { captionActions } from '../../state/captionStore.ts';
import { fromRgb } from '../../state/captionImage.ts';
import { layoutActions } from '../../state/layoutStore.ts';
import { PixelCanvas } from '../caption/PixelCanvas.tsx';

function sendToCaption(r: ImageResult): void {
  captionActions.setImage(fromRgb({ width: r.width, height: r.height, data: r.rgb }, `“${String(r.recipe.prompt)}” (seed ${r.recipe.seed})`, 'image-edit'));
  layoutActions().open('caption');
}

function download(r: ImageResult): void {
  if (!r.png) return;
  const url = URL.createObjectURL(new Blob([r.png.slice().buffer], { type: 'image/png' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `atelier-seed${r.recipe.seed}.png`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ResultsStrip() {
  const { results, selectedId } = useImageEdit(useShallow((s) => ({ results: s.results, selectedId: s.selectedId })));
  const viewed = useImageEdit((s) => selectedResult(s));
  if (results.length === 0) return null;
  return (
    <>
      <div className="results" data-testid="ie-results">
        {results.map((r) => (
          <button key={r.id} className={`result-thumb ${r.id === selectedId ? 'selected' : ''}`} data-testid={`ie-result-${r.id}`} onClick={() => imageEditActions.select(r.id)} title={String(r.recipe.prompt)}>
            <PixelCanvas width={r.width} height={r.height} pixels={r.rgb} />
          </button>
        ))}
      </div>
      {viewed && (
        <>
          <div className="recipe" data-testid="ie-recipe">
            <span><b>{String(viewed.recipe.prompt)}</b></span>
            {viewed.recipe.negativePrompt && <span>not: {viewed.recipe.negativePrompt}</span>}
            <span>seed {viewed.recipe.seed} · {viewed.recipe.steps} steps · guidance {viewed.recipe.guidance}</span>
            <span>{[viewed.recipe.model, viewed.recipe.backend, viewed.seconds !== undefined ? `${viewed.seconds.toFixed(1)} s` : ''].filter(Boolean).join(' · ')}</span>
          </div>
          <div className="ws-actions">
            <button className="btn small" data-testid="ie-reuse" onClick={() => imageEditActions.reuse(viewed.id)}>Reuse recipe</button>
            <button className="btn small" data-testid="ie-send-caption" onClick={() => sendToCaption(viewed)}>Send to Caption</button>
            <button className="btn small" data-testid="ie-download" disabled={!viewed.png} onClick={() => download(viewed)}>PNG</button>
          </div>
        </>
      )}
    </>
  );
}
