import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './bw-details-form.ts';
import type { BwDetailsForm } from './bw-details-form.component.ts';
import { expectAccessible, CONSULTATION } from '../test-helpers.ts';

function type(el: BwDetailsForm, id: string, value: string) {
  const field = el.shadowRoot!.querySelector<HTMLInputElement>(`#${id}`)!;
  field.value = value;
  field.dispatchEvent(new Event(field.tagName === 'SELECT' ? 'change' : 'input'));
  field.dispatchEvent(new FocusEvent('blur'));
}

describe('bw-details-form', () => {
  it('renders every intake question type and validates inline', async () => {
    const el = await fixture<BwDetailsForm>(html`<bw-details-form locale="en" .service=${CONSULTATION}></bw-details-form>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('#q-topic')!.tagName).to.equal('TEXTAREA');
    expect(root.querySelector('#q-first_visit')!.tagName).to.equal('SELECT');
    expect(root.querySelector<HTMLInputElement>('#q-consent')!.type).to.equal('checkbox');
    expect(root.querySelector<HTMLInputElement>('#phone')!.type).to.equal('tel');
    type(el, 'email', 'not-an-email');
    await el.updateComplete;
    expect(root.querySelector('#email')!.getAttribute('aria-invalid')).to.equal('true');
    expect(root.querySelector('#email-error')!.textContent).to.contain('name@example.com');
    await expectAccessible(el);
  });

  it('focuses the first invalid field on submit and submits when valid, keeping values', async () => {
    const el = await fixture<BwDetailsForm>(html`<bw-details-form locale="en" .service=${CONSULTATION}></bw-details-form>`);
    const root = el.shadowRoot!;
    let submitted = 0;
    el.addEventListener('bw-details-submit', () => submitted++);
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await el.updateComplete;
    await el.updateComplete;
    expect(submitted).to.equal(0);
    expect(root.activeElement?.id).to.equal('name');
    expect(root.querySelectorAll('[aria-invalid="true"]').length).to.equal(5);
    type(el, 'name', 'Ada Lovelace');
    type(el, 'email', 'ada@example.com');
    type(el, 'phone', '+44 20 7946 0958');
    type(el, 'q-topic', 'Sleep');
    type(el, 'q-first_visit', 'Yes');
    const consent = root.querySelector<HTMLInputElement>('#q-consent')!;
    consent.click();
    setTimeout(() => root.querySelector<HTMLButtonElement>('button[type=submit]')!.click());
    const ev = await oneEvent(el, 'bw-details-submit');
    expect(ev.detail).to.deep.equal({ name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0958', answers: { topic: 'Sleep', first_visit: 'Yes', consent: true } });
    await expectAccessible(el);
  });

  it('shows values it is given (nothing typed is lost on a return)', async () => {
    const values = { name: 'Ada', email: 'ada@example.com', phone: '', answers: { topic: 'Work', first_visit: 'No' } };
    const el = await fixture<BwDetailsForm>(html`<bw-details-form locale="de" .service=${CONSULTATION} .values=${values}></bw-details-form>`);
    expect(el.shadowRoot!.querySelector<HTMLInputElement>('#name')!.value).to.equal('Ada');
    expect(el.shadowRoot!.querySelector<HTMLTextAreaElement>('#q-topic')!.value).to.equal('Work');
    expect(el.shadowRoot!.querySelector<HTMLSelectElement>('#q-first_visit')!.value).to.equal('No');
    expect(el.shadowRoot!.querySelector('button[type=submit]')!.textContent!.trim()).to.equal('Buchen');
  });
});

describe('bw-details-form server errors', () => {
  it('shows the API\'s message at the field it names until that field is edited', async () => {
    const values = { name: 'Ada', email: 'ada@example.com', phone: '', answers: { topic: 'x', first_visit: 'No', consent: true } };
    const el = await fixture<BwDetailsForm>(html`<bw-details-form locale="en" .service=${CONSULTATION} .values=${values}
      .serverErrors=${{ 'q-topic': 'Too short for this question.' }}></bw-details-form>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('#q-topic-error')!.textContent).to.equal('Too short for this question.');
    expect(root.activeElement?.id).to.equal('q-topic');
    await expectAccessible(el);
    type(el, 'q-topic', 'A longer answer');
    await el.updateComplete;
    expect(root.querySelector('#q-topic-error')).to.equal(null);
  });

  it('asks for a document through the lazy file field; required until one is attached', async () => {
    const service = { ...CONSULTATION, intakeQuestions: [{ id: 'referral', label: 'Referral letter', type: 'file' as const, required: true, accept: ['application/pdf' as const] }] };
    const el = await fixture<BwDetailsForm>(html`<bw-details-form locale="en" api="http://api.test" .service=${service}
      .values=${{ name: 'Ada', email: 'ada@example.com', phone: '', answers: {} }}></bw-details-form>`);
    await waitUntil(() => customElements.get('bw-file-field') && el.shadowRoot!.querySelector('bw-file-field')?.shadowRoot?.querySelector('input[type=file]'), 'the file field');
    const field = el.shadowRoot!.querySelector('bw-file-field')!;
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await el.updateComplete;
    await field.updateComplete;
    expect(field.shadowRoot!.querySelector('#error')!.textContent).to.contain('required');
    expect(field.shadowRoot!.activeElement?.id, 'focus on the file input').to.equal('file');
    await expectAccessible(el);
    field.dispatchEvent(new CustomEvent('bw-file-change', { detail: 'f0000000-0000-4000-8000-000000000001' }));
    setTimeout(() => el.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click());
    const sent = await oneEvent(el, 'bw-details-submit');
    expect(sent.detail.answers.referral).to.equal('f0000000-0000-4000-8000-000000000001');
  });
});
