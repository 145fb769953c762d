// Shared set-up steps for `npm start` and `npm test`: install what is missing, never
// download a browser or CUDA libraries (onnxruntime-node's postinstall is skipped).
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

export function sh(cmd, opts = {}) {
  console.log(`$ ${cmd}`);
  execSync(cmd, { stdio: 'inherit', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' }, ...opts });
}

/** npm packages: install when node_modules is absent or older than the lockfile. */
export function ensureNodeModules() {
  const stamp = 'node_modules/.package-lock.json';
  const stale = !existsSync(stamp) || (existsSync('package-lock.json') && statSync('package-lock.json').mtimeMs > statSync(stamp).mtimeMs + 1000);
  if (stale) sh(existsSync('package-lock.json') ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund');
}

/** Debian chromium for Playwright; apt-get only when /usr/bin/chromium is absent. */
export function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  const sudo = process.getuid && process.getuid() === 0 ? '' : 'sudo ';
  sh(`${sudo}apt-get update -qq`);
  sh(`${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium`);
}

/** Production build of the studio into dist/ (what `npm start` serves and e2e drives). */
export function build() {
  sh('npx vite build --logLevel warn');
}
