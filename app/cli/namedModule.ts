/**
 * `train <name>`, `eval <name>`, `bench <name>`: each name is a TypeScript file in a folder
 * exporting `run(args)`. Unknown names list what exists instead of a stack trace.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CliIo } from './io.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const NAMED_DIRS = {
  train: { dir: join(repo, 'models', 'train', 'recipes'), what: 'training recipe' },
  eval: { dir: join(repo, 'app', 'cli', 'eval'), what: 'evaluation' },
  bench: { dir: join(repo, 'app', 'cli', 'bench'), what: 'benchmark' },
} as const;

export type NamedKind = keyof typeof NAMED_DIRS;

/** Names available in a folder: `<name>.ts`, not tests. */
export function available(kind: NamedKind): string[] {
  const { dir } = NAMED_DIRS[kind];
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts')).map((f) => f.slice(0, -3)).sort();
}

export async function runNamed(kind: NamedKind, args: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  const names = available(kind);
  const list = names.length ? names.join(', ') : '(none yet)';
  const { dir, what } = NAMED_DIRS[kind];
  if (!name || name.startsWith('-')) {
    io.err(`usage: atelier ${kind} <name> [args]\navailable: ${list}`);
    return 2;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name) || !names.includes(name)) {
    io.err(`unknown ${what} "${name}"; available: ${list}`);
    return 2;
  }
  const mod = (await import(pathToFileURL(join(dir, `${name}.ts`)).href)) as { run?: (a: string[]) => Promise<number> };
  if (typeof mod.run !== 'function') {
    io.err(`${kind}/${name}.ts does not export run(args)`);
    return 2;
  }
  return mod.run(rest);
}
