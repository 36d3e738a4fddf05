// The publishable `booking-widget` package (packages/booking-widget), built as `npm pack` would
// ship it: its exports resolve, importing the class defines nothing while the define entries do,
// the declarations type-check a strict consumer (.js specifiers), the manifest
// lists only the public elements with typed events, and the browser loader is a classic script.
// The frameworks' own toolchains are exercised by tests/integrations/frameworks.ts (minutes).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = path.join(root, 'packages/booking-widget');
const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8'));
const node = (code: string) => execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: pkg, encoding: 'utf8' }).trim();

before(() => {
  execFileSync(process.execPath, [path.join(pkg, 'build.ts')], { cwd: root, stdio: 'pipe' });
});

describe('the booking-widget package', () => {
  test('is publishable: not private, every export target and the manifest are in the build', () => {
    assert.equal(manifest.private, undefined);
    assert.equal(manifest.type, 'module');
    for (const [subpath, target] of Object.entries(manifest.exports as Record<string, string | Record<string, string>>)) {
      for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
        if (file.includes('*')) continue;
        assert.ok(existsSync(path.join(pkg, file)), `${subpath} -> ${file}`);
        assert.ok(!file.endsWith('.ts') || file.endsWith('.d.ts'), `${subpath} points at built files, not sources`);
      }
    }
    for (const dep of Object.values(manifest.dependencies as Record<string, string>)) assert.match(dep, /^\d+\.\d+\.\d+/, 'exact versions');
  });

  test('importing the class defines no tag; the define entries define theirs, once, safely twice', () => {
    // Node resolves the package by its name from inside it (self-reference through "exports").
    assert.equal(node(`const { BookingWidget } = await import('booking-widget'); const { BookingConsole } = await import('booking-widget/console');
      console.log(typeof BookingWidget, typeof BookingConsole, customElements.get('booking-widget') ?? 'none', customElements.get('booking-console') ?? 'none')`), 'function function none none');
    assert.equal(node(`const { BookingWidget } = await import('booking-widget'); await import('booking-widget/define'); await import('booking-widget/define');
      console.log(customElements.get('booking-widget') === BookingWidget, customElements.get('booking-console') ?? 'none')`), 'true none');
    assert.equal(node(`const { BookingConsole } = await import('booking-widget/console/define'); console.log(customElements.get('booking-console') === BookingConsole)`), 'true');
  });

  test('declarations use .js specifiers and type-check a strict consumer', () => {
    const dts = readdirSync(path.join(pkg, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.d.ts'));
    assert.ok(dts.length > 10);
    for (const f of dts) assert.doesNotMatch(readFileSync(path.join(pkg, 'dist', f), 'utf8'), /from '\.{1,2}\/[^']*\.ts'/, f);

    const dir = mkdtempSync(path.join(tmpdir(), 'bw-consumer-'));
    try {
      mkdirSync(path.join(dir, 'node_modules'));
      symlinkSync(pkg, path.join(dir, 'node_modules/booking-widget'));
      writeFileSync(path.join(dir, 'app.tsx'), `import 'booking-widget/define';
import 'booking-widget/react';
import 'booking-widget/vue';
import type { BookingWidgetEventDetails, BookingWidgetDeprecatedEventDetails } from 'booking-widget';
import { BookingConsole } from 'booking-widget/console';

const el = document.createElement('booking-widget');
el.specialist = 'dr-weber';
el.addEventListener('booking-widget-booked', (e) => { const url: string = e.detail.manageUrl; void url; });
// Typed, not any (skipLibCheck would hide an unresolved declaration):
// @ts-expect-error manageUrl is a string
el.addEventListener('booking-widget-booked', (e) => { const n: number = e.detail.manageUrl; void n; });
el.addEventListener('booking-widget:booked', (e) => { const id: string = e.detail.booking.id; void id; });
const detail: BookingWidgetEventDetails['booking-widget-error'] = { code: 'x', status: 0, message: '' };
const old: BookingWidgetDeprecatedEventDetails['booking-widget:error'] = detail;
void old; void BookingConsole;
export const ok = <booking-widget specialist="dr-weber" theme="dark" onbooking-widget-slot-selected={(e) => e.detail.slot.start} />;
// @ts-expect-error theme is light or dark
export const bad = <booking-widget theme="blue" />;
`);
      writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
        // skipLibCheck as Vite's, Next's and Angular's templates set it (checking lit's and vue's own
        // declarations takes minutes); the expect-errors above prove the types are real.
        compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, target: 'es2022', lib: ['es2022', 'dom'], module: 'esnext', moduleResolution: 'bundler', jsx: 'react-jsx', types: [], typeRoots: [path.join(root, 'node_modules/@types')] },
        files: ['app.tsx'],
      }));
      execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', dir], { cwd: dir, encoding: 'utf8' });
    } catch (err) {
      assert.fail(`the consumer does not type-check:\n${(err as { stdout?: string }).stdout ?? err}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the manifest lists the two public elements only, with typed events, deprecated aliases, parts and custom properties', () => {
    const cem = JSON.parse(readFileSync(path.join(pkg, 'dist/custom-elements.json'), 'utf8'));
    const decls = cem.modules.flatMap((m: { declarations: unknown[] }) => m.declarations) as { tagName: string; events: { name: string; type?: { text: string }; deprecated?: string }[]; cssParts: { name: string }[]; cssProperties: { name: string }[]; attributes: { name: string }[] }[];
    assert.deepEqual(decls.map((d) => d.tagName), ['booking-widget', 'booking-console']);
    const widget = decls[0]!;
    for (const e of widget.events) assert.match(e.type?.text ?? '', /^CustomEvent<BookingWidgetEventDetails\['booking-widget-[a-z-]+'\]>$/, e.name);
    assert.deepEqual(widget.events.filter((e) => e.deprecated).map((e) => e.name), widget.events.filter((e) => !e.deprecated).map((e) => e.name.replace('widget-', 'widget:')));
    for (const part of ['panel', 'service', 'zone-input', 'slot', 'pay']) assert.ok(widget.cssParts.some((p) => p.name === part), part);
    assert.ok(widget.cssProperties.some((p) => p.name === '--bw-color-accent'));
    assert.deepEqual(widget.attributes.map((a) => a.name).sort(), ['answers', 'api', 'booking', 'checkout', 'email', 'locale', 'name', 'phone', 'service', 'specialist', 'theme', 'timezone', 'token']);
    assert.equal(cem.modules[0].path, 'dist/index.js');
  });

  test('the browser build beside the loader: a classic script that adds widget.js as a module', () => {
    const loader = readFileSync(path.join(pkg, 'dist/browser/loader.js'), 'utf8');
    assert.doesNotThrow(() => new Script(loader));
    assert.ok(existsSync(path.join(pkg, 'dist/browser/widget.js')) && existsSync(path.join(pkg, 'dist/browser/console.js')));
    assert.equal(readdirSync(path.join(pkg, 'dist/browser'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.(br|gz|map)$/.test(f)).length, 0);
  });
});
