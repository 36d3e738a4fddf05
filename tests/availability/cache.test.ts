// The slots cache's building blocks: reads that never predate their caller, and the size bound.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshReads, Lru } from '../../server/availability/cache.ts';

describe('freshReads', () => {
  test('a caller arriving during a read waits for the next one; everyone queued shares it', async () => {
    const reads = freshReads<number>();
    let started = 0;
    const gates: (() => void)[] = [];
    const read = () => new Promise<number>((resolve) => { const n = ++started; gates.push(() => resolve(n)); });
    const first = reads('k', read);
    const second = reads('k', read); // arrived while read 1 runs
    const third = reads('k', read);
    assert.equal(started, 1, 'the next read starts only when the running one ends');
    gates.shift()!();
    assert.equal(await first, 1);
    await new Promise((r) => setImmediate(r));
    assert.equal(started, 2);
    gates.shift()!();
    assert.deepEqual([await second, await third], [2, 2]);
    const later = reads('k', read); // nothing in flight: a read of its own, at once
    assert.equal(started, 3);
    gates.shift()!();
    assert.equal(await later, 3);
  });

  test('keys are independent, and a failed read does not stall the queue', async () => {
    const reads = freshReads<string>();
    let fail = true;
    const read = async () => { if (fail) { fail = false; throw new Error('boom'); } return 'ok'; };
    const a = reads('a', read);
    const b = reads('a', read);
    await assert.rejects(a, /boom/);
    assert.equal(await b, 'ok');
    assert.equal(await reads('b', async () => 'other'), 'other');
  });
});

describe('Lru', () => {
  test('evicts the least recently used entries past its size', () => {
    const lru = new Lru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('b', 'B', 4);
    assert.equal(lru.get('a'), 'A'); // a is now the most recent
    lru.set('c', 'C', 4);
    assert.equal(lru.get('b'), undefined);
    assert.equal(lru.get('a'), 'A');
    assert.equal(lru.get('c'), 'C');
    lru.set('huge', 'H', 11);
    assert.equal(lru.get('huge'), undefined, 'larger than the whole cache: not kept');
  });
});
