// Run as a child process by tests/foundation/lean.test.ts: builds the app from the environment,
// serves a few requests, and prints the npm packages the process loaded (a JSON array).
import { registerHooks } from 'node:module';

const packages = new Set<string>();
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(result.url);
    if (m) packages.add(m[1]);
    return result;
  },
});

const { loadConfig } = await import('../../server/config.ts');
const { buildApp } = await import('../../server/app.ts');
const app = await buildApp(loadConfig(), { poolSize: 2 });
for (const url of ['/health', '/ready', '/api/specialists', '/openapi.json']) await app.inject(url);
await app.close();
process.stdout.write(`${JSON.stringify([...packages].sort())}\n`);
process.exit(0);
