// Library build of the console: console.js (served at /console.js and loaded by the /console
// page), with every view, the strings of German and Russian and the Daily call as lazy chunks in
// console-chunks/. A build of its own, so nothing of the console can reach widget.js.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { minifyTemplates } from './minify-templates.ts';
import { precompress } from './precompress.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  logLevel: 'warn',
  plugins: [minifyTemplates(), precompress()],
  build: {
    outDir: here('../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The size benchmark reads the chunk graph (static vs lazy imports) from it.
    manifest: true,
    lib: {
      entry: here('src/console/index.ts'),
      formats: ['es'],
      fileName: () => 'console.js',
    },
    rollupOptions: {
      output: {
        chunkFileNames: 'console-chunks/[name]-[hash].js',
        minify: true,
      },
    },
  },
});
