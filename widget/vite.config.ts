// Library build of the widget: one ES module (`widget.js`) that the API serves at /widget.js,
// with lazily loaded parts (the Daily call) as hashed chunks beside it.
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
    outDir: here('../dist/widget'),
    emptyOutDir: true,
    target: 'es2022',
    // Maps are for development: the server does not serve them in production.
    sourcemap: true,
    // The size benchmark reads the chunk graph (what the entry imports statically) from it.
    manifest: true,
    lib: {
      entry: here('src/index.ts'),
      formats: ['es'],
      fileName: () => 'widget.js',
    },
    rollupOptions: {
      // Lazy chunks (the payment step) import what they share with widget.js from widget.js itself,
      // instead of the bundler moving it into an extra chunk every visitor would download first.
      preserveEntrySignatures: 'allow-extension',
      output: {
        chunkFileNames: 'widget-chunks/[name]-[hash].js',
        // Library builds keep whitespace by default (for downstream bundlers); widget.js is
        // served to browsers as is, so it is fully minified.
        minify: true,
      },
    },
  },
});
