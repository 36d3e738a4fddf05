import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-templates.ts';
import type { BcTemplates } from './bc-templates.component.ts';
import { consoleApi, expectAccessible, fakeApi, inside, OWNER_SESSION, type FakeCall } from '../test-helpers.ts';

const VARIABLES = ['serviceName', 'otherName', 'recipientName', 'start', 'end', 'minutesBefore'];
const BUILT_IN: Record<string, string> = { 'visitor.confirmation': 'Your booking is confirmed', 'specialist.reminder': 'Starting soon' };
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Override { kind: string; locale: string; subject: string | null; body: string | null; updatedAt: string }

/** The admin API's templates routes over in-test data, rendering previews the way the server does: substituted, then escaped in HTML. */
function templatesServer(overrides: Override[]) {
  const calls: FakeCall[] = [];
  const bad = (text: string | null | undefined) => /\{\{\s*([A-Za-z]+)\s*\}\}/g.exec(text ?? '')?.[1];
  const unknown = (t: { subject?: string | null; body?: string | null }) => {
    for (const field of ['subject', 'body'] as const) {
      const name = bad(t[field]);
      if (name && !VARIABLES.includes(name)) return { status: 400, body: { error: 'unknown_variable', message: `Unknown variable {{${name}}}; use {{serviceName}}, …`, field: `body.${field}` } };
    }
    return null;
  };
  const fill = (s: string) => s.replaceAll('{{otherName}}', 'Dr. Anna Weber').replaceAll('{{serviceName}}', 'Consultation');
  const routes = {
    'GET /api/admin/templates': () => ({ body: { kinds: Object.keys(BUILT_IN), variables: VARIABLES, overrides } }),
    'POST /api/admin/templates/[^/]+/[a-z]+/preview': (c: FakeCall) => {
      calls.push(c);
      const given = (c.body ?? {}) as { subject?: string | null; body?: string | null };
      const problem = unknown(given);
      if (problem) return problem;
      const kind = decodeURIComponent(c.path.split('/')[4]!);
      const subject = fill(given.subject ?? BUILT_IN[kind]!);
      const body = fill(given.body ?? 'We look forward to seeing you.');
      return { body: { subject, text: `${body}\n\nWhen: tomorrow`, html: `<!doctype html><p>${escape(body)}</p><p>When: tomorrow</p>`, sms: `${subject}. When: tomorrow` } };
    },
    'PUT /api/admin/templates/[^/]+/[a-z]+': (c: FakeCall) => {
      calls.push(c);
      const given = c.body as { subject: string | null; body: string | null };
      const problem = unknown(given);
      if (problem) return problem;
      const [, , , , kind, locale] = c.path.split('/');
      const row = { kind: decodeURIComponent(kind!), locale: locale!, ...given, updatedAt: '2026-12-01T09:00:00.000Z' };
      overrides.splice(0, overrides.length, ...overrides.filter((o) => !(o.kind === row.kind && o.locale === row.locale)), row);
      return { body: row };
    },
    'DELETE /api/admin/templates/[^/]+/[a-z]+': (c: FakeCall) => {
      calls.push(c);
      const [, , , , kind, locale] = c.path.split('/');
      overrides.splice(0, overrides.length, ...overrides.filter((o) => !(o.kind === decodeURIComponent(kind!) && o.locale === locale)));
      return { status: 204, body: null };
    },
  };
  return { routes, calls };
}

const cell = (el: BcTemplates, kind: string, lang: string) => el.shadowRoot!.querySelector<HTMLButtonElement>(`button.state[data-kind="${kind}"][data-lang="${lang}"]`)!;
const word = (el: BcTemplates, kind: string, lang: string) => cell(el, kind, lang).querySelector('.word')!.textContent;
const type = (el: BcTemplates, id: string, value: string) => {
  const field = el.shadowRoot!.querySelector<HTMLInputElement | HTMLTextAreaElement>(id)!;
  field.value = value;
  field.dispatchEvent(new Event('input'));
};

