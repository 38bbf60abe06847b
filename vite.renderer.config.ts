/** Builds the renderer alone for browser mode (`npm run serve`) and the e2e tests. */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

export default defineConfig({
  root: resolve(__dirname, 'renderer'),
  base: './',
  plugins: [react()],
  build: { outDir: resolve(__dirname, 'out/web'), emptyOutDir: true, sourcemap: false },
});
