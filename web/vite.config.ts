/// <reference types="vitest/config" />
// Production build: web/dist/index.html + web/dist/assets/*, served by `kaigo serve --web-dir`.
// A relative base lets the server mount the UI at `/` without rewriting asset URLs.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', chunkSizeWarningLimit: 200 },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
