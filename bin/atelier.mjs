#!/usr/bin/env node
// The `atelier` CLI. Sources are TypeScript; tsx compiles them on the fly so the
// same pipeline code runs here and in the browser worker without a separate build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../app/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
