import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { decodePng } from '../../../pipelines/core/png.ts';
import { run } from './microworld.ts';

const dir = mkdtempSync(join(tmpdir(), 'atelier-microworld-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function quiet(args: string[]): Promise<{ rc: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { rc: await run(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('atelier microworld', () => {
  it('writes a scenes contact sheet with its recipe and a captions sidecar', async () => {
    const out = join(dir, 'scenes.png');
    const r = await quiet(['--kind', 'scenes', '--n', '4', '--seed', '3', '--size', '32', '--out', out]);
    expect(r.rc).toBe(0);
    const png = decodePng(readFileSync(out));
    // 2×2 grid of 32 px tiles upscaled 4× with 4 px gutters.
    expect(png.width).toBe(2 * 128 + 3 * 4);
    expect(JSON.parse(png.text.recipe)).toMatchObject({ kind: 'scenes', n: 4, seed: '3' });
    const txt = readFileSync(`${out}.txt`, 'utf8');
    expect(txt.match(/^#\d/gm)).toHaveLength(4);
    expect(r.out).toContain('#0 ');
    // Same arguments, same bytes.
    const again = join(dir, 'scenes2.png');
    await quiet(['--kind', 'scenes', '--n', '4', '--seed', '3', '--size', '32', '--out', again]);
    expect(readFileSync(again).equals(readFileSync(out))).toBe(true);
  });

  it('handles meshes and clips', async () => {
    const m = join(dir, 'meshes.png');
    expect((await quiet(['--kind', 'meshes', '--n', '2', '--size', '24', '--split', 'test', '--out', m])).rc).toBe(0);
    expect(readFileSync(`${m}.txt`, 'utf8')).toMatch(/#0 an? /);
    const c = join(dir, 'clips.png');
    expect((await quiet(['--kind', 'clips', '--n', '2', '--size', '16', '--frames', '3', '--out', c])).rc).toBe(0);
    expect(decodePng(readFileSync(c)).width).toBe(3 * (128 + 4) + 4);
  });

  it('prints sentences and exports the vocabulary', async () => {
    const s = await quiet(['--kind', 'sentences', '--n', '6']);
    expect(s.rc).toBe(0);
    expect(s.out.split('\n')).toHaveLength(6);
    const v = join(dir, 'vocab.json');
    expect((await quiet(['--kind', 'vocab', '--out', v])).rc).toBe(0);
    expect(JSON.parse(readFileSync(v, 'utf8')).tokens[0]).toBe('<pad>');
  });

  it('rejects bad arguments with exit code 2 and writes nothing', async () => {
    for (const args of [['--kind', 'poems'], ['--n', '-3'], ['--n'], ['--bogus'], ['--split', 'dev']]) {
      const r = await quiet([...args, '--out', join(dir, 'bad.png')]);
      expect(r.rc).toBe(2);
      expect(r.err.length).toBeGreaterThan(0);
    }
    expect(existsSync(join(dir, 'bad.png'))).toBe(false);
    expect((await quiet(['--help'])).rc).toBe(0);
  });
});
