// Signing in: a link by email (specialists and owner accounts), or a key pasted once (a
// specialist's credential from the site owner, or the site owner's ADMIN_TOKEN), which the
// server exchanges for a short-lived session at once. Arriving with an emailed link's token,
// it redeems it and says so. Whether an address has an account is never revealed.
import { html, nothing } from 'lit';
import { base } from '../../shared.styles.ts';
import { notify } from '../../events.ts';
import { ApiError } from '../../api.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-sign-in.styles.ts';
import { language } from '../../catalog.ts';
import { t } from '../i18n.ts';
import type { Route } from '../route.ts';
import type { IssuedSession } from '../api.ts';

/**
 * @customElement bc-sign-in
 * @fires bc-signed-in - detail: the new session (IssuedSession)
 * @csspart sign-in - the panel
 */
export class BcSignIn extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = {
    target: { attribute: false }, message: { type: String }, linkToken: { type: String },
    role: { state: true }, sentTo: { state: true }, emailError: { state: true }, keyError: { state: true }, busy: { state: true },
  };
  /** Where the console goes after sign-in; an emailed link carries it too. */
  declare target: Route | null;
  /** Why sign-in is asked for again (the session ended). */
  declare message: string;
  /** The token of an emailed link the page was opened with. */
  declare linkToken: string;
  declare role: 'specialist' | 'owner';
  declare sentTo: string;
  declare emailError: string;
  declare keyError: string;
  declare busy: boolean;

  constructor() {
    super();
    this.target = null;
    this.message = '';
    this.linkToken = '';
    this.role = 'specialist';
    this.sentTo = '';
    this.emailError = '';
    this.keyError = '';
    this.busy = false;
  }

  protected override firstUpdated() {
    if (this.linkToken) void this.redeem(this.linkToken);
  }

  private async redeem(token: string) {
    this.busy = true;
    try {
      this.signedIn(await this.api.signInLink(token));
    } catch (err) {
      this.message = err instanceof ApiError && err.code === 'invalid_link' ? t(this.locale, 'linkInvalid') : this.problem(err);
    } finally {
      this.busy = false;
      this.linkToken = '';
    }
  }

  private signedIn(session: IssuedSession) {
    notify(this, 'bc-signed-in', session);
  }

  private async sendLink(e: SubmitEvent) {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#email')!;
    const email = input.value.trim();
    this.emailError = '';
    if (!input.checkValidity() || !email) {
      this.emailError = t(this.locale, 'invalidEmail');
      input.focus();
      return;
    }
    this.busy = true;
    try {
      const target = this.target?.view === 'booking' && this.target.id ? { booking: this.target.id, ...(this.target.join ? { action: 'join' as const } : {}) } : {};
      await this.api.signInEmail({ email, role: this.role, locale: language(this.locale), ...target });
      this.sentTo = email;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#sent')?.focus();
    } catch (err) {
      this.emailError = this.problem(err);
      input.focus();
    } finally {
      this.busy = false;
    }
  }

  private async useKey(e: SubmitEvent) {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#key')!;
    this.keyError = '';
    if (input.value.trim().length < 16) {
      this.keyError = t(this.locale, 'keyTooShort');
      input.focus();
      return;
    }
    this.busy = true;
    try {
      const session = await this.api.signInKey(input.value);
      input.value = '';
      this.signedIn(session);
    } catch (err) {
      this.keyError = err instanceof ApiError && err.code === 'invalid_key' ? t(this.locale, 'keyInvalid') : this.problem(err);
      input.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const loc = this.locale;
    if (this.linkToken) {
      return html`<div part="sign-in" class="wrap"><h2 tabindex="-1">${t(loc, 'signInTitle')}</h2>${this.loading()}</div>`;
    }
    return html`
      <div part="sign-in" class="wrap">
        <h2 tabindex="-1">${t(loc, 'signInTitle')}</h2>
        <p class="muted">${t(loc, this.target?.view === 'booking' ? 'signInForBooking' : 'signInIntro')}</p>
        ${this.message ? html`<p class="notice bad" role="alert">${this.message}</p>` : nothing}
        <div class="ways">
          <section class="card" aria-labelledby="by-email">
            <h3 id="by-email">${t(loc, 'byEmail')}</h3>
            ${this.sentTo ? html`
              <p id="sent" class="notice good" role="status" tabindex="-1">${t(loc, 'linkSent', { email: this.sentTo })}</p>
              <button class="link" @click=${() => { this.sentTo = ''; }}>${t(loc, 'sendAnother')}</button>` : html`
              <form @submit=${this.sendLink} novalidate>
                <fieldset>
                  <legend>${t(loc, 'iAm')}</legend>
                  <label class="check"><input type="radio" name="role" value="specialist" .checked=${this.role === 'specialist'}
                    @change=${() => { this.role = 'specialist'; }}>${t(loc, 'roleSpecialist')}</label>
                  <label class="check"><input type="radio" name="role" value="owner" .checked=${this.role === 'owner'}
                    @change=${() => { this.role = 'owner'; }}>${t(loc, 'roleOwner')}</label>
                </fieldset>
                <div class="field">
                  <label for="email">${t(loc, 'email')}</label>
                  <input id="email" type="email" autocomplete="email" required aria-invalid=${this.emailError ? 'true' : 'false'}
                    aria-describedby="email-error">
                  <p id="email-error" class="error" ?hidden=${!this.emailError}>${this.emailError}</p>
                </div>
                <button class="primary" type="submit" ?disabled=${this.busy}>${t(loc, 'sendLink')}</button>
              </form>`}
          </section>
          <section class="card" aria-labelledby="by-key">
            <h3 id="by-key">${t(loc, 'byKey')}</h3>
            <p class="hint">${t(loc, 'byKeyHint')}</p>
            <form @submit=${this.useKey} novalidate>
              <div class="field">
                <label for="key">${t(loc, 'key')}</label>
                <input id="key" type="password" autocomplete="off" spellcheck="false" aria-invalid=${this.keyError ? 'true' : 'false'}
                  aria-describedby="key-error">
                <p id="key-error" class="error" ?hidden=${!this.keyError}>${this.keyError}</p>
              </div>
              <button type="submit" ?disabled=${this.busy}>${t(loc, 'signIn')}</button>
            </form>
          </section>
        </div>
      </div>
    `;
  }
}
