// A load generator in a worker thread: the benchmarked server keeps its event loop to itself
// (a client in the same thread adds its own work to every latency it measures). Sends prepared
// JSON bodies as POSTs, at most `concurrency` in flight, and reports each status and latency.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

export interface LoadResult {
  /** Per request, in the order sent: HTTP status (0: no answer) and milliseconds. */
  statuses: number[];
  latenciesMs: number[];
  seconds: number;
}

interface Job { url: string; bodies: string[]; concurrency: number }

async function run({ url, bodies, concurrency }: Job): Promise<LoadResult> {
  const statuses = new Array<number>(bodies.length).fill(0);
  const latenciesMs = new Array<number>(bodies.length).fill(0);
  let next = 0;
  const began = performance.now();
  const loop = async () => {
    while (next < bodies.length) {
      const i = next++;
      const t0 = performance.now();
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[i] });
        await res.arrayBuffer();
        statuses[i] = res.status;
      } catch { statuses[i] = 0; }
      latenciesMs[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, loop));
  return { statuses, latenciesMs, seconds: (performance.now() - began) / 1000 };
}

/** POSTs every body to `url` from a worker thread. */
export function postFromWorker(url: string, bodies: string[], concurrency: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { url, bodies, concurrency } satisfies Job });
    worker.once('message', (r: LoadResult) => { resolve(r); void worker.terminate(); });
    worker.once('error', reject);
  });
}

if (!isMainThread && parentPort) parentPort.postMessage(await run(workerData as Job));
