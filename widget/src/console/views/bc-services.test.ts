import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-services.ts';
import type { BcServices } from './bc-services.component.ts';
import { toMinor } from './bc-services.component.ts';
import { ADMIN_SERVICE, ADMIN_SPECIALIST, consoleApi, expectAccessible, fakeApi, inside, OWNER_SESSION, type FakeCall } from '../test-helpers.ts';

describe('bc-services', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('reads prices in the currency\'s own unit', () => {
    expect([toMinor('90', 'EUR'), toMinor('90,50', 'EUR'), toMinor('5000', 'JPY')]).to.deep.equal([9000, 9050, 5000]);
  });

  it('adds a service with every field and says who offers it', async () => {
    const calls: FakeCall[] = [];
    const created = { ...ADMIN_SERVICE, id: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', name: 'Deep session', slug: 'deep-session', specialists: [] };
    api = fakeApi({
      'GET /api/admin/services': () => ({ body: { services: [ADMIN_SERVICE] } }),
      'GET /api/admin/specialists': () => ({ body: { specialists: [ADMIN_SPECIALIST] } }),
      'POST /api/admin/services': (c) => { calls.push(c); return { status: 201, body: created }; },
      [`PUT /api/admin/services/${created.id}/specialists`]: (c) => { calls.push(c); return { body: { ...created, specialists: [ADMIN_SPECIALIST.id] } }; },
    });
    const el = await fixture<BcServices>(html`<bc-services locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-services>`);
    const root = el.shadowRoot!;
    await inside(el, 'ul.plain li');
    expect(root.textContent).to.contain('Offered by Dr. Anna Weber');
    root.querySelector<HTMLButtonElement>('#add-service')!.click();
    const name = await inside<HTMLInputElement>(el, '#sv-name');
    name.value = 'Deep session';
    name.dispatchEvent(new Event('input'));
    const set = (id: string, v: string) => { root.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)!.value = v; };
    set('sv-duration', '90'); set('sv-step', '30'); set('sv-price', '150'); set('sv-currency', 'chf'); set('sv-notice', '24');
    set('sv-max', '2'); set('sv-policy', 'strict');
    root.querySelector<HTMLInputElement>('#sv-approval')!.checked = true;
    [...root.querySelectorAll('button')].find((b) => b.textContent!.includes('Add a question'))!.click();
    await el.updateComplete;
    const label = root.querySelector<HTMLInputElement>('#q-0-label')!;
    label.value = 'Your goal';
    label.dispatchEvent(new Event('change'));
    // A document question, PDF only, up to 5 MB.
    [...root.querySelectorAll('button')].find((b) => b.textContent!.includes('Add a question'))!.click();
    await el.updateComplete;
    const doc = root.querySelector<HTMLInputElement>('#q-1-label')!;
    doc.value = 'Referral letter';
    doc.dispatchEvent(new Event('change'));
    const type = root.querySelector<HTMLSelectElement>('#q-1-type')!;
    type.value = 'file';
    type.dispatchEvent(new Event('change'));
    await el.updateComplete;
    for (const box of [...root.querySelectorAll<HTMLInputElement>('.file-limits input[type=checkbox]')].slice(1)) { box.click(); await el.updateComplete; }
    expect(root.querySelector<HTMLInputElement>('.file-limits input[type=checkbox]')!.disabled, 'the last format cannot be unticked').to.equal(true);
    const max = root.querySelector<HTMLInputElement>('#q-1-max')!;
    max.value = '5';
    max.dispatchEvent(new Event('change'));
    await el.updateComplete;
    await expectAccessible(el);
    root.querySelector<HTMLFormElement>('form.editor')!.requestSubmit();
    await waitUntil(() => calls.length === 2);
    expect(calls[0]!.body).to.deep.include({
      slug: 'deep-session', name: 'Deep session', durationMin: 90, slotStepMin: 30, priceCents: 15000, currency: 'CHF',
      minNoticeMin: 1440, maxPerDay: 2, requiresApproval: true, cancellationPolicy: 'strict', videoEnabled: true, recordingEnabled: false,
    });
    expect((calls[0]!.body as { intakeQuestions: unknown[] }).intakeQuestions).to.deep.equal([
      { id: 'your_goal', label: 'Your goal', type: 'text', required: false },
      { id: 'referral_letter', label: 'Referral letter', type: 'file', required: false, accept: ['application/pdf'], maxBytes: 5 * 1024 * 1024 },
    ]);
    expect(calls[1]!.body).to.deep.equal({ specialistIds: [ADMIN_SPECIALIST.id] });
    await waitUntil(() => root.querySelector('.notice.good'));
  });

  it('shows the server\'s rule next to the field it names', async () => {
    api = fakeApi({
      'GET /api/admin/services': () => ({ body: { services: [ADMIN_SERVICE] } }),
      'GET /api/admin/specialists': () => ({ body: { specialists: [] } }),
      [`PATCH /api/admin/services/${ADMIN_SERVICE.id}`]: () => ({ status: 400, body: { error: 'invalid_slot_step', message: 'A slot step of 90 min is longer than one booking blocks (60 min).', field: 'body.slotStepMin' } }),
    });
    const el = await fixture<BcServices>(html`<bc-services locale="de" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-services>`);
    const root = el.shadowRoot!;
    await inside(el, 'ul.plain li');
    [...root.querySelectorAll('button')].find((b) => b.textContent === 'Bearbeiten')!.click();
    await inside(el, 'form.editor');
    root.querySelector<HTMLFormElement>('form.editor')!.requestSubmit();
    await waitUntil(() => root.querySelector('#sv-step-error:not([hidden])'));
    expect(root.querySelector('#sv-step')!.getAttribute('aria-invalid')).to.equal('true');
    await expectAccessible(el);
  });
});
