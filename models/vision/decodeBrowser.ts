/**
 * Browser decoding (window or worker): the platform decoder via createImageBitmap, which also
 * reads WebP/GIF/AVIF and downsizes in native code. Images above MAX_PIXELS are scaled down
 * inside createImageBitmap (resizeWidth/Height) instead of being decoded at full size.
 * Falls back to decode.ts when createImageBitmap or OffscreenCanvas is missing.
 */
import { ImageDecodeError, MAX_PIXELS, decodeImage } from './decode.ts';
import type { Rgb8 } from './normalize.ts';

export async function decodeImageInBrowser(blob: Blob): Promise<Rgb8> {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') {
    return decodeImage(new Uint8Array(await blob.arrayBuffer()));
  }
  if (blob.size === 0) throw new ImageDecodeError('empty', 'no image data (empty file)');
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(blob);
  } catch (e) {
    throw new ImageDecodeError('not-an-image', `the browser cannot decode this file as an image (${(e as Error).message})`);
  }
  try {
    let { width, height } = bmp;
    if (width * height > MAX_PIXELS) {
      const s = Math.sqrt(MAX_PIXELS / (width * height));
      width = Math.max(1, Math.floor(width * s));
      height = Math.max(1, Math.floor(height * s));
      bmp.close();
      bmp = await createImageBitmap(blob, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
    }
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new ImageDecodeError('corrupt', 'no 2D canvas context to read the pixels');
    ctx.fillStyle = '#fff'; // transparent pixels over white, as decode.ts does
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bmp, 0, 0);
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0, n = width * height; i < n; i++) {
      data[i * 3] = rgba[i * 4];
      data[i * 3 + 1] = rgba[i * 4 + 1];
      data[i * 3 + 2] = rgba[i * 4 + 2];
    }
    return { width, height, data };
  } finally {
    bmp.close();
  }
}
