import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-embed.ts';
import type { BcEmbed } from './bc-embed.component.ts';
import { embedSnippet } from './bc-embed.component.ts';
import { ADMIN_SERVICE, ADMIN_SPECIALIST, API, consoleApi, expectAccessible, fakeApi, OWNER_SESSION, type FakeCall } from '../test-helpers.ts';

describe('bc-embed', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('writes the snippet: one script tag, the element, only the attributes chosen', () => {
    expect(embedSnippet('https://b.example', { specialist: 'dr-weber', service: '', theme: '', locale: '', accent: '#1f5fbf' }))
      .to.equal('<script type="module" src="https://b.example/widget.js"></script>\n<booking-widget specialist="dr-weber"></booking-widget>');
    expect(embedSnippet('https://b.example', { specialist: 'any', service: 'intro"call', theme: 'dark', locale: 'de', accent: '#aa0000' }))
      .to.contain('service="intro&quot;call" theme="dark" locale="de" style="--bw-color-accent: #aa0000"');
  });

  it('builds the code from the practice\'s specialists and services, and manages the allowed websites', async () => {
    const calls: FakeCall[] = [];
    let origins: { origin: string; source: string; createdAt: string | null }[] = [{ origin: 'https://console.example', source: 'config', createdAt: null }];
    api = fakeApi({
      'GET /api/admin/specialists': () => ({ body: { specialists: [ADMIN_SPECIALIST] } }),
      'GET /api/admin/services': () => ({ body: { services: [ADMIN_SERVICE] } }),
      'GET /api/admin/origins': () => ({ body: { origins } }),
      'POST /api/admin/origins': (c) => { calls.push(c); const o = { origin: 'https://clinic.example', source: 'admin', createdAt: '2026-12-01T08:00:00.000Z' }; origins = [...origins, o]; return { status: 201, body: o }; },
      'DELETE /api/admin/origins': (c) => { calls.push(c); origins = origins.slice(0, 1); return { status: 204, body: null }; },
    });
    const el = await fixture<BcEmbed>(html`<bc-embed locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-embed>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector('#e-specialist option[value="dr-weber"]'));
    expect(root.querySelector('#snippet')).to.equal(null);
    const pick = root.querySelector<HTMLSelectElement>('#e-specialist')!;
    pick.value = 'dr-weber';
    pick.dispatchEvent(new Event('change'));
    await el.updateComplete;
    const service = root.querySelector<HTMLSelectElement>('#e-service')!;
    service.value = 'consultation';
    service.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(root.querySelector<HTMLTextAreaElement>('#snippet')!.value).to.equal(`<script type="module" src="${API}/widget.js"></script>\n<booking-widget specialist="dr-weber" service="consultation"></booking-widget>`);
    expect(root.querySelector('#cms-hint')!.textContent, 'the classic loader for CMSs').to.contain(`<script src="${API}/widget-loader.js" async></script>`);
    await expectAccessible(el);
    expect(root.querySelector('ul.plain li')!.textContent).to.contain('from the server\'s settings');
    root.querySelector<HTMLInputElement>('#origin')!.value = 'https://clinic.example/booking';
    root.querySelector<HTMLFormElement>('form.toolbar')!.requestSubmit();
    await waitUntil(() => root.querySelectorAll('ul.plain li').length === 2);
    expect(calls[0]!.body).to.deep.equal({ origin: 'https://clinic.example/booking' });
    root.querySelector<HTMLButtonElement>('ul.plain li:last-child button')!.click();
    await waitUntil(() => root.querySelector('.notice.good')?.textContent?.includes('removed'));
    expect(calls[1]!.search.get('origin')).to.equal('https://clinic.example');
  });
});
