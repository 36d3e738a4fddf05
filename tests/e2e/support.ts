// What the browser tests share: Debian's Chromium, screenshots at 375 and 1280 px (with a check
// that nothing sticks out sideways at 320 px), axe-core run inside the page, the focused element
// through every shadow root, and walking with Tab until something is reached.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, globSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const root = path.resolve(import.meta.dirname, '../..');
export const artifacts = path.join(root, 'tests/artifacts');
export const CHROMIUM = '/usr/bin/chromium';
const WIDTHS = [375, 1280];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function shoot(page: Page, name: string) {
  const size = page.viewportSize()!;
  // Responsive from 320 px: nothing may stick out sideways at the narrowest supported width.
  await page.setViewportSize({ width: 320, height: 900 });
  await page.waitForTimeout(50);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  if (overflow > 320) {
    // Name the culprits: the deepest elements (through shadow roots) reaching past the edge.
    const wide = await page.evaluate(() => {
      const out: string[] = [];
      const walk = (root: Document | ShadowRoot, path: string) => {
        for (const el of root.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          const here = `${path} ${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}`;
          if (r.right > 321 && r.width > 0 && el.children.length === 0) out.push(`${here.trim()} (${Math.round(r.right)})`);
          if (el.shadowRoot) walk(el.shadowRoot, here);
        }
      };
      walk(document, '');
      return out.slice(0, 8);
    });
    assert.fail(`${name}: page is ${overflow} px wide at a 320 px viewport:\n${wide.join('\n')}`);
  }
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(50);
    await page.screenshot({ path: path.join(artifacts, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(size);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core over the whole page (open shadow roots included) and fails on serious or
 * critical violations. axe is served from the page's own origin, so the page's CSP stays on.
 */
export async function expectNoSeriousViolations(page: Page, what: string) {
  const origin = new URL(page.url()).origin;
  await page.route(`${origin}/__axe.js`, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: axeSource }));
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ url: `${origin}/__axe.js` });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
  assert.deepEqual(violations, [], `${what}: axe found serious or critical violations`);
}

/** The focused element, through every shadow root. */
export function focused(page: Page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? '', id: el?.id ?? '', cls: String(el?.className ?? ''), text: el?.textContent?.trim() ?? '' };
  });
}

export async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (match(await focused(page))) return;
  }
  assert.fail(`Tab never reached ${what}`);
}

/** The inputs of the front-end builds: a change in any of them makes a new build due. */
function frontEndFingerprint(): string {
  const hash = createHash('sha256');
  for (const dir of ['widget', 'demo', 'shared']) {
    for (const f of globSync('**/*', { cwd: path.join(root, dir) }).sort()) {
      const st = statSync(path.join(root, dir, f));
      if (st.isFile() && !f.endsWith('custom-elements.json')) hash.update(`${dir}/${f}:${st.size}:${st.mtimeMs}\n`);
    }
  }
  return hash.digest('hex');
}

/**
 * Builds widget.js, console.js and the demo apps once for every browser test file of a run:
 * test files run in parallel, and two builds emptying the same dist folder would pull files
 * from under a running server. A lock directory serialises them; a marker skips a build whose
 * inputs have not changed.
 */
export async function buildFrontEnd(): Promise<void> {
  const lock = path.join(root, 'dist/.e2e-build.lock');
  const marker = path.join(root, 'dist/.e2e-build');
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try { mkdirSync(lock); break; } catch {
      if (waited > 180_000) rmSync(lock, { recursive: true, force: true }); // a crashed run's lock
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const fingerprint = frontEndFingerprint();
    if (existsSync(marker) && readFileSync(marker, 'utf8') === fingerprint) return;
    const { build } = await import('vite');
    for (const config of ['widget/vite.config.ts', 'widget/console.vite.config.ts', 'demo/vite.config.ts']) {
      await build({ configFile: path.join(root, config), logLevel: 'error' });
    }
    writeFileSync(marker, fingerprint);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
