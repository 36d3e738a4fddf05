import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './bw-confirmation.ts';
import type { BwConfirmation } from './bw-confirmation.component.ts';
import { expectAccessible, bookingView } from '../test-helpers.ts';

describe('bw-confirmation', () => {
  const booking = bookingView('2026-12-03T09:00:00.000Z');
  const url = 'https://clinic.example/book?booking=44444444-4444-4444-8444-444444444444&token=secret';

  it('shows both zones, an .ics file, a Google link and the manage link', async () => {
    const el = await fixture<BwConfirmation>(html`<bw-confirmation locale="en-GB" timezone="America/New_York" .booking=${booking} manageUrl=${url}></bw-confirmation>`);
    const root = el.shadowRoot!;
    const dd = [...root.querySelectorAll('dd')].map((d) => d.textContent);
    expect(dd[0]).to.contain('04:00').and.contain('GMT-5');
    expect(dd[1]).to.contain('10:00').and.contain('CET');
    const ics = root.querySelector<HTMLAnchorElement>('a[download]')!;
    const text = decodeURIComponent(ics.href.split(',')[1]);
    expect(text).to.contain('DTSTART:20261203T090000Z').and.contain('DTEND:20261203T095000Z').and.contain('BEGIN:VEVENT');
    const google = new URL(root.querySelector<HTMLAnchorElement>('a[href^="https://calendar.google.com"]')!.href);
    expect(google.searchParams.get('dates')).to.equal('20261203T090000Z/20261203T095000Z');
    expect(root.querySelector<HTMLInputElement>('#manage-url')!.value).to.equal(url);
    await expectAccessible(el);
    setTimeout(() => root.querySelector<HTMLButtonElement>('button.primary')!.click());
    await oneEvent(el, 'bw-manage');
  });

  it('says a pending booking awaits approval', async () => {
    const el = await fixture<BwConfirmation>(html`<bw-confirmation locale="ru" timezone="Europe/Berlin" .booking=${bookingView('2026-12-03T09:00:00.000Z', 'pending')} manageUrl=${url}></bw-confirmation>`);
    expect(el.shadowRoot!.querySelector('h2')!.textContent).to.contain('Заявка отправлена');
    expect(el.shadowRoot!.querySelectorAll('dd').length, 'one zone when both are the same').to.equal(1);
  });

  it('names its .ics event as the emails do (one UID) with the join link, and says an email was sent', async () => {
    const el = await fixture<BwConfirmation>(html`<bw-confirmation locale="en-GB" timezone="UTC" uidHost="clinic.example" .booking=${booking} manageUrl=${url}></bw-confirmation>`);
    const root = el.shadowRoot!;
    const ics = decodeURIComponent(root.querySelector<HTMLAnchorElement>('a[download]')!.href.split(',')[1]!).replace(/\r\n /g, '');
    // server/notifications/sender.ts: uid `${booking.id}@${new URL(PUBLIC_URL).hostname}`
    expect(ics).to.contain(`UID:${booking.id}@clinic.example\r\n`);
    expect(ics).to.contain(`LOCATION:${url}&action=join`);
    expect(root.querySelector('#email-sent')!.textContent).to.equal('We sent a confirmation to ada@example.com.');
    await expectAccessible(el);
  });
});
