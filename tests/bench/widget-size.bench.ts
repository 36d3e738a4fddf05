// The widget's download budget (a script CI runs): builds dist/widget, then prints the gzip size
// of widget.js and of every chunk beside it. The first load is everything a visitor downloads
// before the call: widget.js, any shared chunk, and the strings of one language (English is
// inside widget.js; a German or Russian visitor also fetches that language's chunk, so the
// largest one counts). The call view (bw-call) loads only when a call starts, and with it the
// client the room's provider needs: daily-js for Daily, our LiveKit view plus livekit-client for
// LiveKit; the payment step loads only for a prepaid booking; views off the booking path
// (confirmation, manage, waiting room, ...) when first shown. What loads with widget.js is read
// from Vite's manifest (static imports). Exits non-zero when the first load is over the budget.
// The console (<booking-console>, its own build in dist/console) has a budget of its own, read
// from its chunk graph (Vite's manifest): console.js with everything it imports statically, plus
// one language's strings, is what the sign-in page costs; each view is a lazy chunk on top.
// Run: node tests/bench/widget-size.bench.ts [--no-build]    Reuse: `const figures = await main()`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '../..');
const dist = path.join(root, 'dist/widget');
export const BUDGET_BYTES = 25 * 1024;
const consoleDist = path.join(root, 'dist/console');
export const CONSOLE_BUDGET_BYTES = 40 * 1024;

type Kind = 'entry' | 'shared' | 'locale' | 'call' | 'daily' | 'livekit' | 'payment' | 'view';
interface FileSize { file: string; raw: number; gzip: number; kind: Kind }

/** Files widget.js imports statically (read from Vite's manifest): they load with it. */
function widgetFirstLoad(): Set<string> {
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const files = new Set<string>();
  const walk = (key: string) => {
    const c = manifest[key];
    if (!c || files.has(c.file)) return;
    files.add(c.file);
    for (const dep of c.imports ?? []) walk(dep);
  };
  walk(Object.keys(manifest).find((k) => manifest[k]!.isEntry)!);
  return files;
}

function kindOf(file: string, first: Set<string>): Kind {
  const name = path.basename(file);
  if (name === 'widget.js') return 'entry';
  if (first.has(file)) return 'shared';
  if (/daily/i.test(name)) return 'daily';
  if (/livekit/i.test(name)) return 'livekit';
  if (/^bw-call-/.test(name)) return 'call';
  if (/^bw-payment-/.test(name)) return 'payment';
  if (/^(de|ru|en)-[\w-]+\.js$/.test(name)) return 'locale';
  return 'view';
}

function sizes(): FileSize[] {
  const first = widgetFirstLoad();
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
      kind: kindOf(path.relative(dist, file), first),
    };
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

interface ManifestChunk { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; src?: string }

const gz = (file: string) => gzipSync(readFileSync(path.join(consoleDist, file)), { level: 9 }).length;

