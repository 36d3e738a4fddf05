// Runs before every npm script that starts TypeScript (pre-hooks in package.json). Plain
// CommonJS on purpose: it must parse on the old Node it is there to refuse, which would
// otherwise fail on `.ts` with ERR_UNKNOWN_FILE_EXTENSION and a stack trace.
'use strict';
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `booking-widget needs Node.js 22.18 or newer (this is ${process.version} at ${process.execPath}). ` +
    'Run `npm install` to fetch the bundled Node 24 (the "node" dependency), or install Node 24 LTS.\n');
  process.exit(1);
}
