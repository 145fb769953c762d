/** Node file source: assets-relative locations from the repo's assets/ directory, URLs over fetch. */
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UnreachableError } from './errors.ts';
import { httpFetchFile, isAbsolute, type FetchFile } from './fetchFile.ts';

export const ASSETS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets');

export function nodeFetchFile(assetsDir: string = ASSETS_DIR): FetchFile {
  const http = httpFetchFile('http://127.0.0.1/');
  return async (r) => {
    if (isAbsolute(r.location)) return http(r);
    const path = join(assetsDir, r.location);
    try {
      const b = new Uint8Array(await readFile(path));
      r.onProgress(b.length);
      return b;
    } catch (err) {
      throw new UnreachableError(r.modelId, r.file, path, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
    }
  };
}
