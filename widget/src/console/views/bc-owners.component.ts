// Owner accounts, for the site owner: people who run the practice sign in by email, so the
// ADMIN_TOKEN can stay in the server's environment. Add one (an invitation goes out), archive one.
import { html } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-owners.styles.ts';
import { t } from '../i18n.ts';
import { valueOf } from '../forms.ts';

/**
 * @customElement bc-owners
 * @csspart owners - the panel
 */
export class BcOwners extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = { formError: { state: true } };
  declare formError: string;

  constructor() {
    super();
    this.formError = '';
  }

  private list = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => (await api.owners(signal)).owners,
  });

  private async add(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    this.formError = '';
    try {
      const owner = await this.api.addOwner({ email: valueOf(form, 'ow-email'), name: valueOf(form, 'ow-name') });
      this.message = t(this.locale, 'ownerInvited', { email: owner.email });
      form.reset();
      this.list.run();
    } catch (err) {
      this.formError = this.problem(err);
      form.querySelector<HTMLInputElement>('#ow-email')?.focus();
    }
  }

  private async archive(id: string, email: string) {
    this.error = null;
    try {
      await this.api.archiveOwner(id);
      this.message = t(this.locale, 'ownerArchived', { email });
      this.list.run();
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    const loc = this.locale;
    return html`<div part="owners">
      <div class="head"><h2 tabindex="-1">${t(loc, 'ownersTitle')}</h2></div>
      <p class="hint">${t(loc, 'ownersIntro')}</p>
      ${this.notices()}
      ${this.list.render({
        pending: () => this.loading(),
        error: (e) => this.alert(e, () => this.list.run()),
        complete: (list) => list.length === 0 ? html`<p class="empty">${t(loc, 'noOwners')}</p>` : html`<ul class="plain">${list.map((o) => html`<li>
          <strong>${o.name || o.email}</strong> <span class="muted">${o.email}</span>
          ${o.archivedAt ? html`<span class="badge archived">${t(loc, 'archived')}</span>`
            : html`<button class="link" aria-label=${t(loc, 'archiveOwner', { email: o.email })} @click=${() => this.archive(o.id, o.email)}>${t(loc, 'archive')}</button>`}
        </li>`)}</ul>`,
      })}
      <form class="card" @submit=${this.add} novalidate aria-labelledby="ow-add">
        <h3 id="ow-add">${t(loc, 'addOwner')}</h3>
        <div class="grid">
          <div class="field"><label for="ow-email">${t(loc, 'email')}</label>
            <input id="ow-email" type="email" required aria-invalid=${this.formError ? 'true' : 'false'} aria-describedby="ow-email-error">
            <p id="ow-email-error" class="error" ?hidden=${!this.formError}>${this.formError}</p></div>
          <div class="field"><label for="ow-name">${t(loc, 'name')}</label><input id="ow-name" maxlength="200"></div>
        </div>
        <button class="primary" type="submit">${t(loc, 'inviteOwner')}</button>
      </form>
    </div>`;
  }
}
