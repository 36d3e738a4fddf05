// The call: Daily Prebuilt in a div inside the shadow root. daily-js is imported here, and only
// when this view opens (its own lazy chunk); the frame is destroyed when the visitor leaves or
// the view goes away. Camera/microphone refusal is explained with what to do about it; a frame
// that cannot load (provider unreachable, load error, no join within loadTimeoutMs) says so, with
// a Rejoin button, instead of staying a grey box. The frame is titled for screen readers.
import { LitElement, html, nothing } from 'lit';
import type { DailyCall, DailyCallFactory, DailyEventObject } from '@daily-co/daily-js';
import { base } from '../shared.styles.ts';
import { styles } from './bw-call.styles.ts';
import { lt as t, type ViewKey as MessageKey } from './late.strings.ts';
import { notify } from '../events.ts';
import type { JoinInfo } from '../types.ts';

export type DailyLoader = () => Promise<Pick<DailyCallFactory, 'createFrame'>>;

const loadDaily: DailyLoader = () => import('@daily-co/daily-js').then((m) => (m as unknown as { default: DailyCallFactory }).default);

/**
 * @fires bw-call-joined - the visitor is in the call
 * @fires bw-call-left - detail: seconds spent in the call
 * @csspart call - the frame's container
 */
export class BwCall extends LitElement {
  static override styles = [base, styles];
  static override properties = {
    join: { attribute: false }, locale: { type: String }, specialistName: { type: String }, loader: { attribute: false },
    problem: { state: true }, loadTimeoutMs: { type: Number },
  };
  /** How long joining may take before the frame counts as unreachable. */
  declare loadTimeoutMs: number;
  declare join: JoinInfo;
  declare locale: string;
  declare specialistName: string;
  /** Replaces the daily-js import (tests); unset, the real one loads. */
  declare loader: DailyLoader | undefined;
  declare problem: MessageKey | null;
  private call: DailyCall | null = null;
  private joinedAt = 0;
  private done = false;

  constructor() {
    super();
    this.locale = 'en';
    this.specialistName = '';
    this.loader = undefined;
    this.problem = null;
    this.loadTimeoutMs = 20_000;
  }

  protected override firstUpdated() {
    void this.start();
  }

  private async start() {
    const container = this.renderRoot.querySelector<HTMLElement>('.frame')!;
    let Daily: Awaited<ReturnType<DailyLoader>>;
    try {
      Daily = await (this.loader ?? loadDaily)();
    } catch {
      this.problem = 'callLoadFailed';
      return;
    }
    if (!this.isConnected) return;
    const call = Daily.createFrame(container, {
      showLeaveButton: true,
      showFullscreenButton: true,
      iframeStyle: { width: '100%', height: '100%', border: '0' },
    });
    this.call = call;
    (call.iframe?.() ?? container.querySelector('iframe'))?.setAttribute('title', t(this.locale, 'callTitle', { name: this.specialistName }));
    let joined = false;
    const unreachable = () => { if (this.call === call && !joined) this.problem = 'callLoadFailed'; };
    const timer = setTimeout(unreachable, this.loadTimeoutMs);
    call.on('joined-meeting', () => {
      joined = true;
      clearTimeout(timer);
      this.problem = null;
      this.joinedAt = Date.now();
      notify(this, 'bw-call-joined', null);
    });
    call.on('load-attempt-failed', unreachable);
    call.on('error', unreachable);
    call.on('left-meeting', () => this.finish());
    call.on('camera-error', (ev: DailyEventObject<'camera-error'>) => {
      const type = ev?.error?.type;
      this.problem = type === 'permissions' ? 'permissionsDenied' : type === 'not-found' || type === 'undefined-mediadevices' ? 'deviceMissing' : null;
    });
    try {
      await call.join({ url: this.join.roomUrl, token: this.join.token });
    } catch {
      clearTimeout(timer);
      unreachable();
    }
  }

  /** Tries the frame again after it could not load. */
  private async rejoin() {
    this.problem = null;
    this.destroy();
    await this.updateComplete;
    this.renderRoot.querySelector('.frame')?.replaceChildren();
    void this.start();
  }

  /** The provider's call object while the frame is up (the console's host controls use it). */
  get daily(): DailyCall | null {
    return this.call;
  }

  /** Leaves the call (the frame's own Leave button ends up in finish() too, through left-meeting). */
  async leave() {
    // A frame that never loaded (network trouble) may not answer: leave regardless after a moment.
    const call = this.call;
    if (call) await Promise.race([call.leave().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
    this.finish();
  }

  private finish() {
    if (this.done) return;
    this.done = true;
    const seconds = this.joinedAt ? Math.round((Date.now() - this.joinedAt) / 1000) : 0;
    this.destroy();
    notify(this, 'bw-call-left', seconds);
  }

  private destroy() {
    const call = this.call;
    this.call = null;
    void call?.destroy();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.destroy();
  }

  override render() {
    return html`
      <div class="bar">
        <h2 tabindex="-1">${t(this.locale, 'callTitle', { name: this.specialistName })}</h2>
        <button @click=${this.leave}>${t(this.locale, 'leave')}</button>
      </div>
      ${this.problem ? html`<div class="notice bad" role="alert"><p>${t(this.locale, this.problem)}</p>
        ${this.problem === 'callLoadFailed' ? html`<button @click=${this.rejoin}>${t(this.locale, 'rejoin')}</button>` : nothing}</div>` : nothing}
      <div class="frame" part="call"></div>
    `;
  }
}
