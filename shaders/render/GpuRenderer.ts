/**
 * The batched differentiable renderer on WebGPU: the GPU twin of renderViews/renderViewsBackward
 * (renderViews.ts), keeping every buffer on the device. Takes any GPUDevice — the pipeline passes
 * onnxruntime-web's, so style-field outputs (positions, colors) can be bound as-is and the images
 * and gradients can go straight back into ONNX sessions as gpu-buffer tensors.
 *
 *   const r = new GpuRenderer(device, { indices, vertexCount }, { size: 64, maxViews: 5 });
 *   const images = r.render(positionsBuf, colorsBuf, views);      // GPUBuffer [views, 3, 64, 64]
 *   const { dColors, dPositions } = r.backward(dImagesBuf);        // GPUBuffers, V×3 each
 *   const rgb = await r.readImages(); r.dispose();
 *
 * Buffers returned are owned by the renderer and overwritten by the next call.
 */
import { GpuRasterizer, packCameras } from '../raster/rasterizeGpu.ts';
import { GpuShader } from '../raster/shadeGpu.ts';
import { readFloat32, readUint32, storageBuffer, storageFrom, upload } from '../gpu/buffers.ts';
import { cameraOf } from './renderViews.ts';
import type { ViewSpec } from './sampleViews.ts';

export interface GpuRendererOptions {
  size: number;
  maxViews: number;
  background?: [number, number, number];
  cullBackFaces?: boolean;
}

type Input = GPUBuffer | Float32Array;

export class GpuRenderer {
  private readonly indices: GPUBuffer;
  private readonly cams: GPUBuffer;
  private readonly ownPositions: GPUBuffer;
  private readonly ownColors: GPUBuffer;
  private readonly ownDImages: GPUBuffer;
  private readonly raster: GpuRasterizer;
  private readonly shader: GpuShader;
  private readonly nVerts: number;
  private last: { positions: GPUBuffer; colors: GPUBuffer; views: number } | null = null;
  private disposed = false;

  constructor(private readonly device: GPUDevice, mesh: { indices: Uint32Array; vertexCount: number }, private readonly opts: GpuRendererOptions) {
    const nFaces = mesh.indices.length / 3;
    this.nVerts = mesh.vertexCount;
    const { size, maxViews } = opts;
    this.indices = storageFrom(device, mesh.indices, 'render-indices');
    this.cams = storageBuffer(device, maxViews * 64, 'render-cams');
    this.ownPositions = storageBuffer(device, this.nVerts * 12, 'render-positions');
    this.ownColors = storageBuffer(device, this.nVerts * 12, 'render-colors');
    this.ownDImages = storageBuffer(device, maxViews * 3 * size * size * 4, 'render-dImages');
    const common = { indices: this.indices, nVerts: this.nVerts, nFaces, maxViews, size };
    this.raster = new GpuRasterizer(device, { ...common, cullBackFaces: opts.cullBackFaces });
    this.shader = new GpuShader(device, { ...common, indexData: mesh.indices });
  }

  private input(x: Input, own: GPUBuffer): GPUBuffer {
    if (!(x instanceof Float32Array)) return x;
    if (x.length !== this.nVerts * 3) throw new Error(`GpuRenderer: expected ${this.nVerts * 3} values, got ${x.length}`);
    upload(this.device, own, x);
    return own;
  }

  /** Rasterize and shade all views; returns the images buffer [views, 3, size, size]. */
  render(positions: Input, colors: Input, views: ViewSpec[]): GPUBuffer {
    if (this.disposed) throw new Error('GpuRenderer: disposed');
    if (views.length < 1 || views.length > this.opts.maxViews) throw new Error(`GpuRenderer: ${views.length} views, allowed 1..${this.opts.maxViews}`);
    const pos = this.input(positions, this.ownPositions);
    const col = this.input(colors, this.ownColors);
    upload(this.device, this.cams, packCameras(views.map(cameraOf)));
    const encoder = this.device.createCommandEncoder({ label: 'render' });
    this.raster.encode(encoder, pos, this.cams, views.length);
    this.shader.encodeForward(encoder, this.raster, col, views.length, this.opts.background ?? [1, 1, 1]);
    this.device.queue.submit([encoder.finish()]);
    this.last = { positions: pos, colors: col, views: views.length };
    return this.shader.images;
  }

  /** Adjoint of the last render: dL/dimages → dL/dcolors and dL/dpositions (world), both V×3. */
  backward(dImages: Input): { dColors: GPUBuffer; dPositions: GPUBuffer } {
    if (!this.last) throw new Error('GpuRenderer: backward() before render()');
    const { size } = this.opts;
    let d: GPUBuffer;
    if (dImages instanceof Float32Array) {
      if (dImages.length !== this.last.views * 3 * size * size) throw new Error(`GpuRenderer: dImages has ${dImages.length} values, expected ${this.last.views}×3×${size}×${size}`);
      upload(this.device, this.ownDImages, dImages);
      d = this.ownDImages;
    } else d = dImages;
    const encoder = this.device.createCommandEncoder({ label: 'renderBackward' });
    this.shader.encodeBackward(encoder, this.raster, this.last.colors, this.cams, d, this.last.views);
    this.device.queue.submit([encoder.finish()]);
    return { dColors: this.shader.dColors, dPositions: this.shader.dPositions };
  }

  async readImages(): Promise<Float32Array> {
    const views = this.last?.views ?? 0;
    return readFloat32(this.device, this.shader.images, views * 3 * this.opts.size ** 2);
  }

  /** Triangle id per (view, pixel) (−1 empty) and (b1, b2) per pixel, like VisibilityBuffer. */
  async readVisibility(): Promise<{ triangle: Int32Array; bary: Float32Array }> {
    const n = (this.last?.views ?? 0) * this.opts.size ** 2;
    const ids = await readUint32(this.device, this.raster.triId, n);
    return { triangle: new Int32Array(ids.buffer), bary: await readFloat32(this.device, this.raster.visBary, n * 2) };
  }

  async readGradients(): Promise<{ dColors: Float32Array; dPositions: Float32Array }> {
    return {
      dColors: await readFloat32(this.device, this.shader.dColors, this.nVerts * 3),
      dPositions: await readFloat32(this.device, this.shader.dPositions, this.nVerts * 3),
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.raster.dispose();
    this.shader.dispose();
    for (const b of [this.indices, this.cams, this.ownPositions, this.ownColors, this.ownDImages]) b.destroy();
  }
}
