// What every console view shares: the API client and session, the locale and clock, asking the
// shell to go elsewhere (bc-navigate), reading a failure in the viewer's language, and the
// outcome of its last action (message / error). Views
// load their own data with @lit/task and report what they need through events; the shell
// (booking-console) owns sign-in, routing and the menu.
import { LitElement, html, nothing, type PropertyDeclarations } from 'lit';
import { describeError } from '../api.ts';
import { notify } from '../events.ts';
import { failureText } from '../failures.ts';
import type { SessionInfo } from '../../../shared/auth.ts';
import type { ConsoleApi } from './api.ts';
import type { Route } from './route.ts';
import { t } from './i18n.ts';

export abstract class ConsoleViewElement extends LitElement {
  static override properties: PropertyDeclarations = {
    api: { attribute: false }, session: { attribute: false }, locale: { type: String }, now: { attribute: false },
    message: { state: true }, error: { state: true },
  };
  declare api: ConsoleApi;
  declare session: SessionInfo;
  declare locale: string;
  /** Time source; tests replace it. */
  declare now: () => number;
  /** What the last action did (shown by notices()), or ''. */
  declare message: string;
  /** Why the last action failed (shown by notices()), or null. */
  declare error: unknown;

  constructor() {
    super();
    this.locale = 'en';
    this.now = () => Date.now();
    this.message = '';
    this.error = null;
  }

  /** The zone dates are shown in: the specialist's own, else the browser's. */
  get zone(): string {
    return this.session?.specialist?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  }

  protected go(route: Route): void {
    notify(this, 'bc-navigate', route);
  }

  protected problem(err: unknown): string {
    const d = describeError(err);
    // The server's own message names the field and the rule; it is the most useful text here.
    if (d.code !== 'network' && d.status !== 404 && d.status !== 0) return d.message;
    return failureText(err, this.locale);
  }

  /** A failure with a retry (loads) or without (actions), as a live alert. */
  protected alert(err: unknown, retry?: () => void) {
    return html`<div class="notice bad" role="alert"><p>${this.problem(err)}</p>
      ${retry ? html`<button @click=${retry}>${t(this.locale, 'retry')}</button>` : nothing}</div>`;
  }

  /** The last action's outcome: its confirmation as a status, its failure as an alert. */
  protected notices() {
    return html`${this.message ? html`<p class="notice good" role="status">${this.message}</p>` : nothing}
      ${this.error ? this.alert(this.error) : nothing}`;
  }

  protected loading() {
    return html`<p class="loading" role="status">${t(this.locale, 'loading')}</p>`;
  }
}
