/**
 * Where an image comes in: drop a file, browse for one, or take a Microworld sample (procedural,
 * offline, with known captions). Decoding happens in the browser (huge images are reduced by
 * the platform decoder); failures come back as a sentence, never a crash.
 */
import { useState, type DragEvent } from 'react';
import { decodeImageInBrowser } from '../../../models/vision/decodeBrowser.ts';
import { fromRgb, microworldImage, type StudioImage } from '../../state/captionImage.ts';
import { PixelCanvas } from './PixelCanvas.tsx';

interface Props {
  image?: StudioImage;
  error?: string;
  onImage(img: StudioImage): void;
  onError(message: string): void;
  testId: string;
}

export async function imageFromFile(file: Blob & { name?: string }): Promise<StudioImage> {
  const rgb = await decodeImageInBrowser(file);
  return fromRgb(rgb, file.name ?? 'image', 'file');
}

export function ImageDrop({ image, error, onImage, onError, testId }: Props) {
  const [over, setOver] = useState(false);
  const [sample, setSample] = useState(0);
  const take = (file: File | undefined) => {
    if (!file) return;
    imageFromFile(file).then(onImage, (e: unknown) => onError(`${file.name}: ${(e as Error).message}`));
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files[0]);
  };
  const pickSample = () => {
    onImage(microworldImage(sample));
    setSample((s) => s + 1);
  };
  return (
    <div className="image-drop-wrap">
      <div
        className={`image-drop ${over ? 'over' : ''} ${image ? 'has-image' : ''}`}
        data-testid={testId}
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        {image ? (
          <PixelCanvas width={image.width} height={image.height} pixels={image.rgb} className="image-drop-img" testId={`${testId}-image`} label={image.name} />
        ) : (
          <span className="muted">Drop an image here</span>
        )}
      </div>
      <div className="image-drop-actions">
        <label className="btn small">
          Browse…
          <input type="file" accept="image/*" hidden data-testid={`${testId}-file`} onChange={(e) => { take(e.target.files?.[0]); e.target.value = ''; }} />
        </label>
        <button className="btn small" data-testid={`${testId}-sample`} onClick={pickSample} title="A held-out procedurally generated scene">
          Microworld sample
        </button>
      </div>
      {image && <div className="muted image-drop-name" data-testid={`${testId}-name`}>{image.name} · {image.width}×{image.height}</div>}
      {error && <div className="field-error" role="alert" data-testid={`${testId}-error`}>{error}</div>}
    </div>
  );
}
