// Build of the desktop app with electron-vite (`npx electron-vite build`):
//   main      main/electron/main.ts     -> out/main/index.js     (ESM)
//   preload   main/electron/preload.ts  -> out/preload/index.cjs (CommonJS: a sandboxed preload cannot be an ES module)
//   renderer  renderer/index.html       -> out/renderer          (React)
// Runtime packages from package.json `dependencies`, @duckdb/node-api among them, stay
// external to out/main and are loaded from node_modules (unpacked from the asar, see
// electron-builder.yml).

import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      emptyOutDir: true,
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(root, 'main/electron/main.ts'),
          // The EVTX parser starts worker threads on `./chunk-worker.js` next to the
          // module that creates them, so the worker is an entry of its own in the same folder.
          'chunk-worker': resolve(root, 'main/formats/evtx/chunk-worker.ts'),
        },
        external: ['@duckdb/node-api'],
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          // Shared chunks sit next to the entries, so a `new URL('./chunk-worker.js', import.meta.url)`
          // resolves to the same folder whichever file the code lands in.
          chunkFileNames: '[name]-[hash].js',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      emptyOutDir: true,
      rollupOptions: {
        input: { index: resolve(root, 'main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    // Relative asset URLs, because the page is loaded from a file URL.
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      minify: true,
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
