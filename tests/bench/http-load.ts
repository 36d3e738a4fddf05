// A load generator in a worker thread: the benchmarked server keeps its event loop to itself
// (a client in the same thread adds its own work to every latency it measures). Sends prepared
// JSON bodies as POSTs, at most `concurrency` in flight, and reports each status and latency.
import http from 'node:http';
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
  // node:http with one kept-alive connection per concurrent sender: a lighter client than fetch
  // (this thread shares the machine's cores with the server it measures).
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const post = (body: string) => new Promise<number>((resolve) => {
    const req = http.request({
      agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
  let next = 0;
  const began = performance.now();
  const loop = async () => {
    while (next < bodies.length) {
      const i = next++;
      const t0 = performance.now();
      statuses[i] = await post(bodies[i]!);
      latenciesMs[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, loop));
  agent.destroy();
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
