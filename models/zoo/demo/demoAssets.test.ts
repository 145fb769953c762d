import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedAssetFiles } from './assetFiles.ts';
import { renderAssetHashes } from './writeDemoAssets.ts';
import { ASSETS_DIR } from '../../loader/nodeFetchFile.ts';
import { allManifests } from '../../manifests/index.ts';
import { validateManifest } from '../../manifests/schema.ts';

describe('generated demo assets', () => {
  it('regenerating reproduces the committed bytes and hashes', async () => {
    const files = generatedAssetFiles();
    for (const [path, bytes] of Object.entries(files)) {
      expect(new Uint8Array(readFileSync(join(ASSETS_DIR, path))), path).toEqual(bytes);
    }
    const committed = readFileSync(join(ASSETS_DIR, '..', 'models', 'manifests', 'assetHashes.ts'), 'utf8');
    expect(committed).toBe(await renderAssetHashes(files));
  });

  it('every manifest is structurally valid', () => {
    for (const m of allManifests({ fixtures: true })) expect(validateManifest(m), m.id).toEqual([]);
  });
});
