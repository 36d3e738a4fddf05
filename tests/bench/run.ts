// `npm run bench`: runs every tests/bench/*.bench.ts main() in turn (found by glob, so adding a
// benchmark needs no edit here) and closes with one table of all figures they returned.
//   node tests/bench/run.ts            every benchmark
//   node tests/bench/run.ts slots      only those whose file name contains one of the words
import { globSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface Outcome { name: string; seconds: number; figures?: unknown; error?: string }

/** Nested figures as "a.b.c" -> value rows; arrays are summarised, not expanded. */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value === null || value === undefined) return [[prefix, String(value)]];
  if (Array.isArray(value)) return [[prefix, value.every((v) => typeof v !== 'object') ? value.join(', ') : `[${value.length} items]`]];
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, typeof value === 'number' && !Number.isInteger(value) ? String(Math.round(value * 1000) / 1000) : String(value)]];
}

async function main() {
  const filters = process.argv.slice(2);
  const dir = import.meta.dirname;
  const files = globSync('*.bench.ts', { cwd: dir }).sort()
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)));
  if (files.length === 0) throw new Error(`no benchmark matches ${filters.join(', ')}`);

  const outcomes: Outcome[] = [];
  for (const file of files) {
    const name = path.basename(file, '.bench.ts');
    process.stdout.write(`\n=== ${name} ===\n`);
    const t0 = performance.now();
    try {
      const mod = await import(pathToFileURL(path.join(dir, file)).href) as { main?: () => Promise<unknown> };
      if (typeof mod.main !== 'function') throw new Error('exports no main()');
      outcomes.push({ name, figures: await mod.main(), seconds: (performance.now() - t0) / 1000 });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      process.stdout.write(`FAILED: ${message}\n`);
      outcomes.push({ name, error: message, seconds: (performance.now() - t0) / 1000 });
    }
  }

  const rows: [string, string, string][] = outcomes.flatMap((o) => [
    [o.name, 'seconds', o.seconds.toFixed(1)] as [string, string, string],
    ...(o.error !== undefined
      ? [[o.name, 'FAILED', o.error] as [string, string, string]]
      : flatten(o.figures).map(([k, v]) => [o.name, k, v] as [string, string, string])),
  ]);
  const w0 = Math.max(9, ...rows.map((r) => r[0].length));
  const w1 = Math.max(6, ...rows.map((r) => r[1].length));
  process.stdout.write(`\n=== summary (node ${process.version}) ===\n`);
  process.stdout.write(`${'benchmark'.padEnd(w0)}  ${'figure'.padEnd(w1)}  value\n`);
  for (const [b, k, v] of rows) process.stdout.write(`${b.padEnd(w0)}  ${k.padEnd(w1)}  ${v}\n`);
  const failed = outcomes.filter((o) => o.error !== undefined).length;
  process.stdout.write(`\n${outcomes.length - failed} benchmarks ran, ${failed} failed\n`);
  // Benchmarks may leave pools or timers behind; the summary is the end of the run.
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err) => { process.stderr.write(`${err?.stack ?? err}\n`); process.exit(1); });
