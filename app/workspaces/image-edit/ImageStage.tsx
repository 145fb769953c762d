/**
 * The picture: the live preview while generating, else the selected result — with the hovered
 * token's heatmap laid over it.
 */
import { useMemo } from 'react';
import { selectedResult, useImageEdit } from '../../state/imageEditStore.ts';
import { heatmapRgba } from '../../state/imageEditAttention.ts';
import { PixelCanvas } from '../caption/PixelCanvas.tsx';

export function ImageStage() {
  const running = useImageEdit((s) => s.running);
  const preview = useImageEdit((s) => s.preview);
  const viewed = useImageEdit((s) => selectedResult(s));
  const hover = useImageEdit((s) => s.hoverToken);
  const att = viewed?.attention;
  const heat = useMemo(
    () => (viewed && att && hover !== undefined && hover < att.keys ? heatmapRgba(att, hover, viewed.width, viewed.height) : undefined),
    [viewed, att, hover],
  );
  const showPreview = running && preview;
  return (
    <div className="stage" data-testid="ie-stage">
      {showPreview ? (
        <>
          <PixelCanvas width={preview.width} height={preview.height} pixels={preview.rgba} testId="ie-preview" label="Live preview" />
          <span className="stage-label" data-testid="ie-preview-step">preview · step {preview.step ?? '?'}</span>
        </>
      ) : viewed ? (
        <>
          <PixelCanvas width={viewed.width} height={viewed.height} pixels={viewed.rgb} testId="ie-image" label={String(viewed.recipe.prompt)} />
          {heat && <PixelCanvas width={viewed.width} height={viewed.height} pixels={heat} className="heatmap" testId="ie-heatmap" label="Cross-attention heatmap" />}
        </>
      ) : (
        <div className="stage-empty muted">{running ? 'Starting…' : 'Generated images appear here'}</div>
      )}
    </div>
  );
}
