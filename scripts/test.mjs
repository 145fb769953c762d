// `npm test`: install what is missing (npm packages; Debian chromium via apt-get when
// /usr/bin/chromium is absent — unit tests also use its SwiftShader Vulkan driver for
// onnxruntime-node's WebGPU EP), then typecheck, lint, unit tests, build, e2e.
import { ensureNodeModules, ensureChromium, build, sh } from './ensure.mjs';

const only = process.argv[2]; // optional: unit | e2e
ensureNodeModules();
ensureChromium();
if (only !== 'e2e') {
  sh('npx tsc --noEmit -p tsconfig.json');
  sh('npx eslint . --max-warnings 0');
  sh('npx vitest run');
}
if (only !== 'unit') {
  build();
  sh('npx playwright test');
}
