import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { singleFlight } from '../../server/availability/coalesce.ts';

describe('singleFlight', () => {
  test('concurrent calls with one key share one computation; other keys run on their own', async () => {
    const flight = singleFlight<number>();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const compute = async () => { runs++; await gate; return runs; };
    const a = flight('k', compute), b = flight('k', compute), c = flight('other', compute);
    release();
    assert.deepEqual(await Promise.all([a, b, c]), [2, 2, 2]);
    assert.equal(runs, 2);
  });

  test('nothing is kept after settling, failures included', async () => {
    const flight = singleFlight<number>();
    let runs = 0;
    await assert.rejects(flight('k', async () => { runs++; throw new Error('boom'); }), /boom/);
    assert.equal(await flight('k', async () => ++runs), 2);
    assert.equal(await flight('k', async () => ++runs), 3);
  });
});
