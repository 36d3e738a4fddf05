// Builds the React and Vue demo apps (demo/react.html, demo/vue.html) into dist/demo, served by
// the API at /demo/react and /demo/vue. Everything is bundled: the pages work offline.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from '../widget/precompress.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/demo/',
  logLevel: 'warn',
  plugins: [precompress()],
  build: {
    outDir: here('../dist/demo'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { react: here('react.html'), vue: here('vue.html') } },
  },
});
