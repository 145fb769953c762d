/** `atelier models [list|load <id>|delete <id>|clear] [--json] [--fixtures]`: the Node model cache. */
import { createNodeRegistry } from '../nodeHost.ts';
import { ModelLoadError, fmtBytes } from '../../../models/loader/errors.ts';
import { has, type CliIo } from '../io.ts';

export async function run(args: string[], io: CliIo): Promise<number> {
  const [sub = 'list', id] = args.filter((a) => !a.startsWith('--'));
  const registry = createNodeRegistry({ fixtures: has(args, 'fixtures') });
  switch (sub) {
    case 'list': {
      const entries = await registry.entries();
      if (has(args, 'json')) {
        io.out(JSON.stringify(entries.map((e) => ({ id: e.manifest.id, title: e.manifest.title, bytes: e.bytes, cached: e.cached })), null, 2));
      } else {
        for (const e of entries) io.out(`${e.manifest.id.padEnd(24)} ${fmtBytes(e.bytes).padStart(10)}  ${e.cached ? 'cached' : '-'}`);
        io.out(`cache: ${registry.cache.location} (${fmtBytes(await registry.cachedBytes())} used)`);
      }
      return 0;
    }
    case 'load':
    case 'delete': {
      if (!id) { io.err(`usage: atelier models ${sub} <id>`); return 2; }
      try {
        if (sub === 'delete') {
          await registry.delete(id);
          io.out(`deleted ${id} from the cache`);
        } else {
          const m = await registry.load(id, { onProgress: (p) => io.err(`  ${id}: ${p.loaded}/${p.total} bytes`) });
          io.out(`loaded ${id}: ${Object.keys(m.files).join(', ')} verified${m.fromCache ? ' (from cache)' : ' and cached'}`);
        }
        return 0;
      } catch (err) {
        io.err(err instanceof ModelLoadError ? `[${err.code}] ${err.message}` : (err as Error).message);
        return 1;
      }
    }
    case 'clear':
      await registry.clear();
      io.out(`cleared ${registry.cache.location}`);
      return 0;
    default:
      io.err(`unknown models subcommand "${sub}" (list | load <id> | delete <id> | clear)`);
      return 2;
  }
}
