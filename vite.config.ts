import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The studio is a single page; all inference runs in a module worker (app/worker/).
// onnxruntime-web/webgpu's bundle variant inlines its glue and makes Vite emit the
// .wasm as an asset, so no wasmPaths configuration is needed (specs/runtime.md §1.7).
export default defineConfig({
  plugins: [react()],
  root: '.',
  // assets/ is served as-is: assets/models/x → /models/x (demo model), assets/fixtures/x → /fixtures/x.
  publicDir: 'assets',
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false },
  build: { outDir: process.env.ATELIER_DIST ?? 'dist', chunkSizeWarningLimit: 4096, target: 'es2022' },
  assetsInclude: ['**/*.onnx'],
});
