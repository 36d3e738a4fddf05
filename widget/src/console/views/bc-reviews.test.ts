import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-reviews.ts';
import type { BcReviews } from './bc-reviews.component.ts';
import { consoleApi, expectAccessible, fakeApi, inside, OWNER_SESSION, SPECIALIST_SESSION } from '../test-helpers.ts';

const review = {
  id: 'c3c3c3c3-c3c3-4c3c-8c3c-c3c3c3c3c3c3', bookingId: '44444444-4444-4444-8444-444444444444', specialistId: '55555555-5555-4555-8555-555555555555',
  serviceName: 'Consultation', visitorName: 'Ada', sessionStart: '2026-12-03T10:00:00.000Z', rating: 4, comment: 'Very <b>helpful</b>',
  published: false, createdAt: '2026-12-03T13:00:00.000Z',
};

describe('bc-reviews', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('shows the owner every review and publishes one', async () => {
    let published = false;
    api = fakeApi({
      'GET /api/admin/reviews': () => ({ body: { reviews: [{ ...review, published }] } }),
      [`PATCH /api/admin/reviews/${review.id}`]: () => { published = true; return { status: 204, body: null }; },
    });
    const el = await fixture<BcReviews>(html`<bc-reviews locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-reviews>`);
    const root = el.shadowRoot!;
    await inside(el, 'ul.reviews');
    expect(root.querySelector('blockquote')!.textContent).to.equal('Very <b>helpful</b>', 'the comment is text, never markup');
    expect(root.querySelector('.sr-only')!.textContent).to.contain('4 of 5');
    await expectAccessible(el);
    [...root.querySelectorAll<HTMLButtonElement>('button.link')].find((b) => b.textContent === 'Show on the booking page')!.click();
    await waitUntil(() => root.querySelector('.notice.good'));
    await waitUntil(() => root.querySelector('.tag'));
  });

  it('shows a specialist their own reviews without publishing', async () => {
    api = fakeApi({ 'GET /api/specialist/reviews': () => ({ body: { reviews: [review] } }) });
    const el = await fixture<BcReviews>(html`<bc-reviews locale="en" .api=${consoleApi()} .session=${SPECIALIST_SESSION}></bc-reviews>`);
    await inside(el, 'ul.reviews');
    expect([...el.shadowRoot!.querySelectorAll('button.link')].map((b) => b.textContent)).to.deep.equal(['Open the booking']);
    await expectAccessible(el);
  });
});
