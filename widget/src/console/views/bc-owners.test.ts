import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './bc-owners.ts';
import type { BcOwners } from './bc-owners.component.ts';
import { consoleApi, expectAccessible, fakeApi, inside, OWNER_SESSION, type FakeCall } from '../test-helpers.ts';

describe('bc-owners', () => {
  let api: ReturnType<typeof fakeApi>;
  afterEach(() => api?.restore());

  it('adds an owner with an invitation, and a taken address is explained', async () => {
    const posts: FakeCall[] = [];
    api = fakeApi({
      'GET /api/admin/owners': () => ({ body: { owners: [] } }),
      'POST /api/admin/owners': (c) => {
        posts.push(c);
        return posts.length === 1 ? { status: 409, body: { error: 'email_taken', message: 'An owner account with this email exists already.', field: 'body.email' } }
          : { status: 201, body: { id: 'c3c3c3c3-c3c3-4c3c-8c3c-c3c3c3c3c3c3', email: 'office@x.test', name: 'Office', archivedAt: null, createdAt: '2026-12-01T08:00:00.000Z' } };
      },
    });
    const el = await fixture<BcOwners>(html`<bc-owners locale="en" .api=${consoleApi()} .session=${OWNER_SESSION}></bc-owners>`);
    const root = el.shadowRoot!;
    await inside(el, '.empty');
    root.querySelector<HTMLInputElement>('#ow-email')!.value = 'office@x.test';
    root.querySelector<HTMLFormElement>('form')!.requestSubmit();
    await waitUntil(() => root.querySelector('#ow-email-error:not([hidden])'));
    await expectAccessible(el);
    root.querySelector<HTMLFormElement>('form')!.requestSubmit();
    await waitUntil(() => root.querySelector('.notice.good'));
    expect(posts[1]!.body).to.deep.equal({ email: 'office@x.test', name: '' });
  });
});
