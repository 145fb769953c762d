/**
 * WebGPU dispatch of deferred shading forward (shade.wgsl) and its adjoint (shadeBackward.wgsl →
 * normalBackward.wgsl → gatherGrad.wgsl), batched over views, reading a GpuRasterizer's buffers.
 * The backward scatter-adds vertex-color and light gradients in fixed-point i32 atomics
 * (shaders/gpu/fixedPoint.wgsl); positions are gathered per vertex through a CSR adjacency.
 *
 *   const s = new GpuShader(device, { indices, indexData, nVerts, nFaces, maxViews: 5, size: 64 });
 *   s.encodeForward(encoder, raster, colorsBuf, views, [1, 1, 1]);
 *   s.encodeBackward(encoder, raster, colorsBuf, camsBuf, dImagesBuf, views);  // → s.dColors, s.dPositions
 */
import SHADE_WGSL from './shade.wgsl?raw';
import SHADE_BACKWARD_WGSL from './shadeBackward.wgsl?raw';
import NORMAL_BACKWARD_WGSL from './normalBackward.wgsl?raw';
import GATHER_WGSL from './gatherGrad.wgsl?raw';
import FIXED_WGSL from '../gpu/fixedPoint.wgsl?raw';
import PARAMS_WGSL from './shadeParams.wgsl?raw';

const PRELUDE = FIXED_WGSL + PARAMS_WGSL;
import { storageBuffer, storageFrom, uniformBuffer } from '../gpu/buffers.ts';
import { KernelModule } from '../gpu/kernels.ts';
import type { GpuRasterizer } from './rasterizeGpu.ts';

export interface GpuShaderOptions {
  indices: GPUBuffer;
  /** The same indices on the CPU, to build the vertex → face-corner adjacency once. */
  indexData: Uint32Array;
  nVerts: number;
  nFaces: number;
  maxViews: number;
  size: number;
}

/** CSR adjacency: offsets [nVerts + 1] then entries face*3 + corner, grouped by vertex. */
export function cornerAdjacency(indices: Uint32Array, nVerts: number): Uint32Array {
  const counts = new Uint32Array(nVerts + 1);
  for (const v of indices) counts[v + 1]++;
  for (let k = 0; k < nVerts; k++) counts[k + 1] += counts[k];
  const out = new Uint32Array(nVerts + 1 + indices.length);
  out.set(counts);
  const fill = counts.slice(0, nVerts);
  indices.forEach((v, corner) => {
    out[nVerts + 1 + fill[v]++] = corner;
  });
  return out;
}

export class GpuShader {
  readonly images: GPUBuffer;
  readonly dColors: GPUBuffer;
  readonly dPositions: GPUBuffer;
  private readonly faceNormal: GPUBuffer;
  private readonly acc: GPUBuffer;
  private readonly scalars: GPUBuffer;
  private readonly cornerGrad: GPUBuffer;
  private readonly csr: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly forwardK: KernelModule;
  private readonly backwardK: KernelModule;
  private readonly normalK: KernelModule;
  private readonly gatherK: KernelModule;

  constructor(private readonly device: GPUDevice, private readonly opts: GpuShaderOptions) {
    const { nVerts, nFaces, maxViews, size } = opts;
    this.images = storageBuffer(device, maxViews * 3 * size * size * 4, 'shade-images');
    this.dColors = storageBuffer(device, nVerts * 12, 'shade-dColors');
    this.dPositions = storageBuffer(device, nVerts * 12, 'shade-dPositions');
    this.faceNormal = storageBuffer(device, maxViews * nFaces * 16, 'shade-faceNormal');
    this.acc = storageBuffer(device, (nVerts * 3 + maxViews * nFaces) * 4, 'shade-acc');
    this.scalars = storageBuffer(device, 16, 'shade-scalars');
    this.cornerGrad = storageBuffer(device, nFaces * 9 * 4, 'shade-cornerGrad');
    this.csr = storageFrom(device, cornerAdjacency(opts.indexData, nVerts), 'shade-csr');
    this.params = uniformBuffer(device, 48, 'shade-params');
    this.forwardK = new KernelModule(device, PRELUDE + SHADE_WGSL, ['uniform', 'read', 'read', 'read', 'read', 'read', 'rw', 'rw'], ['faceSetup', 'shadeForward'], 'shade');
    this.backwardK = new KernelModule(device, PRELUDE + SHADE_BACKWARD_WGSL, ['uniform', 'read', 'read', 'read', 'read', 'read', 'read', 'rw', 'rw'], ['absMax', 'countCoverage', 'maxCount', 'prepScale', 'pixelBackward'], 'shadeBackward');
    this.normalK = new KernelModule(device, PRELUDE + NORMAL_BACKWARD_WGSL, ['uniform', 'read', 'read', 'read', 'read', 'read', 'rw'], ['normalBackward'], 'normalBackward');
    this.gatherK = new KernelModule(device, PRELUDE + GATHER_WGSL, ['uniform', 'read', 'read', 'read', 'read', 'rw', 'rw'], ['gatherGrad'], 'gatherGrad');
  }

