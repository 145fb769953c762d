/**
 * WebGPU dispatch of the augmentation (augment.wgsl) and its adjoint, batched over views with one
 * shared parameter draw. The adjoint's fixed-point scale uses a bound computed here from the same
 * plan as the CPU reference: the largest total tap weight any source pixel receives.
 *
 *   const aug = new GpuAugment(device);
 *   const out = aug.forward(imagesBuf, 5, 64, 32, spec);     // GPUBuffer [5, 3, 32, 32]
 *   const dImages = aug.backward(dOutBuf, 5, 64, 32, spec);  // GPUBuffer [5, 3, 64, 64]
 *
 * Returned buffers are owned by the GpuAugment and reused by the next call of the same kind.
 */
import AUGMENT_WGSL from './augment.wgsl?raw';
import FIXED_WGSL from '../gpu/fixedPoint.wgsl?raw';
import { storageBuffer, storageFrom, uniformBuffer } from '../gpu/buffers.ts';
import { KernelModule } from '../gpu/kernels.ts';
import { planAugment, tapsAt, type AugmentPlan, type AugmentSpec } from './augment.ts';

/** Max over source pixels of the summed weights of all output taps landing on it. */
export function maxTapLoad(plan: AugmentPlan): number {
  const load = new Float64Array(plan.size * plan.size);
  const t = { idx: [0, 0, 0, 0] as [number, number, number, number], w: [0, 0, 0, 0] as [number, number, number, number], fillWeight: 0 };
  for (let y = 0; y < plan.outSize; y++) {
    for (let x = 0; x < plan.outSize; x++) {
      tapsAt(plan, x, y, t);
      for (let k = 0; k < 4; k++) load[t.idx[k]] += t.w[k];
    }
  }
  return load.reduce((m, v) => Math.max(m, v), 0);
}

function packParams(plan: AugmentPlan, planes: number, bound: number): ArrayBuffer {
  const buf = new ArrayBuffer(80);
  new Uint32Array(buf, 0, 4).set([plan.size, plan.outSize, planes, plan.coeffs ? 1 : 0]);
  const k = plan.coeffs ?? [1, 0, 0, 0, 1, 0, 0, 0];
  const c = plan.crop;
  new Float32Array(buf, 16, 16).set([c.x0, c.y0, c.w, c.h, k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], plan.fill, bound, 0, 0]);
  return buf;
}

export class GpuAugment {
  private readonly kernels: KernelModule;
  private readonly params: GPUBuffer;
  private readonly scalars: GPUBuffer;
  private readonly dummy: GPUBuffer;
  private out: GPUBuffer | null = null;
  private grad: GPUBuffer | null = null;
  private acc: GPUBuffer | null = null;

  constructor(private readonly device: GPUDevice) {
    this.kernels = new KernelModule(device, FIXED_WGSL + AUGMENT_WGSL, ['uniform', 'read', 'rw', 'rw', 'rw'], ['augmentForward', 'absMax', 'prepScale', 'augmentBackward', 'augmentResolve'], 'augment');
    this.params = uniformBuffer(device, 80, 'augment-params');
    this.scalars = storageBuffer(device, 16, 'augment-scalars');
    this.dummy = storageFrom(device, new Int32Array(4), 'augment-unused');
  }

  private sized(slot: 'out' | 'grad' | 'acc', bytes: number): GPUBuffer {
    const cur = this[slot];
    if (cur && cur.size >= bytes) return cur;
    cur?.destroy();
    const b = storageBuffer(this.device, bytes, `augment-${slot}`);
    this[slot] = b;
    return b;
  }

  forward(images: GPUBuffer, views: number, size: number, outSize: number, spec: AugmentSpec): GPUBuffer {
    const plan = planAugment(size, outSize, spec);
    const out = this.sized('out', views * 3 * outSize * outSize * 4);
    this.device.queue.writeBuffer(this.params, 0, packParams(plan, views * 3, 1));
    const group = this.kernels.bindGroup([this.params, images, out, this.dummy, this.scalars], 'augment');
    const enc = this.device.createCommandEncoder({ label: 'augment' });
    const pass = enc.beginComputePass();
    this.kernels.dispatch(pass, 'augmentForward', group, outSize * outSize);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    return out;
  }

  backward(dOut: GPUBuffer, views: number, size: number, outSize: number, spec: AugmentSpec): GPUBuffer {
    const plan = planAugment(size, outSize, spec);
    const planes = views * 3;
    const grad = this.sized('grad', planes * size * size * 4);
    const acc = this.sized('acc', planes * size * size * 4);
    this.device.queue.writeBuffer(this.params, 0, packParams(plan, planes, Math.max(1, maxTapLoad(plan))));
    const group = this.kernels.bindGroup([this.params, dOut, grad, acc, this.scalars], 'augmentBackward');
    const enc = this.device.createCommandEncoder({ label: 'augmentBackward' });
    enc.clearBuffer(acc);
    enc.clearBuffer(this.scalars);
    const pass = enc.beginComputePass();
    this.kernels.dispatch(pass, 'absMax', group, planes * outSize * outSize);
    this.kernels.dispatch(pass, 'prepScale', group, 1);
    this.kernels.dispatch(pass, 'augmentBackward', group, outSize * outSize);
    this.kernels.dispatch(pass, 'augmentResolve', group, planes * size * size);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    return grad;
  }

  dispose(): void {
    for (const b of [this.params, this.scalars, this.dummy, this.out, this.grad, this.acc]) b?.destroy();
    this.out = this.grad = this.acc = null;
  }
}
