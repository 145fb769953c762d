/** sha256 as lower-case hex via WebCrypto (crypto.subtle exists in browsers, workers and Node 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // digest() wants a BufferSource backed by an ArrayBuffer; copy views over shared/odd buffers.
  const view = bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', view as Uint8Array<ArrayBuffer>));
  let s = '';
  for (const b of d) s += b.toString(16).padStart(2, '0');
  return s;
}
