import { describe, expect, it } from 'vitest';
import { ModelRegistry } from './registry.ts';
import { MemoryCache } from './cache/ModelCache.ts';
import { nodeFetchFile } from './loader/nodeFetchFile.ts';
import { allManifests } from './manifests/index.ts';
import type { FetchFile } from './loader/fetchFile.ts';

const caps = async () => ({ webgpu: false, shaderF16: false, cores: 1 });

describe('ModelRegistry', () => {
  it('lists, sizes, loads (once), reports cached, deletes and clears', async () => {
    let fetches = 0;
    const inner = nodeFetchFile();
    const counting: FetchFile = (r) => { fetches++; return inner(r); };
    const reg = new ModelRegistry(allManifests(), new MemoryCache(), counting, caps);
    expect(reg.list().map((m) => m.id)).toEqual(allManifests().map((m) => m.id));
    expect(reg.list().map((m) => m.id)).toContain('demo-mlp');
    expect(reg.size('demo-mlp')).toBe(21312);
    expect(() => reg.get('nope')).toThrow(/unknown model "nope" \(known: demo-mlp[,)]/);
    expect(await reg.isCached('demo-mlp')).toBe(false);
    expect((await reg.load('demo-mlp')).fromCache).toBe(false);
    expect((await reg.load('demo-mlp')).fromCache).toBe(true);
    expect(fetches).toBe(1);
    expect(await reg.isCached('demo-mlp')).toBe(true);
    expect(await reg.cachedBytes()).toBe(21312);
    expect((await reg.entries())[0]).toMatchObject({ bytes: 21312, cached: true });
    await reg.delete('demo-mlp');
    expect(await reg.isCached('demo-mlp')).toBe(false);
    await reg.load('demo-mlp');
    expect(fetches).toBe(2);
    await reg.clear();
    expect(await reg.cachedBytes()).toBe(0);
  });

  it('includes fixtures only on request', () => {
    expect(allManifests({ fixtures: true }).length).toBeGreaterThan(allManifests().length);
  });
});
