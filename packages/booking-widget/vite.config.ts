// The package's JavaScript: ES modules for bundlers (Vite, webpack, Angular's esbuild, Rollup),
// one file per entry, with what the entries share and every lazy part (views, languages, the
// payment step) as chunks beside them. Lit, @lit/task and Daily stay imports: the app's bundler
// resolves them from the package's dependencies, so one Lit serves every element on the page.
// Not minified: the app's bundler minifies. Built by build.ts (`npm run build` here).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { minifyTemplates } from '../../widget/minify-templates.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const external = /^(lit|@lit\/task|@daily-co\/daily-js)(\/|$)/;

export default defineConfig({
  root: here('.'),
  logLevel: 'warn',
  plugins: [minifyTemplates()],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    minify: false,
    lib: {
      entry: {
        index: here('src/index.ts'),
        define: here('src/define.ts'),
        console: here('src/console.ts'),
        'console-define': here('src/console-define.ts'),
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rollupOptions: {
      external: (id: string) => external.test(id),
      output: { chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
