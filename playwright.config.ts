import { defineConfig } from '@playwright/test';

// Debian's chromium, never a Playwright-downloaded browser. WebGPU needs a secure
// context (127.0.0.1) and --enable-unsafe-webgpu; the adapter is SwiftShader.
export const chromiumArgs = [
  '--no-sandbox',
  '--headless=new',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
];

const port = Number(process.env.ATELIER_E2E_PORT ?? 4317);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    headless: true,
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  webServer: {
    // The same build `npm start` serves (scripts/serve.mjs over dist/).
    command: `node scripts/serve.mjs --port ${port} --no-build`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
