// The WordPress plugin (integrations/wordpress/booking-widget) run by Debian's php-cli inside a
// harness of the WordPress functions it calls (harness.php): the shortcode's markup and its
// enqueued loader, the settings page and its sanitizer, uninstall. Then the page WordPress would
// serve, on its own origin with a strict CSP (no inline scripts or styles), opened in Chromium
// against the real API: the widget loads through the classic-script loader, pinned by SRI, and
// shows the specialist's bookable days and times.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { buildFrontEnd, launchChromium, root, shoot } from '../e2e/support.ts';

const OPTION = 'booking_widget_server_url';
const php = (...args: string[]) => execFileSync('php', [path.join(root, 'tests/wordpress/run.php'), ...args], { encoding: 'utf8' });
const page = (server: string | null, content: string, caps: string[] = []) =>
  php('page', JSON.stringify(server === null ? {} : { [OPTION]: server }), JSON.stringify(caps), content);

describe('the WordPress plugin under php-cli', () => {
  test('the shortcode writes the element with its attributes, escaped, and enqueues the server\'s loader once', () => {
    const html = page('https://booking.example.com', '[booking_widget specialist="dr-weber" service="consultation"] and [booking_widget specialist=\'a"><script>x</script>\' theme=dark onload="evil()"]');
    assert.match(html, /<booking-widget api="https:\/\/booking\.example\.com" specialist="dr-weber" service="consultation"><\/booking-widget>/);
    assert.match(html, /<booking-widget api="https:\/\/booking\.example\.com" specialist="a&quot;&gt;&lt;script&gt;x&lt;\/script&gt;" theme="dark"><\/booking-widget>/, 'escaped; unknown attributes dropped');
    assert.doesNotMatch(html, /onload|<script>x/);
    const loaders = html.match(/<script [^>]*>/g) ?? [];
    assert.deepEqual(loaders, ['<script src="https://booking.example.com/widget-loader.js" id="booking-widget-loader-js" async data-wp-strategy="async">'],
      'one classic loader script, no version query (the loader itself names the versioned files)');
  });

  test('without a server address visitors see nothing and an administrator sees what to set', () => {
    assert.doesNotMatch(page(null, '[booking_widget specialist="dr-weber"]'), /booking-widget|<script/);
    assert.match(page(null, '[booking_widget specialist="dr-weber"]', ['manage_options']), /set the booking server address under Settings/);
  });

  test('the settings page has the server field; saving keeps only http(s) origins', () => {
    const settings = php('settings', JSON.stringify({ [OPTION]: 'https://b.example' }));
    assert.match(settings, /<input type="url"[^>]* name="booking_widget_server_url" value="https:\/\/b\.example"/);
    assert.match(settings, /name="option_page" value="booking_widget"/);
    const save = (v: string) => JSON.parse(php('save', v)) as { stored: string; errors: string[] };
    assert.deepEqual(save('https://booking.example.com/'), { stored: 'https://booking.example.com', errors: [] });
    assert.deepEqual(save('http://127.0.0.1:3000'), { stored: 'http://127.0.0.1:3000', errors: [] });
    assert.deepEqual(save(''), { stored: '', errors: [] });
    for (const bad of ['javascript:alert(1)//', 'booking.example.com', 'https://user:pw@b.example', 'https://b.example/?x=1', 'ftp://b.example']) {
      const r = save(bad);
      assert.equal(r.stored, 'https://previous.example', `${bad} keeps the previous value`);
      assert.equal(r.errors.length, 1, bad);
    }
  });

  test('uninstalling removes the plugin\'s option and nothing else', () => {
    assert.deepEqual(JSON.parse(php('uninstall', JSON.stringify({ [OPTION]: 'https://b.example', blogname: 'Praxis' }))), { blogname: 'Praxis' });
  });
});

describe('a WordPress page with the shortcode, in Chromium', { timeout: 180_000 }, () => {
  let app: TestApp;
  let site: Server;
  let browser: Browser;
  let api = '';
  let siteUrl = '';

  before(async () => {
    await buildFrontEnd();
    site = createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        // What docs/integrations/csp.md tells a host page: scripts and API calls from the booking
        // server, no inline script or style anywhere.
        'content-security-policy': `default-src 'self'; script-src 'self' ${api}; connect-src 'self' ${api}; style-src 'self'; img-src 'self' data:; frame-src 'none'; object-src 'none'; base-uri 'none'`,
      });
      res.end(page(api, '<h1>Book an appointment</h1>[booking_widget specialist="dr-weber" service="consultation" locale="en-GB" timezone="Europe/Berlin"]'));
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    app = await startTestApp({ env: { ALLOWED_ORIGINS: siteUrl } });
    await seedDemo(app.app.db, { now: Date.now() });
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    api = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    site?.close();
    await app?.close();
  });

  test('the widget loads through the loader (versioned, SRI-checked) and shows bookable days and times', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    tab.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`); });
    await tab.goto(siteUrl);
    const integrity = (await app.app.inject({ url: '/integrity.json' })).json();
    const moduleScript = tab.locator('script[type=module]');
    await moduleScript.waitFor({ state: 'attached' });
    assert.equal(await moduleScript.getAttribute('src'), `${api}${integrity.files['widget.js'].url}`);
    assert.equal(await moduleScript.evaluate((s: HTMLScriptElement) => s.integrity), integrity.files['widget.js'].integrity);

    await tab.locator('bw-calendar button.day').first().waitFor({ timeout: 20_000 });
    await tab.locator('bw-calendar table[aria-busy=false]').waitFor({ timeout: 15_000 });
    for (let i = 0; i < 3 && await tab.locator('bw-calendar button.day.available').count() === 0; i++) {
      await tab.locator('bw-calendar button.nav').nth(1).click();
      await tab.locator('bw-calendar table[aria-busy=false]').waitFor({ timeout: 15_000 });
    }
    await tab.locator('bw-calendar button.day.available').first().click();
    const slot = tab.locator('bw-slot-list button.slot').first();
    await slot.waitFor({ timeout: 15_000 });
    const selected = tab.evaluate(() => new Promise<string>((resolve) => document.addEventListener('booking-widget-slot-selected', (e) => resolve(e.detail.slot.start), { once: true })));
    await slot.click();
    assert.match(await selected, /^\d{4}-\d\d-\d\dT/, 'the page hears the hyphen event');
    await tab.locator('bw-details-form form').waitFor();
    await shoot(tab, 'wordpress-shortcode');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