describe('bc-templates', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('lists every message with the languages the owner has worded, edits one with a live escaped preview, saves and resets it', async () => {
    const overrides: Override[] = [{ kind: 'visitor.confirmation', locale: 'de', subject: 'Termin bestätigt: {{serviceName}}', body: null, updatedAt: '2026-11-30T10:00:00.000Z' }];
    const server = templatesServer(overrides);
    api = fakeApi(server.routes);
    const el = await fixture<BcTemplates>(html`<bc-templates locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-templates>`);
    const root = el.shadowRoot!;
    await inside(el, 'table.kinds');
    expect([...root.querySelectorAll('table.kinds caption')].map((c) => c.textContent)).to.deep.equal(['To visitors', 'To specialists']);
    expect(word(el, 'visitor.confirmation', 'de')).to.equal('Custom');
    expect(word(el, 'visitor.confirmation', 'en')).to.equal('Built-in');
    expect(cell(el, 'specialist.reminder', 'ru').textContent).to.equal('Built-in: Edit the Русский text of “Session starting soon”');
    await expectAccessible(el);

    // Open English: the built-in subject is the placeholder, the preview shows the built-in message.
    cell(el, 'visitor.confirmation', 'en').click();
    await waitUntil(() => root.querySelector('#pv-subject')?.textContent === 'Your booking is confirmed', 'built-in preview');
    expect(root.activeElement?.id).to.equal('tpl-editor-title');
    expect(root.querySelector<HTMLInputElement>('#tpl-subject')!.placeholder).to.equal('Your booking is confirmed');
    expect(cell(el, 'visitor.confirmation', 'en').getAttribute('aria-current')).to.equal('true');
    const variables = [...root.querySelectorAll('.variables code')].map((c) => c.textContent);
    expect(variables).to.deep.equal(VARIABLES.map((v) => `{{${v}}}`));
    expect(root.querySelector('.variables')!.textContent).to.contain('the service booked');

    // Typing: the preview follows once typing pauses; markup in a text stays text.
    type(el, '#tpl-subject', '<b>{{otherName}}</b> confirmed');
    await waitUntil(() => root.querySelector('#pv-subject')?.textContent === '<b>Dr. Anna Weber</b> confirmed', 'live preview');
    expect(root.querySelector('#pv-subject b')).to.equal(null);
    const last = server.calls.filter((c) => c.path.endsWith('/preview')).at(-1)!;
    expect(last.path).to.equal('/api/admin/templates/visitor.confirmation/en/preview');
    expect(last.body).to.deep.equal({ subject: '<b>{{otherName}}</b> confirmed', body: null });
    const frame = root.querySelector<HTMLIFrameElement>('#pv-html')!;
    expect(frame.getAttribute('sandbox')).to.equal('', 'no script runs in the preview');
    expect(frame.srcdoc).to.equal('<!doctype html><p>We look forward to seeing you.</p><p>When: tomorrow</p>');

    // A variable goes in where the cursor is.
    const bodyField = root.querySelector<HTMLTextAreaElement>('#tpl-body')!;
    bodyField.focus();
    type(el, '#tpl-body', 'See you for  <soon>.');
    bodyField.setSelectionRange(12, 12);
    root.querySelector<HTMLButtonElement>('.variables button[aria-label="Insert {{serviceName}}"]')!.click();
    expect(bodyField.value).to.equal('See you for {{serviceName}} <soon>.');
    expect(root.activeElement).to.equal(bodyField);
    await waitUntil(() => frame.srcdoc.includes('See you for Consultation &#60;soon&#62;.'), 'escaped by the server, shown as it came');

    // An unknown variable: the API's message beside the field, in the preview and on saving.
    type(el, '#tpl-body', 'Pay {{price}} now');
    await waitUntil(() => !root.querySelector<HTMLElement>('#tpl-body-error')!.hidden, 'preview error by the field');
    expect(root.querySelector('#tpl-body-error')!.textContent).to.contain('Unknown variable {{price}}');
    expect(bodyField.getAttribute('aria-invalid')).to.equal('true');
    root.querySelector<HTMLFormElement>('.editor form')!.requestSubmit();
    await waitUntil(() => server.calls.some((c) => c.method === 'PUT'));
    await waitUntil(() => root.activeElement === bodyField, 'focus on the field in error');
    expect(overrides.some((o) => o.locale === 'en')).to.equal(false);
    await expectAccessible(el);

    // Fixed and saved: the English cell says so.
    type(el, '#tpl-body', 'Thank you for booking {{serviceName}}.');
    root.querySelector<HTMLFormElement>('.editor form')!.requestSubmit();
    await waitUntil(() => word(el, 'visitor.confirmation', 'en') === 'Custom', 'saved');
    expect(server.calls.filter((c) => c.method === 'PUT').at(-1)!.body).to.deep.equal({ subject: '<b>{{otherName}}</b> confirmed', body: 'Thank you for booking {{serviceName}}.' });
    expect(bodyField.getAttribute('aria-invalid')).to.equal('false');
    expect(root.querySelector('.notice.good')!.textContent).to.equal('The English text of “Booking confirmed” is saved.');

    // Back to the built-in text.
    root.querySelector<HTMLButtonElement>('#tpl-reset')!.click();
    await waitUntil(() => word(el, 'visitor.confirmation', 'en') === 'Built-in', 'reset');
    expect(server.calls.at(-1)!.method === 'DELETE' || server.calls.some((c) => c.method === 'DELETE' && c.path === '/api/admin/templates/visitor.confirmation/en')).to.equal(true);
    expect(root.querySelector<HTMLInputElement>('#tpl-subject')!.value).to.equal('');
    expect(root.querySelector('#tpl-reset')).to.equal(null);
    await waitUntil(() => root.querySelector('#pv-subject')?.textContent === 'Your booking is confirmed', 'preview of the built-in text again');
    expect(overrides.map((o) => o.locale)).to.deep.equal(['de']);
  });

  it('opens a saved text with its words, in Russian, and shows a failed load with a retry', async () => {
    let fail = true;
    const server = templatesServer([{ kind: 'specialist.reminder', locale: 'ru', subject: null, body: 'Скоро {{serviceName}}', updatedAt: '2026-11-30T10:00:00.000Z' }]);
    api = fakeApi({ ...server.routes, 'GET /api/admin/templates': () => (fail ? { status: 500, body: { error: 'internal_error', message: 'The database is not answering.' } } : server.routes['GET /api/admin/templates']()) });
    const el = await fixture<BcTemplates>(html`<bc-templates locale="ru" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-templates>`);
    const root = el.shadowRoot!;
    const alert = await inside(el, '[role=alert]', 8000);
    expect(alert.textContent).to.contain('The database is not answering.');
    fail = false;
    alert.querySelector('button')!.click();
    await inside(el, 'table.kinds');
    expect(root.querySelector('h2')!.textContent).to.equal('Тексты сообщений');
    cell(el, 'specialist.reminder', 'ru').click();
    await waitUntil(() => root.querySelector('#pv-subject'));
    expect(root.querySelector<HTMLTextAreaElement>('#tpl-body')!.value).to.equal('Скоро {{serviceName}}');
    expect(root.querySelector('#tpl-reset')!.textContent).to.equal('Вернуть стандартный текст');
    await expectAccessible(el);
  });
});
