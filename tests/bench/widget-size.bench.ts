// The widget's download budget (a script CI runs): builds dist/widget, then prints the gzip size
// of widget.js and of every chunk beside it. The first load is everything a visitor downloads
// before the call: widget.js, any shared chunk, and the strings of one language (English is
// inside widget.js; a German or Russian visitor also fetches that language's chunk, so the
// largest one counts). The Daily chunk loads only when the call opens, the payment step only for
// a prepaid booking. Exits non-zero when the
// first load is over the budget.
// Run: node tests/bench/widget-size.bench.ts [--no-build]    Reuse: `const figures = await main()`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '../..');
const dist = path.join(root, 'dist/widget');
export const BUDGET_BYTES = 25 * 1024;

type Kind = 'entry' | 'shared' | 'locale' | 'call' | 'payment';
interface FileSize { file: string; raw: number; gzip: number; kind: Kind }

function kindOf(name: string): Kind {
  if (name === 'widget.js') return 'entry';
  if (/daily/i.test(name)) return 'call';
  if (/^bw-payment-/.test(name)) return 'payment';
  if (/^(de|ru|en)-[\w-]+\.js$/.test(name)) return 'locale';
  return 'shared';
}

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
      kind: kindOf(path.basename(file)),
    };
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function main(options: { build?: boolean } = {}) {
  if (options.build ?? !process.argv.includes('--no-build')) {
    await build({ configFile: path.join(root, 'widget/vite.config.ts'), logLevel: 'error' });
  }
  const files = sizes();
  const sum = (kinds: Kind[]) => files.filter((f) => kinds.includes(f.kind)).reduce((a, f) => a + f.gzip, 0);
  const english = sum(['entry', 'shared']);
  const largestLocale = Math.max(0, ...files.filter((f) => f.kind === 'locale').map((f) => f.gzip));
  const firstLoad = english + largestLocale;
  const lazy = sum(['call']);
  const payment = sum(['payment']);
  const notes: Record<Kind, string> = {
    entry: '', shared: '  (first load)', locale: '  (one language, on demand)', call: '  (lazy: the call)', payment: '  (lazy: prepaid bookings only)',
  };
  for (const f of files) {
    process.stdout.write(`${f.file.padEnd(48)} ${kb(f.raw).padStart(9)} raw ${kb(f.gzip).padStart(9)} gzip${notes[f.kind]}\n`);
  }
  const ratio = firstLoad / BUDGET_BYTES;
  process.stdout.write(`first load, English: ${kb(english)} gzip\n`);
  process.stdout.write(`first load, worst language (before the call): ${kb(firstLoad)} gzip of ${kb(BUDGET_BYTES)} budget (${(ratio * 100).toFixed(1)}%)\n`);
  process.stdout.write(`lazy Daily chunk: ${kb(lazy)} gzip\n`);
  process.stdout.write(`lazy payment step: ${kb(payment)} gzip\n`);
  const ok = firstLoad <= BUDGET_BYTES;
  process.stdout.write(ok ? 'budget: OK\n' : 'budget: OVER\n');
  return { files, firstLoadGzip: firstLoad, englishGzip: english, lazyGzip: lazy, paymentGzip: payment, budget: BUDGET_BYTES, ratio, ok };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ok } = await main();
  if (!ok) process.exit(1);
}
