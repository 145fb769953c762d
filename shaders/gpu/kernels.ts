/**
 * Compute kernels with an explicit bind-group layout shared by every entry point of one WGSL
 * module ('auto' layouts drop bindings an entry point does not use, which makes one bind group
 * per module impossible). Pipelines are cached per device and source, so renderers created per
 * run do not recompile. Dispatches are 1-D over `n` threads of 64, folded into 2-D when n
 * exceeds 65535 workgroups; shaders recover the index with linearId() (see fixedPoint.wgsl).
 *
 *   const k = new KernelModule(device, src, ['uniform', 'read', 'rw'], ['forward', 'backward']);
 *   k.dispatch(pass, 'forward', bindGroup, n);
 */

export type BindingKind = 'uniform' | 'read' | 'rw';

export const WORKGROUP = 64;
const MAX_GROUPS = 65535;

interface Compiled {
  layout: GPUBindGroupLayout;
  pipelines: Map<string, GPUComputePipeline>;
}

const cache = new WeakMap<GPUDevice, Map<string, Compiled>>();

export class KernelModule {
  readonly layout: GPUBindGroupLayout;
  private readonly pipelines: Map<string, GPUComputePipeline>;

  constructor(private readonly device: GPUDevice, code: string, kinds: BindingKind[], entryPoints: string[], label = 'kernel') {
    let perDevice = cache.get(device);
    if (!perDevice) cache.set(device, (perDevice = new Map()));
    const key = `${kinds.join(',')}|${entryPoints.join(',')}|${code}`;
    let compiled = perDevice.get(key);
    if (!compiled) {
      const layout = device.createBindGroupLayout({
        label: `${label}-layout`,
        entries: kinds.map((k, binding) => ({
          binding,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: k === 'uniform' ? 'uniform' : k === 'read' ? 'read-only-storage' : 'storage' },
        })),
      });
      const module = device.createShaderModule({ label, code });
      const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
      const pipelines = new Map<string, GPUComputePipeline>();
      for (const entryPoint of entryPoints) {
        pipelines.set(entryPoint, device.createComputePipeline({ label: `${label}:${entryPoint}`, layout: pipelineLayout, compute: { module, entryPoint } }));
      }
      compiled = { layout, pipelines };
      perDevice.set(key, compiled);
    }
    this.layout = compiled.layout;
    this.pipelines = compiled.pipelines;
  }

  bindGroup(buffers: GPUBuffer[], label?: string): GPUBindGroup {
    return this.device.createBindGroup({ label, layout: this.layout, entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
  }

  /** Run `entry` over n threads (no-op for n = 0). */
  dispatch(pass: GPUComputePassEncoder, entry: string, group: GPUBindGroup, n: number): void {
    if (n <= 0) return;
    const pipeline = this.pipelines.get(entry);
    if (!pipeline) throw new Error(`KernelModule: no entry point ${entry}`);
    const groups = Math.ceil(n / WORKGROUP);
    const x = Math.min(groups, MAX_GROUPS);
    const y = Math.ceil(groups / x);
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(x, y);
  }
}
