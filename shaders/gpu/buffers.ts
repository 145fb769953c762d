/**
 * Small WebGPU buffer helpers shared by the kernels in shaders/: create, upload, read back.
 * Buffers meant to be handed to onnxruntime-web as gpu-buffer tensors carry
 * STORAGE | COPY_SRC | COPY_DST, which is what its createGpuBuffer tensors expect.
 *
 *   const buf = storageBuffer(device, 4 * n, 'images');
 *   upload(device, buf, new Float32Array(n));
 *   const back = await readFloat32(device, buf, n);
 */

/** A function, not a constant: GPUBufferUsage exists only where WebGPU does, and these modules
 *  must stay importable in Node (tests, CLI) for their CPU-side helpers. */
export function storageUsage(): number {
  return GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
}

/** A storage buffer of at least `bytes` (rounded up to 16; WebGPU rejects 0-sized bindings). */
export function storageBuffer(device: GPUDevice, bytes: number, label: string): GPUBuffer {
  return device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage: storageUsage() });
}

export function uniformBuffer(device: GPUDevice, bytes: number, label: string): GPUBuffer {
  return device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
}

/** Write typed-array data at offset 0 (length padded to 4 bytes as writeBuffer requires). */
export function upload(device: GPUDevice, buffer: GPUBuffer, data: Float32Array | Uint32Array | Int32Array): void {
  device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
}

/** A storage buffer initialized with `data`. */
export function storageFrom(device: GPUDevice, data: Float32Array | Uint32Array | Int32Array, label: string): GPUBuffer {
  const buf = storageBuffer(device, data.byteLength, label);
  upload(device, buf, data);
  return buf;
}

async function readBytes(device: GPUDevice, buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ label: `${buffer.label}-readback`, size: Math.max(16, Math.ceil(bytes / 4) * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(buffer, 0, staging, 0, staging.size);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange(0, bytes).slice(0);
  } finally {
    staging.destroy();
  }
}

export async function readFloat32(device: GPUDevice, buffer: GPUBuffer, count: number): Promise<Float32Array> {
  return new Float32Array(await readBytes(device, buffer, count * 4));
}

export async function readUint32(device: GPUDevice, buffer: GPUBuffer, count: number): Promise<Uint32Array> {
  return new Uint32Array(await readBytes(device, buffer, count * 4));
}
