// The widget's download budget (a script CI runs): builds dist/widget, then prints the gzip size
// of widget.js and of every chunk beside it. The first load is everything a visitor downloads
// before the call (widget.js and any non-Daily chunk); the Daily chunk loads only when the call
// opens. Exits non-zero when the first load is over the budget.
// Run: node tests/bench/widget-size.bench.ts [--no-build]    Reuse: `const figures = await main()`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '../..');
const dist = path.join(root, 'dist/widget');
export const BUDGET_BYTES = 25 * 1024;

interface FileSize { file: string; raw: number; gzip: number; lazy: boolean }

function sizes(): FileSize[] {
  const files = [path.join(dist, 'widget.js')];
  const chunks = path.join(dist, 'widget-chunks');
  try {
    for (const f of readdirSync(chunks)) if (f.endsWith('.js')) files.push(path.join(chunks, f));
  } catch { /* no chunks */ }
  return files.map((file) => {
    const body = readFileSync(file);
    return {
      file: path.relative(dist, file),
      raw: statSync(file).size,
      gzip: gzipSync(body, { level: 9 }).length,
      lazy: /daily/i.test(path.basename(file)),
    };
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function main(options: { build?: boolean } = {}) {
  if (options.build ?? !process.argv.includes('--no-build')) {
    await build({ configFile: path.join(root, 'widget/vite.config.ts'), logLevel: 'error' });
  }
  const files = sizes();
  const firstLoad = files.filter((f) => !f.lazy).reduce((a, f) => a + f.gzip, 0);
  const lazy = files.filter((f) => f.lazy).reduce((a, f) => a + f.gzip, 0);
  for (const f of files) {
    process.stdout.write(`${f.file.padEnd(48)} ${kb(f.raw).padStart(9)} raw ${kb(f.gzip).padStart(9)} gzip${f.lazy ? '  (lazy: the call)' : ''}\n`);
  }
  const ratio = firstLoad / BUDGET_BYTES;
  process.stdout.write(`first load (before the call): ${kb(firstLoad)} gzip of ${kb(BUDGET_BYTES)} budget (${(ratio * 100).toFixed(1)}%)\n`);
  process.stdout.write(`lazy Daily chunk: ${kb(lazy)} gzip\n`);
  const ok = firstLoad <= BUDGET_BYTES;
  process.stdout.write(ok ? 'budget: OK\n' : 'budget: OVER\n');
  return { files, firstLoadGzip: firstLoad, lazyGzip: lazy, budget: BUDGET_BYTES, ratio, ok };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ok } = await main();
  if (!ok) process.exit(1);
}
