// Where the project's files are: package.json, the built bundles (dist/), the console page
// (widget/). Found upward from this module, so one code serves from its sources (server/) and
// from the compiled copy `npm start` runs (dist/node/server/, `npm run build:server`).
import { existsSync } from 'node:fs';
import path from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findRoot(import.meta.dirname);
