/**
 * Draws raw pixels (RGB or RGBA bytes) on a canvas, scaled up crisply by CSS: model outputs are
 * tiny (64×64) and a data URL round trip per preview would be wasteful.
 */
import { useEffect, useRef } from 'react';

interface Props {
  width: number;
  height: number;
  /** Interleaved RGB (3 bytes per pixel) or RGBA (4). */
  pixels: Uint8Array | Uint8ClampedArray;
  className?: string;
  testId?: string;
  label?: string;
}

export function toRgba(pixels: Uint8Array | Uint8ClampedArray, n: number): Uint8ClampedArray<ArrayBuffer> {
  if (pixels.length === n * 4) return new Uint8ClampedArray(pixels);
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    out[i * 4] = pixels[i * 3];
    out[i * 4 + 1] = pixels[i * 3 + 1];
    out[i * 4 + 2] = pixels[i * 3 + 2];
    out[i * 4 + 3] = 255;
  }
  return out;
}

export function PixelCanvas({ width, height, pixels, className, testId, label }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx || width < 1 || height < 1) return;
    ctx.putImageData(new ImageData(toRgba(pixels, width * height), width, height), 0, 0);
  }, [pixels, width, height]);
  return <canvas ref={ref} width={width} height={height} className={`pixel-canvas ${className ?? ''}`} data-testid={testId} aria-label={label} role="img" />;
}
