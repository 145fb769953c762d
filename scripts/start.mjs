// `npm start`: install what is missing, build, serve the studio on 127.0.0.1.
import { ensureNodeModules } from './ensure.mjs';

ensureNodeModules();
await import('./serve.mjs');