  private writeParams(views: number, background: readonly number[]): void {
    const { nVerts, nFaces, size } = this.opts;
    const buf = new ArrayBuffer(48);
    new Uint32Array(buf, 0, 4).set([views, nVerts, nFaces, size]);
    // `bound` stays 0: the backward derives its fixed-point bound from coverage counts on the GPU.
    new Float32Array(buf, 16, 8).set([background[0], background[1], background[2], 0, 0, 0, 0, 0]);
    this.device.queue.writeBuffer(this.params, 0, buf);
  }

  encodeForward(encoder: GPUCommandEncoder, raster: GpuRasterizer, colors: GPUBuffer, views: number, background: readonly number[]): void {
    const { nFaces, size } = this.opts;
    this.writeParams(views, background);
    const group = this.forwardK.bindGroup([this.params, this.opts.indices, colors, raster.viewPos, raster.triId, raster.visBary, this.faceNormal, this.images], 'shade');
    const pass = encoder.beginComputePass({ label: 'shade' });
    this.forwardK.dispatch(pass, 'faceSetup', group, views * nFaces);
    this.forwardK.dispatch(pass, 'shadeForward', group, views * size * size);
    pass.end();
  }

  /** Gradients land in this.dColors (V×3) and this.dPositions (V×3, world). */
  encodeBackward(encoder: GPUCommandEncoder, raster: GpuRasterizer, colors: GPUBuffer, cams: GPUBuffer, dImages: GPUBuffer, views: number): void {
    const { nVerts, nFaces, size } = this.opts;
    encoder.clearBuffer(this.acc);
    encoder.clearBuffer(this.scalars);
    const back = this.backwardK.bindGroup([this.params, this.opts.indices, colors, raster.triId, raster.visBary, this.faceNormal, dImages, this.acc, this.scalars], 'shadeBackward');
    const normal = this.normalK.bindGroup([this.params, this.opts.indices, raster.viewPos, cams, this.acc, this.scalars, this.cornerGrad], 'normalBackward');
    const gather = this.gatherK.bindGroup([this.params, this.acc, this.scalars, this.cornerGrad, this.csr, this.dColors, this.dPositions], 'gatherGrad');
    const pass = encoder.beginComputePass({ label: 'shadeBackward' });
    this.backwardK.dispatch(pass, 'absMax', back, views * 3 * size * size);
    this.backwardK.dispatch(pass, 'countCoverage', back, views * size * size);
    this.backwardK.dispatch(pass, 'maxCount', back, nVerts * 3 + views * nFaces);
    this.backwardK.dispatch(pass, 'prepScale', back, 1);
    this.backwardK.dispatch(pass, 'pixelBackward', back, views * size * size);
    this.normalK.dispatch(pass, 'normalBackward', normal, nFaces);
    this.gatherK.dispatch(pass, 'gatherGrad', gather, nVerts);
    pass.end();
  }

  dispose(): void {
    for (const b of [this.images, this.dColors, this.dPositions, this.faceNormal, this.acc, this.scalars, this.cornerGrad, this.csr, this.params]) b.destroy();
  }
}
