/**
 * Builds docs/xmesh/contact-sheet.png with the CLI: each row is `atelier stylize --png` (before in
 * gray | after, front and 3/4 views) for one mesh × prompt, run against micro-CLIP.
 *
 *   npx tsx docs/xmesh/makeContactSheet.ts [--steps 150] [--method tdam] [--clip-dir DIR] [--rows N]
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../app/cli/main.ts';
import { flag } from '../../app/cli/io.ts';
import { contactSheet } from '../../models/data/microworld/contactSheet.ts';
import { decodePng, encodePng } from '../../pipelines/core/png.ts';

const ROWS: [mesh: string, prompt: string][] = [
  ['sample:vase', 'a vase made of red brick'],
  ['sample:teapot', 'a teapot made of gold'],
  ['sample:torus', 'a torus with green stripes'],
  ['sample:bowl', 'a bowl covered in grass'],
  ['sample:capsule', 'a capsule made of lava'],
  ['../shared/data/meshes/Sofa.obj', 'a cube painted blue'],
];

async function build(): Promise<void> {
  const argv = process.argv.slice(2);
  const steps = flag(argv, 'steps') ?? '150';
  const method = flag(argv, 'method') ?? 'tdam';
  const clipDir = flag(argv, 'clip-dir');
  const rows = ROWS.slice(0, Number(flag(argv, 'rows') ?? ROWS.length));
  const tmp = mkdtempSync(join(tmpdir(), 'xmesh-sheet-'));
  const tiles = [];
  const lines = ['# X-Mesh contact sheet', '', `Rows (top to bottom), each \`atelier stylize --method ${method} --steps ${steps}\` against micro-CLIP${clipDir ? ` (${clipDir})` : ''}; columns: before (gray) front, before 3/4, after front, after 3/4.`, ''];
  for (const [i, [mesh, prompt]] of rows.entries()) {
    const png = join(tmp, `${i}.png`);
    const code = await main(['stylize', '--mesh', mesh, '--prompt', prompt, '--steps', steps, '--method', method, '--out', join(tmp, `${i}.glb`), '--png', png, '--width', '64', '--depth', '2', '--frequencies', '64', '--views', '3', ...(clipDir ? ['--clip-dir', clipDir] : [])], {
      out: () => {}, err: (s) => process.stderr.write(`${s}\n`),
    });
    if (code !== 0) throw new Error(`stylize failed for ${mesh} "${prompt}"`);
    const img = decodePng(readFileSync(png));
    tiles.push({ width: img.width, height: img.height, data: img.data });
    lines.push(`${i + 1}. \`${mesh}\` — "${prompt}"`);
  }
  const sheet = contactSheet(tiles, { columns: 1, gutter: 4 });
  writeFileSync(join('docs', 'xmesh', 'contact-sheet.png'), encodePng({ ...sheet, channels: 3 }, { rows: JSON.stringify(rows), steps, method }));
  writeFileSync(join('docs', 'xmesh', 'README.md'), `${lines.join('\n')}\n\n![contact sheet](contact-sheet.png)\n\nRegenerate: \`npx tsx docs/xmesh/makeContactSheet.ts --steps ${steps} --method ${method} --rows ${rows.length}\`.\n`);
}

await build();
