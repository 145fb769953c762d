/**
 * WebGPU dispatch of the visibility-buffer rasterizer (rasterize.wgsl), batched over views.
 * Owns the per-view buffers the shading kernels read: view-space positions (vec4 per view and
 * vertex), triangle id per pixel (u32, 0xffffffff = empty) and barycentrics (b1, b2) per pixel.
 *
 *   const r = new GpuRasterizer(device, { indices: idxBuf, nVerts, nFaces, maxViews: 5, size: 64 });
 *   r.encode(encoder, positionsBuf, camsBuf, 5);   // then submit
 */
import RASTER_WGSL from './rasterize.wgsl?raw';
import FIXED_WGSL from '../gpu/fixedPoint.wgsl?raw';
import { storageBuffer, uniformBuffer } from '../gpu/buffers.ts';
import { KernelModule } from '../gpu/kernels.ts';
import type { Camera } from './camera.ts';

export const EMPTY_TRIANGLE = 0xffffffff;

export interface GpuRasterizerOptions {
  /** Triangle corner indices (u32, 3 per face), already on the GPU. */
  indices: GPUBuffer;
  nVerts: number;
  nFaces: number;
  maxViews: number;
  size: number;
  cullBackFaces?: boolean;
}

/** 16 floats per view: rotation rows (xyz, 0), eye (xyz, tan(fov/2)), the layout of `Cam` in WGSL. */
export function packCameras(cams: Camera[]): Float32Array {
  const out = new Float32Array(cams.length * 16);
  cams.forEach((c, v) => {
    const R = c.rotation;
    out.set([R[0], R[1], R[2], 0, R[3], R[4], R[5], 0, R[6], R[7], R[8], 0, c.position[0], c.position[1], c.position[2], Math.tan(c.fov / 2)], v * 16);
  });
  return out;
}

export class GpuRasterizer {
  readonly viewPos: GPUBuffer;
  readonly triId: GPUBuffer;
  readonly visBary: GPUBuffer;
  private readonly depthKey: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly kernels: KernelModule;

  constructor(private readonly device: GPUDevice, private readonly opts: GpuRasterizerOptions) {
    const { nVerts, maxViews, size } = opts;
    const pixels = maxViews * size * size;
    this.viewPos = storageBuffer(device, maxViews * nVerts * 16, 'raster-viewPos');
    this.depthKey = storageBuffer(device, pixels * 4, 'raster-depthKey');
    this.triId = storageBuffer(device, pixels * 4, 'raster-triId');
    this.visBary = storageBuffer(device, pixels * 8, 'raster-visBary');
    this.params = uniformBuffer(device, 32, 'raster-params');
    this.kernels = new KernelModule(device, FIXED_WGSL + RASTER_WGSL, ['uniform', 'read', 'read', 'read', 'rw', 'rw', 'rw', 'rw'], ['project', 'clear', 'rasterDepth', 'rasterId', 'resolve'], 'rasterize');
  }

  /** Queue the params write and record the passes; submit the encoder before the next encode(). */
  encode(encoder: GPUCommandEncoder, positions: GPUBuffer, cams: GPUBuffer, views: number): void {
    const { nVerts, nFaces, size, maxViews } = this.opts;
    if (views > maxViews) throw new Error(`GpuRasterizer: ${views} views exceed maxViews ${maxViews}`);
    this.device.queue.writeBuffer(this.params, 0, new Uint32Array([views, nVerts, nFaces, size, this.opts.cullBackFaces === false ? 0 : 1, 0, 0, 0]));
    const group = this.kernels.bindGroup([this.params, cams, positions, this.opts.indices, this.viewPos, this.depthKey, this.triId, this.visBary], 'raster');
    const pass = encoder.beginComputePass({ label: 'rasterize' });
    this.kernels.dispatch(pass, 'project', group, views * nVerts);
    this.kernels.dispatch(pass, 'clear', group, views * size * size);
    this.kernels.dispatch(pass, 'rasterDepth', group, views * nFaces);
    this.kernels.dispatch(pass, 'rasterId', group, views * nFaces);
    this.kernels.dispatch(pass, 'resolve', group, views * size * size);
    pass.end();
  }

  dispose(): void {
    for (const b of [this.viewPos, this.depthKey, this.triId, this.visBary, this.params]) b.destroy();
  }
}
