// Fault benchmark: the run of tests/faults/scenarios.ts (two API instances and `npm run worker`
// as real processes, an own PostgreSQL and redis-server, a slow SMTP sink), printed per fault:
// answers seen under a steady booking load, the longest wait, recovery times, and the duplicate
// and lost notification counts. Needs redis-server on PATH; ports 16300-16399.
//   node tests/bench/faults.bench.ts
import { runFaults } from '../faults/scenarios.ts';

export async function main() {
  const r = await runFaults((line) => process.stdout.write(`  ${line}\n`));
  process.stdout.write('\nfault                                              attempts  max ms  p99 ms  dup  answers / extra\n');
  for (const p of r.phases) {
    process.stdout.write(`${p.phase.padEnd(50)} ${String(p.attempts).padStart(8)} ${String(p.maxMs).padStart(7)} ${String(p.p99ms).padStart(7)} ${String(p.duplicates).padStart(4)}  ${JSON.stringify(p.statuses)} ${p.extra ? JSON.stringify(p.extra) : ''}\n`);
  }
  const summary = {
    bookings: r.bookings, lost: r.lost, duplicates: r.duplicates, status500: r.status500,
    overlaps: r.overlaps, rowMismatch: r.rowMismatch, crashed: r.crashed.length,
  };
  process.stdout.write(`\n${JSON.stringify(summary)}\n`);
  return {
    ...summary,
    phases: Object.fromEntries(r.phases.map((p) => [p.phase, { maxMs: p.maxMs, p99ms: p.p99ms, duplicates: p.duplicates, ...(p.extra ?? {}) }])),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
