/** The views the optimizer rendered at the latest preview (what CLIP saw, before augmentation). */
import { useEffect, useRef } from 'react';

export interface ViewsImage { rgba: Uint8ClampedArray; width: number; height: number; step: number }

export function ViewsStrip({ image }: { image?: ViewsImage }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c || !image) return;
    c.width = image.width;
    c.height = image.height;
    c.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
  }, [image]);
  return (
    <figure className="xmesh-views" data-testid="xmesh-views" data-step={image?.step ?? ''}>
      <figcaption>Rendered views{image ? ` · it ${image.step}` : ''}</figcaption>
      {image ? <canvas ref={ref} className="xmesh-views-canvas" /> : <div className="muted">Shown once the run starts.</div>}
    </figure>
  );
}
