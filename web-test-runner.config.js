// Component tests of the widget (`widget/src/**/*.test.ts`) in Debian's Chromium. The sources are
// TypeScript with erasable syntax only, so Node's own type stripping turns them into JavaScript
// as they are served: no esbuild plugin, no bundling step.
import { stripTypeScriptTypes } from 'node:module';
import { chromeLauncher } from '@web/test-runner-chrome';

/** Serves `.ts` files as JavaScript, types removed (positions kept, so stack traces line up). */
const stripTypes = {
  name: 'strip-types',
  resolveMimeType(context) {
    if (context.path.endsWith('.ts')) return 'js';
  },
  transform(context) {
    if (!context.path.endsWith('.ts')) return;
    return { body: stripTypeScriptTypes(String(context.body), { mode: 'strip' }) };
  },
};

export default {
  files: ['widget/src/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 180_000,
  plugins: [stripTypes],
  testFramework: { config: { timeout: 10_000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      },
    }),
  ],
};
