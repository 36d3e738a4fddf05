import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, html as lit } from 'lit';
import { Navigation } from './navigation.ts';
import { define } from './define.ts';

/** The smallest element with two views: the controller under test, nothing else. */
class TwoViews extends LitElement {
  nav = new Navigation<'one' | 'two'>(this, 'one');
  override render() {
    return this.nav.view === 'one' ? lit`<h2 tabindex="-1">One</h2><button>go</button>` : lit`<h2 tabindex="-1">Two</h2>`;
  }
}
define('nav-two-views', TwoViews);

describe('Navigation', () => {
  it('moves between views, focusing the new heading unless told not to', async () => {
    const el = await fixture<TwoViews>(html`<nav-two-views></nav-two-views>`);
    el.nav.go('two');
    await el.updateComplete;
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement?.textContent).to.equal('Two');
    el.nav.go('one', false);
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(null);
  });

  it('runs one action at a time and keeps the failure its handler answers', async () => {
    const el = await fixture<TwoViews>(html`<nav-two-views></nav-two-views>`);
    let release!: () => void;
    let runs = 0;
    const first = el.nav.run(() => { runs++; return new Promise<void>((r) => { release = r; }); }, () => null);
    expect(el.nav.busy).to.equal(true);
    await el.nav.run(async () => { runs++; }, () => null); // ignored while busy
    release();
    await first;
    expect(runs).to.equal(1);
    expect(el.nav.busy).to.equal(false);
    const retry = () => {};
    await el.nav.run(async () => { throw new Error('no'); }, (err) => ({ text: (err as Error).message, retry }));
    expect(el.nav.failure).to.deep.equal({ text: 'no', retry });
    el.nav.go('two');
    expect(el.nav.failure, 'a failure belongs to the view it happened in').to.equal(null);
  });

  it('keeps a notice across views until it is quieted', async () => {
    const el = await fixture<TwoViews>(html`<nav-two-views></nav-two-views>`);
    el.nav.say('Moved');
    el.nav.go('two');
    expect(el.nav.notice).to.deep.equal({ text: 'Moved', tone: 'good' });
    el.nav.quiet();
    expect(el.nav.notice).to.equal(null);
  });
});