/** The console's first load (entry + static imports + the largest language) and each view's lazy cost. */
function consoleFigures() {
  const manifest = JSON.parse(readFileSync(path.join(consoleDist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const closure = (key: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const dep of manifest[key]?.imports ?? []) closure(dep, seen);
    return seen;
  };
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  const first = closure(entryKey);
  const firstBytes = [...first].reduce((a, k) => a + gz(manifest[k]!.file), 0);
  // A German or Russian user fetches the console's strings and the shared views' (widget) strings.
  const localeBytes = (lang: string) => ['src/console/locales', 'src/locales'].reduce((a, dir) => a + (manifest[`${dir}/${lang}.ts`] ? gz(manifest[`${dir}/${lang}.ts`]!.file) : 0), 0);
  const worstLocale = Math.max(localeBytes('de'), localeBytes('ru'));
  const views = Object.keys(manifest).filter((k) => k.startsWith('src/console/views/')).map((k) => {
    const extra = [...closure(k)].filter((c) => !first.has(c));
    return { view: path.basename(k, '.ts'), gzip: extra.reduce((a, c) => a + gz(manifest[c]!.file), 0) };
  }).sort((a, b) => b.gzip - a.gzip);
  const call = Object.values(manifest).filter((c) => /daily/i.test(c.file)).reduce((a, c) => a + gz(c.file), 0);
  const liveKit = Object.values(manifest).filter((c) => /livekit/i.test(c.file)).reduce((a, c) => a + gz(c.file), 0);
  return { firstLoadGzip: firstBytes + worstLocale, englishGzip: firstBytes, views, callGzip: call, liveKitGzip: liveKit, budget: CONSOLE_BUDGET_BYTES };
}

export async function main(options: { build?: boolean } = {}) {
  if (options.build ?? !process.argv.includes('--no-build')) {
    await build({ configFile: path.join(root, 'widget/vite.config.ts'), logLevel: 'error' });
    await build({ configFile: path.join(root, 'widget/console.vite.config.ts'), logLevel: 'error' });
  }
  const files = sizes();
  const sum = (kinds: Kind[]) => files.filter((f) => kinds.includes(f.kind)).reduce((a, f) => a + f.gzip, 0);
  const english = sum(['entry', 'shared']);
  const largestLocale = Math.max(0, ...files.filter((f) => f.kind === 'locale').map((f) => f.gzip));
  const firstLoad = english + largestLocale;
  const callView = sum(['call']);
  const lazy = callView + sum(['daily']);
  const liveKit = callView + sum(['livekit']);
  const payment = sum(['payment']);
  const notes: Record<Kind, string> = {
    entry: '', shared: '  (first load)', locale: '  (one language, on demand)', call: '  (lazy: the call view, any provider)',
    daily: '  (lazy: a Daily call)', livekit: '  (lazy: a LiveKit call)', payment: '  (lazy: prepaid bookings only)',
    view: '  (lazy: a view off the booking path)',
  };
  for (const f of files) {
    process.stdout.write(`${f.file.padEnd(48)} ${kb(f.raw).padStart(9)} raw ${kb(f.gzip).padStart(9)} gzip${notes[f.kind]}\n`);
  }
  const ratio = firstLoad / BUDGET_BYTES;
  process.stdout.write(`first load, English: ${kb(english)} gzip\n`);
  process.stdout.write(`first load, worst language (before the call): ${kb(firstLoad)} gzip of ${kb(BUDGET_BYTES)} budget (${(ratio * 100).toFixed(1)}%)\n`);
  process.stdout.write(`lazy call view: ${kb(callView)} gzip\n`);
  process.stdout.write(`lazy Daily call (view + daily-js): ${kb(lazy)} gzip\n`);
  process.stdout.write(`lazy LiveKit call (view + bw-livekit + livekit-client): ${kb(liveKit)} gzip\n`);
  process.stdout.write(`lazy payment step: ${kb(payment)} gzip\n`);
  process.stdout.write(`lazy views (confirmation, manage, waiting room, call, ended, ...): ${kb(sum(['view']))} gzip\n`);
  const widgetOk = firstLoad <= BUDGET_BYTES;
  process.stdout.write(widgetOk ? 'budget: OK\n' : 'budget: OVER\n');

  const c = consoleFigures();
  const consoleRatio = c.firstLoadGzip / c.budget;
  process.stdout.write('\n<booking-console> (dist/console)\n');
  process.stdout.write(`console first load, English (sign-in page): ${kb(c.englishGzip)} gzip\n`);
  process.stdout.write(`console first load, worst language: ${kb(c.firstLoadGzip)} gzip of ${kb(c.budget)} budget (${(consoleRatio * 100).toFixed(1)}%)\n`);
  for (const v of c.views) process.stdout.write(`  lazy view ${v.view.padEnd(22)} ${kb(v.gzip).padStart(9)} gzip\n`);
  process.stdout.write(`  lazy Daily chunk (host's call)    ${kb(c.callGzip).padStart(9)} gzip\n`);
  process.stdout.write(`  lazy LiveKit chunks (host's call) ${kb(c.liveKitGzip).padStart(9)} gzip\n`);
  const consoleOk = c.firstLoadGzip <= c.budget;
  process.stdout.write(consoleOk ? 'console budget: OK\n' : 'console budget: OVER\n');
  const ok = widgetOk && consoleOk;
  return { files, firstLoadGzip: firstLoad, englishGzip: english, callViewGzip: callView, lazyGzip: lazy, liveKitGzip: liveKit, paymentGzip: payment, budget: BUDGET_BYTES, ratio, console: { ...c, ratio: consoleRatio, ok: consoleOk }, ok };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ok } = await main();
  if (!ok) process.exit(1);
}
