// Costs of the anti-abuse measures (a script, not a test): how long the widget's proof of work
// takes to solve at the default difficulty (the same SHA-256 search the browser runs, here in
// Node), how long the server takes to issue and verify a challenge, and the answer times of a
// known booking id with a wrong token versus an unknown id (they should be alike).
// Run: node tests/bench/abuse.bench.ts    Reuse: `const figures = await main()`.
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { buildApp } from '../../server/app.ts';
import { proofOfWork } from '../../server/abuse/challenge.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { testConfig, TestClock } from '../helpers/app.ts';
import { T0, addPractice, bookingBody } from '../bookings/fixtures.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => Math.round(n * 1000) / 1000;

export async function main() {
  const database = await createTestDatabase();
  const clock = new TestClock(T0);
  const app = await buildApp(testConfig(database.url, { RATE_LIMIT_WRITES_PER_MINUTE: '100000' }), { clock, poolSize: 4 });
  try {
    const pow = proofOfWork(Buffer.alloc(32, 3), 50_000);
    const solve: number[] = [];
    const issue: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const offer = await pow.offer(T0);
      issue.push(performance.now() - t0);
      if (!offer.required || !('challenge' in offer)) throw new Error('no challenge');
      const t1 = performance.now();
      await solveChallenge({ challenge: offer.challenge, deriveKey });
      solve.push(performance.now() - t1);
    }

    const p = await addPractice(database.db);
    const created = await app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, T0 + 3 * 86_400_000 + 10 * 3_600_000) });
    const id = created.json().id as string;
    const time = async (bookingId: string) => {
      const t0 = performance.now();
      await app.inject({ url: `/api/bookings/${bookingId}`, headers: { authorization: 'Bearer bm_wrongwrongwrongwrongwrongwrong' } });
      return performance.now() - t0;
    };
    const known: number[] = [], unknown: number[] = [];
    for (let i = 0; i < 300; i++) {
      known.push(await time(id));
      unknown.push(await time('6f1c1f0e-5b7a-4c1e-9d6a-2a4f8c3b9e10'));
    }
    const figures = {
      powSolveMedianMs: ms(median(solve)), powIssueMedianMs: ms(median(issue)),
      wrongTokenKnownIdMedianMs: ms(median(known)), unknownIdMedianMs: ms(median(unknown)),
      knownOverUnknown: ms(median(known) / median(unknown)),
    };
    process.stdout.write(`proof of work (max 50,000): solve median ${figures.powSolveMedianMs} ms in Node (sha256), issue ${figures.powIssueMedianMs} ms\n`);
    process.stdout.write(`GET /api/bookings/:id with a wrong token: known id ${figures.wrongTokenKnownIdMedianMs} ms, unknown id ${figures.unknownIdMedianMs} ms (ratio ${figures.knownOverUnknown})\n`);
    return figures;
  } finally {
    await app.close();
    await database.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
