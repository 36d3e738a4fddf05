import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-specialists.ts';
import type { BcSpecialists } from './bc-specialists.component.ts';
import { slugify } from '../forms.ts';
import { ADMIN_SPECIALIST, consoleApi, expectAccessible, fakeApi, inside, OWNER_SESSION, type FakeCall } from '../test-helpers.ts';

describe('bc-specialists', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('makes slugs from names', () => {
    expect(slugify('Dr. Jürgen Müller-Lüdenscheidt')).to.equal('dr-jurgen-muller-ludenscheidt');
    expect(slugify('  Any ')).to.equal('any-1');
  });

  it('adds a specialist with an invitation; a taken slug is shown at the slug', async () => {
    const posts: FakeCall[] = [];
    api = fakeApi({
      'GET /api/admin/specialists': () => ({ body: { specialists: [ADMIN_SPECIALIST] } }),
      'POST /api/admin/specialists': (c) => {
        posts.push(c);
        return posts.length === 1
          ? { status: 409, body: { error: 'slug_taken', message: 'The slug "dr-lena" is already in use.', field: 'body.slug' } }
          : { status: 201, body: { ...ADMIN_SPECIALIST, id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', name: 'Dr. Lena', email: 'lena@x.test', slug: 'dr-lena-2' } };
      },
    });
    const el = await fixture<BcSpecialists>(html`<bc-specialists locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-specialists>`);
    const root = el.shadowRoot!;
    (await inside<HTMLButtonElement>(el, '#add-specialist')).click();
    const name = await inside<HTMLInputElement>(el, '#sp-name');
    expect(root.activeElement).to.equal(name);
    name.value = 'Dr. Lena';
    name.dispatchEvent(new Event('input'));
    expect(root.querySelector<HTMLInputElement>('#sp-slug')!.value).to.equal('dr-lena');
    root.querySelector<HTMLInputElement>('#sp-email')!.value = 'lena@x.test';
    root.querySelector<HTMLFormElement>('form.editor')!.requestSubmit();
    await waitUntil(() => root.querySelector('#sp-slug-error:not([hidden])'));
    expect(root.querySelector('#sp-slug')!.getAttribute('aria-invalid')).to.equal('true');
    expect(root.activeElement?.id).to.equal('sp-slug');
    await expectAccessible(el);
    root.querySelector<HTMLInputElement>('#sp-slug')!.value = 'dr-lena-2';
    root.querySelector<HTMLInputElement>('#sp-photoUrl')!.value = 'https://img.example/lena.jpg';
    root.querySelector<HTMLSelectElement>('#sp-locale')!.value = 'de';
    root.querySelector<HTMLFormElement>('form.editor')!.requestSubmit();
    await waitUntil(() => root.querySelector('.notice.good'));
    expect(posts[1]!.body).to.deep.include({ name: 'Dr. Lena', slug: 'dr-lena-2', email: 'lena@x.test', invite: true, photoUrl: 'https://img.example/lena.jpg', locale: 'de' });
    expect(posts[0]!.body, 'no photo: null').to.deep.include({ photoUrl: null, locale: 'en', hostReminderMinutes: null });
    expect(root.querySelector('.notice.good')!.textContent).to.contain('sign-in link went to lena@x.test');
  });

  it('edits a specialist\'s reminder times: own minutes, the server\'s rule beside the field, back to the default', async () => {
    const patches: FakeCall[] = [];
    let current = { ...ADMIN_SPECIALIST };
    api = fakeApi({
      'GET /api/admin/specialists': () => ({ body: { specialists: [current] } }),
      [`PATCH /api/admin/specialists/${ADMIN_SPECIALIST.id}`]: (c) => {
        patches.push(c);
        const minutes = (c.body as { hostReminderMinutes: number[] | null }).hostReminderMinutes;
        if (minutes && new Set(minutes).size !== minutes.length) return { status: 400, body: { error: 'invalid_reminders', message: 'Reminders: 30 minutes is given twice.', field: 'body.hostReminderMinutes' } };
        if (minutes?.some((m) => m > 10080)) return { status: 400, body: { error: 'invalid_request', message: 'body/hostReminderMinutes/0 must be <= 10080', field: 'body.hostReminderMinutes[0]' } };
        current = { ...current, hostReminderMinutes: minutes && [...minutes].sort((a, b) => b - a) };
        return { body: current };
      },
    });
    const el = await fixture<BcSpecialists>(html`<bc-specialists locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-specialists>`);
    const root = el.shadowRoot!;
    await inside(el, 'ul.people');
    expect(root.querySelector('ul.people .hint')!.textContent).to.contain('Reminders: practice default');
    const edit = () => [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Edit')!.click();
    edit();
    const useDefault = await inside<HTMLInputElement>(el, '#sp-reminders-default');
    const minutes = root.querySelector<HTMLInputElement>('#sp-hostReminderMinutes')!;
    expect([useDefault.checked, minutes.disabled]).to.deep.equal([true, true]);
    useDefault.click();
    await el.updateComplete;
    expect(minutes.disabled).to.equal(false);
    const submit = () => root.querySelector<HTMLFormElement>('form.editor')!.requestSubmit();
    minutes.value = 'an hour';
    submit();
    await waitUntil(() => root.querySelector('#sp-hostReminderMinutes-error:not([hidden])'));
    expect(root.querySelector('#sp-hostReminderMinutes-error')!.textContent).to.contain('whole minutes');
    expect(patches).to.have.length(0, 'not sent');
    minutes.value = '30, 1440, 30';
    submit();
    await waitUntil(() => root.querySelector('#sp-hostReminderMinutes-error')?.textContent?.includes('given twice'));
    expect(minutes.getAttribute('aria-invalid')).to.equal('true');
    expect(root.activeElement).to.equal(minutes);
    minutes.value = '20000';
    submit();
    await waitUntil(() => root.querySelector('#sp-hostReminderMinutes-error')?.textContent?.includes('10080'), 'an item\'s error is the list\'s');
    await expectAccessible(el);
    minutes.value = '30, 1440';
    submit();
    await waitUntil(() => root.querySelector('.notice.good'));
    expect((patches.at(-1)!.body as { hostReminderMinutes: number[] }).hostReminderMinutes).to.deep.equal([30, 1440]);
    expect(root.querySelector('ul.people .hint')!.textContent).to.contain('Reminders: 1440, 30');
    edit();
    await inside(el, '#sp-reminders-default');
    expect(root.querySelector<HTMLInputElement>('#sp-hostReminderMinutes')!.value).to.equal('1440, 30');
    root.querySelector<HTMLInputElement>('#sp-reminders-default')!.click();
    submit();
    await waitUntil(() => root.querySelector('ul.people .hint')?.textContent?.includes('practice default'));
    expect((patches.at(-1)!.body as { hostReminderMinutes: null }).hostReminderMinutes).to.equal(null);
  });

  it('issues a key shown once, and revokes keys', async () => {
    const token = 'spk_fresh-token-0123456789abcdef';
    let keys: unknown[] = [];
    api = fakeApi({
      'GET /api/admin/specialists': () => ({ body: { specialists: [ADMIN_SPECIALIST] } }),
      [`GET /api/admin/specialists/${ADMIN_SPECIALIST.id}/credentials`]: () => ({ body: { credentials: keys } }),
      [`POST /api/admin/specialists/${ADMIN_SPECIALIST.id}/credentials`]: (c) => {
        const k = { id: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd', specialistId: ADMIN_SPECIALIST.id, label: (c.body as { label: string }).label, createdAt: '2026-12-01T08:00:00.000Z', lastUsedAt: null, revokedAt: null };
        keys = [k];
        return { status: 201, body: { ...k, token } };
      },
    });
    const el = await fixture<BcSpecialists>(html`<bc-specialists locale="ru" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-specialists>`);
    const root = el.shadowRoot!;
    await inside(el, 'ul.people');
    [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Ключи')!.click();
    (await inside<HTMLInputElement>(el, '#key-label')).value = 'laptop';
    [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Выдать ключ')!.click();
    const shown = await inside(el, '#issued');
    expect(shown.querySelector('.secret')!.textContent).to.equal(token);
    await waitUntil(() => root.textContent!.includes('laptop'));
    await expectAccessible(el);
  });
});
