// Library build of the widget: one ES module (`widget.js`) that the API serves at /widget.js,
// with lazily loaded parts (the Daily call) as hashed chunks beside it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  logLevel: 'warn',
  build: {
    outDir: here('../dist/widget'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: here('src/index.ts'),
      formats: ['es'],
      fileName: () => 'widget.js',
    },
    rollupOptions: {
      output: { chunkFileNames: 'widget-chunks/[name]-[hash].js' },
    },
  },
});
