// Web build of the renderer for browser mode (`npm run build:web`): renderer/ -> out/web,
// which `casebook serve` serves. The desktop build compiles the same root through
// electron.vite.config.ts.

import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig({
  root: resolve(root, 'renderer'),
  // Relative asset URLs, so the same build works under any served path and from a file URL.
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(root, 'out/web'),
    emptyOutDir: true,
    // React plus ag-grid is one chunk of about 1 MB; splitting it gains nothing for a local app.
    chunkSizeWarningLimit: 2000,
  },
});
