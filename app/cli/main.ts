/**
 * The `atelier` CLI (bin/atelier.mjs runs this through tsx). Commands load lazily, so
 * `atelier info` does not pay for what `atelier train` imports.
 */
import { processIo, type CliIo } from './io.ts';
import { runNamed } from './namedModule.ts';

type Command = { summary: string; run(args: string[], io: CliIo): Promise<number> };

const COMMANDS: Record<string, Command> = {
  info: { summary: 'backends, cache directory and models (--json: one JSON object on stdout)', run: async (a, io) => (await import('./commands/info.ts')).run(a, io) },
  models: { summary: 'list | load <id> | delete <id> | clear the model cache (--json, --fixtures)', run: async (a, io) => (await import('./commands/models.ts')).run(a, io) },
  generate: { summary: 'text to image with the micro diffusion stack (--prompt, --seed, --steps, --guidance, --out img.png)', run: async (a, io) => (await import('./commands/generate.ts')).run(a, io) },
  'run-demo': { summary: 'run the demo job on onnxruntime-node (--steps N, --pause ms, --json)', run: async (a, io) => (await import('./commands/runDemo.ts')).run(a, io) },
  train: { summary: 'train <recipe> [args]: run models/train/recipes/<recipe>.ts', run: (a, io) => runNamed('train', a, io) },
  eval: { summary: 'eval <name> [args]: run app/cli/eval/<name>.ts', run: (a, io) => runNamed('eval', a, io) },
  bench: { summary: 'bench <name> [args]: run app/cli/bench/<name>.ts (prints numbers; --json)', run: (a, io) => runNamed('bench', a, io) },
  caption: { summary: 'caption an image or answer a question (micro-VLM + DyVTE exit): --image img.png [--question "…"] [--no-exit] [--json]', run: async (a, io) => (await import('./commands/caption.ts')).run(a, io) },
  stylize: { summary: 'text-guided mesh stylization (X-Mesh/Text2Mesh): --mesh <file|sample:NAME> --prompt "…" --out out.glb', run: async (a, io) => (await import('./commands/stylize.ts')).run(a, io) },
  microworld: { summary: 'procedural microworld tools (see `atelier microworld --help`)', run: async (a) => (await import('./commands/microworld.ts')).run(a) },
  visualness: { summary: 'how visual is a text: per-sentence TIP-CLIP scores and word attribution ("text…" --json)', run: async (a, io) => (await import('./commands/visualness.ts')).run(a, io) },
};

export function helpText(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'atelier — the Atelier studio from the command line',
    '',
    'usage: atelier <command> [args]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(w)}  ${c.summary}`),
    '',
    'The studio itself: npm start (serves it on 127.0.0.1). Models cache: $ATELIER_CACHE_DIR or ~/.cache/atelier.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    io.out(helpText());
    return 0;
  }
  const c = COMMANDS[cmd];
  if (!c) {
    io.err(`unknown command "${cmd}"\n\n${helpText()}`);
    return 2;
  }
  try {
    return await c.run(rest, io);
  } catch (err) {
    io.err(`atelier ${cmd}: ${(err as Error)?.stack ?? String(err)}`);
    return 1;
  }
}
