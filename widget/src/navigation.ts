// Where an element is in its journey, for <booking-widget> and <booking-console> alike: the view
// shown, the notice and failure above it, the one action in flight (busy), and focus moved to
// the new view's heading so keyboard and screen-reader users start there. The elements declare
// their views and transitions; this controller holds the state that moving between them needs.
import type { LitElement, ReactiveController } from 'lit';

/** A message shown above the current view (a conflict, "cancelled", "moved"). */
export interface Notice { text: string; tone: 'good' | 'bad' }
/** A failed action, with a retry when trying again can help. */
export interface Failure { text: string; retry: (() => void) | null }

export class Navigation<V extends string> implements ReactiveController {
  view: V;
  notice: Notice | null = null;
  failure: Failure | null = null;
  busy = false;
  private readonly host: LitElement;
  private focusNext = false;

  constructor(host: LitElement, initial: V) {
    this.host = host;
    this.view = initial;
    host.addController(this);
  }

  /** Shows `view`; the last failure belongs to the view left behind. */
  go(view: V, focus = true): void {
    this.view = view;
    this.focusNext = focus;
    this.failure = null;
    this.host.requestUpdate();
  }

  say(text: string, tone: Notice['tone'] = 'good'): void {
    this.notice = { text, tone };
    this.host.requestUpdate();
  }

  /** Shows a failure outside `run` (a view's chunk that did not load). */
  fail(text: string, retry: (() => void) | null): void {
    this.failure = { text, retry };
    this.host.requestUpdate();
  }

  quiet(): void {
    this.notice = null;
    this.host.requestUpdate();
  }

  /**
   * Runs one action at a time: busy while it runs, a second call meanwhile is ignored. A thrown
   * error goes to `failed`, which answers the failure to show (or null when it handled it).
   */
  async run(action: () => Promise<void>, failed: (err: unknown) => Failure | null): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.failure = null;
    this.host.requestUpdate();
    try {
      await action();
    } catch (err) {
      this.failure = failed(err);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  async hostUpdated(): Promise<void> {
    if (!this.focusNext) return;
    const root = this.host.renderRoot;
    // A view still arriving (its lazy chunk, shown as loading) takes focus once it renders.
    if (!root.querySelector('[data-view]') && root.querySelector('[data-pending-view]')) return;
    this.focusNext = false;
    const view = root.querySelector<LitElement>('[data-view]');
    if (view && 'updateComplete' in view) await view.updateComplete;
    const heading = (view?.shadowRoot ?? root).querySelector<HTMLElement>('h2[tabindex], h3[tabindex]')
      ?? root.querySelector<HTMLElement>('h2[tabindex]');
    heading?.focus();
  }
}
