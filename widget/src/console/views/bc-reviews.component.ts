// Reviews visitors left through the review link: a specialist sees their own, the site owner
// every review and chooses which are shown on the booking page.
import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { formatDateTimeZone } from '../../time.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { t } from '../i18n.ts';
import { styles } from './bc-reviews.styles.ts';

/**
 * @customElement bc-reviews
 * @csspart reviews - the panel
 */
export class BcReviews extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];

  private list = new Task(this, {
    args: () => [this.api, this.session.role] as const,
    task: async ([api, role], { signal }) => (await api.reviews(role, signal)).reviews,
  });

  private async publish(id: string, published: boolean) {
    this.error = null;
    try {
      await this.api.publishReview(id, published);
      this.message = t(this.locale, published ? 'reviewPublished' : 'reviewHidden');
      this.list.run();
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    const loc = this.locale;
    const owner = this.session.role === 'owner';
    return html`<div part="reviews">
      <div class="head"><h2 tabindex="-1">${t(loc, 'reviewsTitle')}</h2></div>
      <p class="hint">${t(loc, 'reviewsIntro')}</p>
      ${this.notices()}
      ${this.list.render({
        pending: () => this.loading(),
        error: (e) => this.alert(e, () => this.list.run()),
        complete: (list) => list.length === 0 ? html`<p class="empty">${t(loc, 'noReviews')}</p>` : html`<ul class="plain reviews">${list.map((r) => html`<li class="card">
          <p><span class="stars" aria-hidden="true">${'★'.repeat(r.rating)}${'☆'.repeat(5 - r.rating)}</span>
            <span class="sr-only">${t(loc, 'ratingOf', { n: r.rating })}</span>
            <strong>${r.visitorName}</strong> · ${r.serviceName} · <span class="hint">${formatDateTimeZone(r.sessionStart, loc, this.zone)}</span>
            ${r.published ? html` · <span class="tag">${t(loc, 'publishedTag')}</span>` : nothing}</p>
          ${r.comment ? html`<blockquote>${r.comment}</blockquote>` : nothing}
          <p><button class="link" @click=${() => this.go({ view: 'booking', id: r.bookingId })}>${t(loc, 'openBooking')}</button>
            ${owner ? html` · <button class="link" @click=${() => this.publish(r.id, !r.published)}>${t(loc, r.published ? 'unpublish' : 'publish')}</button>` : nothing}</p>
        </li>`)}</ul>`,
      })}
    </div>`;
  }
}
