// Serves the built studio (dist/) on 127.0.0.1 and prints the URL.
// Used by `npm start` and by Playwright's webServer, so e2e drives exactly what users get.
import { preview } from 'vite';
import { build } from './ensure.mjs';

const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : 4173;
if (!args.includes('--no-build')) build();

const server = await preview({ preview: { host: '127.0.0.1', port, strictPort: portArg >= 0 }, logLevel: 'warn' });
const url = server.resolvedUrls?.local?.[0] ?? `http://127.0.0.1:${port}/`;
console.log(`Atelier studio: ${url}`);
