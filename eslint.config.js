// Lint: typescript-eslint recommended + the layer rule from ARCHITECTURE.md:
//   shaders/ <- models/ <- pipelines/ <- app/   (imports point one way only)
// app/ never imports onnxruntime or WGSL directly; pipelines/ never imports React or zustand.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const up = (...layers) => layers.map((l) => ({ group: [`**/${l}/**`, `**/${l}`], message: `imports point one way: shaders <- models <- pipelines <- app (no ${l}/ here)` }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**', 'assets/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.mjs', '*.js', '*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  { files: ['shaders/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: up('models', 'pipelines', 'app') }] } },
  { files: ['models/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: up('pipelines', 'app') }] } },
  {
    files: ['pipelines/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'react', message: 'pipelines/ are plain TS: no React' }, { name: 'zustand', message: 'pipelines/ are plain TS: no zustand' }],
        patterns: [...up('app'), { group: ['react-dom', 'react-dom/*', 'zustand/*', '@react-three/*'], message: 'pipelines/ are plain TS: no React or zustand' }],
      }],
    },
  },
  {
    files: ['app/**/*.ts', 'app/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['onnxruntime-*', 'onnxruntime-*/**'], message: 'app/ never imports onnxruntime: go through models/runtime via the worker' },
          { group: ['**/*.wgsl', '**/*.wgsl?*'], message: 'app/ never imports WGSL: shaders are dispatched by models/ and pipelines/' },
        ],
      }],
    },
  },
);
