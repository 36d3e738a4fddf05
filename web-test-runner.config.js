// Component tests of the widget (`widget/src/**/*.test.ts`) in Debian's Chromium. The sources are
// TypeScript with erasable syntax only, so Node's own type stripping turns them into JavaScript
// as they are served: no esbuild plugin, no bundling step.
import { stripTypeScriptTypes } from 'node:module';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';

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

/** Counts the tests of a suite tree. */
function count(suite, totals) {
  for (const t of suite?.tests ?? []) {
    if (t.skipped) continue;
    if (t.passed) totals.passed++;
    else totals.failed++;
  }
  for (const s of suite?.suites ?? []) count(s, totals);
}

/**
 * One plain "N passed, N failed" line at the end (the default reporter colours its own), which
 * tests/helpers/browser-tests.ts reads. A file that failed to load counts as a failure.
 */
const summaryLine = {
  stop({ sessions }) {
    const totals = { passed: 0, failed: 0 };
    for (const session of sessions) {
      const failedBefore = totals.failed;
      count(session.testResults, totals);
      // A file that did not load, or threw outside its tests, fails without a failing test.
      if (!session.passed && totals.failed === failedBefore) totals.failed++;
    }
    process.stdout.write(`\nbrowser tests: ${totals.passed} passed, ${totals.failed} failed\n`);
  },
};

export default {
  reporters: [defaultReporter(), summaryLine],
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
