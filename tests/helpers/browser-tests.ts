// Runs the widget's component tests with @web/test-runner in Debian's Chromium and reads its
// pass/fail counts, so tests/run.ts can close with one total.
import { spawn } from 'node:child_process';
import path from 'node:path';

export function browserTests(root: string, env: NodeJS.ProcessEnv): Promise<{ passed: number; failed: number }> {
  return new Promise((resolve) => {
    const bin = path.join(root, 'node_modules/.bin/web-test-runner');
    const child = spawn(bin, ['--config', 'web-test-runner.config.js'], { cwd: root, env: { ...env, FORCE_COLOR: '0' } });
    let out = '';
    const tee = (chunk: Buffer) => { out += chunk.toString(); process.stdout.write(chunk); };
    child.stdout.on('data', tee);
    child.stderr.on('data', tee);
    child.on('exit', (code) => {
      const counts = [...out.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
      const passed = counts ? Number(counts[1]) : 0;
      let failed = counts ? Number(counts[2]) : 0;
      // A non-zero exit with no failing test counted (a crash, a file that did not load) still fails.
      if (code !== 0 && failed === 0) failed = 1;
      resolve({ passed, failed });
    });
  });
}
