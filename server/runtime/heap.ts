// Start-up (module loading, schema compilation, the OpenAPI document, migrations, demo data)
// allocates in a burst, and V8 grows its young generation to the maximum for it (64 MB here)
// and keeps it. One full, memory-reducing collection once the server listens gives that back:
// the process then idles at what it really holds and grows again only under real load.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

export function releaseStartupMemory(): void {
  // gc() only exists in contexts created after --expose-gc: the process's own globals stay as they are.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as Gc;
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
