// Builds the publishable `booking-widget` package into dist/ (run from anywhere:
// `node packages/booking-widget/build.ts`, or `npm run build` in this folder):
//   1. the ES modules (vite.config.ts): index.js (class only), define.js, console.js, console-define.js;
//   2. declarations (tsc, tsconfig.build.json) under dist/types, with .js specifiers, and a
//      .d.ts beside each entry;
//   3. the Custom Elements Manifest (public elements only) and, from it, the React, Vue and
//      Svelte typings;
//   4. dist/browser/: the self-contained browser builds (widget.js, console.js and their chunks,
//      Lit inside, as the API serves them) and loader.js, the classic-script loader, for pages
//      that load the package from a CDN instead of the booking server.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { react, svelte, vue, type Manifest } from './typings.ts';

const here = import.meta.dirname;
const root = path.resolve(here, '../..');
const dist = path.join(here, 'dist');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

await build({ configFile: path.join(here, 'vite.config.ts'), logLevel: 'warn' });

execFileSync(bin('tsc'), ['-p', path.join(here, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
/** Declarations keep the sources' `.ts` specifiers; consumers resolve `.js` (TS5097 otherwise). */
function rewriteSpecifiers(dir: string): void {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) { rewriteSpecifiers(file); continue; }
    if (!name.endsWith('.d.ts')) continue;
    const text = readFileSync(file, 'utf8');
    const fixed = text.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1$2.js$3');
    if (fixed !== text) writeFileSync(file, fixed);
  }
}
rewriteSpecifiers(path.join(dist, 'types'));
for (const entry of ['index', 'define', 'console', 'console-define']) {
  writeFileSync(path.join(dist, `${entry}.d.ts`), `export * from './types/packages/booking-widget/src/${entry}.js';\n`);
}
// `export *` does not carry the global tag-map augmentation by itself: the define entries import
// the registering modules so `document.createElement('booking-widget')` is typed.
writeFileSync(path.join(dist, 'define.d.ts'), `import './types/widget/src/booking-widget.js';\nexport * from './types/packages/booking-widget/src/define.js';\n`);
writeFileSync(path.join(dist, 'console-define.d.ts'), `import './types/widget/src/console/booking-console.js';\nexport * from './types/packages/booking-widget/src/console-define.js';\n`);

execFileSync(bin('cem'), ['analyze', '--config', path.join(here, 'custom-elements-manifest.config.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
const manifest = JSON.parse(readFileSync(path.join(dist, 'custom-elements.json'), 'utf8')) as Manifest;
writeFileSync(path.join(dist, 'react.d.ts'), react(manifest));
writeFileSync(path.join(dist, 'vue.d.ts'), vue(manifest));
writeFileSync(path.join(dist, 'svelte.d.ts'), svelte(manifest));
// Side-effect-free entries for the typings' subpath imports (`import 'booking-widget/react'`).
for (const t of ['react', 'vue', 'svelte']) writeFileSync(path.join(dist, `${t}.js`), 'export {};\n');

const browser = path.join(dist, 'browser');
await build({ configFile: path.join(root, 'widget/vite.config.ts'), logLevel: 'warn', build: { outDir: browser, sourcemap: false } });
await build({ configFile: path.join(root, 'widget/console.vite.config.ts'), logLevel: 'warn', build: { outDir: browser, emptyOutDir: false, sourcemap: false, manifest: false } });
for (const file of readdirSync(browser, { recursive: true, encoding: 'utf8' })) {
  if (/\.(br|gz)$/.test(file)) rmSync(path.join(browser, file)); // the precompressed copies are for the API's static server
}
copyFileSync(path.join(root, 'widget/loader.js'), path.join(browser, 'loader.js'));
process.stdout.write(`booking-widget package built in ${path.relative(process.cwd(), dist) || '.'}\n`);
