import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './bw-file-field.ts';
import type { BwFileField, Uploader } from './bw-file-field.component.ts';
import { ApiError } from '../api.ts';
import { expectAccessible } from '../test-helpers.ts';

const question = { id: 'referral', label: 'Referral letter', type: 'file' as const, required: true, accept: ['application/pdf' as const], maxBytes: 4096 };

function choose(el: BwFileField, file: File) {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
  const dt = new DataTransfer();
  dt.items.add(file);
  input.files = dt.files;
  input.dispatchEvent(new Event('change'));
}

describe('bw-file-field', () => {
  it('uploads at once with announced progress, then answers with the upload id', async () => {
    let release!: () => void;
    let sentTo = '';
    const uploader: Uploader = (url, file, progress) => {
      sentTo = url;
      progress(0.4);
      return new Promise((resolve) => { release = () => resolve({ id: 'f0000000-0000-4000-8000-000000000001', name: file.name, size: file.size }); });
    };
    const el = await fixture<BwFileField>(html`<bw-file-field .question=${question} api="http://api.test" service="svc-1" locale="en" .uploader=${uploader}></bw-file-field>`);
    expect(el.shadowRoot!.querySelector('label')!.textContent).to.contain('Referral letter');
    expect(el.shadowRoot!.querySelector('#hint')!.textContent).to.equal('PDF, up to 4 kB');
    await expectAccessible(el);
    choose(el, new File(['%PDF-1.7 hello'], 'letter.pdf', { type: 'application/pdf' }));
    await waitUntil(() => el.shadowRoot!.querySelector('progress'), 'progress shown');
    expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.contain('Uploading letter.pdf: 40%');
    expect(el.shadowRoot!.querySelector('progress')!.value).to.equal(40);
    await expectAccessible(el);
    const url = new URL(sentTo);
    expect(url.pathname).to.equal('/api/uploads');
    expect(url.searchParams.get('service')).to.equal('svc-1');
    expect(url.searchParams.get('question')).to.equal('referral');
    setTimeout(() => release());
    const ev = await oneEvent(el, 'bw-file-change');
    expect(ev.detail).to.equal('f0000000-0000-4000-8000-000000000001');
    el.value = ev.detail;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.contain('Attached: letter.pdf');
    await expectAccessible(el);
    setTimeout(() => el.shadowRoot!.querySelector<HTMLButtonElement>('button.link')!.click());
    expect((await oneEvent(el, 'bw-file-change')).detail).to.equal('');
  });

  it('refuses a too large or wrong file before sending it, and shows the server\'s refusal', async () => {
    let calls = 0;
    const uploader: Uploader = async () => { calls++; throw new ApiError(415, { error: 'unsupported_file_type', message: '"Referral letter" takes PDF files; this file is none of those.' }); };
    const el = await fixture<BwFileField>(html`<bw-file-field .question=${question} locale="de" .uploader=${uploader}></bw-file-field>`);
    choose(el, new File([new Uint8Array(5000)], 'big.pdf', { type: 'application/pdf' }));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('größer als');
    choose(el, new File(['x'], 'photo.png', { type: 'image/png' }));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('nicht angenommen');
    expect(calls, 'nothing sent').to.equal(0);
    choose(el, new File(['MZ'], 'fake.pdf', { type: 'application/pdf' }));
    await waitUntil(() => calls === 1 && el.shadowRoot!.querySelector('[role=alert]')?.textContent?.includes('takes PDF'));
    expect(el.shadowRoot!.querySelector('input')!.getAttribute('aria-invalid')).to.equal('true');
    await expectAccessible(el);
  });
});
