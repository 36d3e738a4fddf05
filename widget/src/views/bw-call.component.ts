// The call, with the client the join answer names: Daily Prebuilt in a div inside the shadow root
// (daily-js), or our own LiveKit view (bw-livekit over livekit-client). Each client is a lazy
// chunk imported when this view opens, never before; the call is torn down when the person
// leaves or the view goes away. Camera/microphone refusal is explained with what to do about it;
// a Daily frame that cannot load (provider unreachable, load error, no join within
// loadTimeoutMs) says so, with a Rejoin button, instead of staying a grey box. The frame is
// titled for screen readers. Once in the call, the view reports it (POST /api/bookings/:id/presence
// with the join token), which the server confirms with the provider before the booking turns
// in_progress; Daily's presence may lag the call, so a `not_in_room` answer is retried a few times.
import { LitElement, html, nothing } from 'lit';
import type { DailyCall, DailyCallFactory, DailyEventObject } from '@daily-co/daily-js';
import { base } from '../shared.styles.ts';
import { styles } from './bw-call.styles.ts';
import { lt as t, type ViewKey as MessageKey } from './late.strings.ts';
import { notify } from '../events.ts';
import { ApiError, type Api } from '../api.ts';
import type { JoinInfo } from '../types.ts';
import type { BwLiveKit, RoomFactory } from './bw-livekit.component.ts';
import { ct } from './bw-conference.strings.ts';

export type DailyLoader = () => Promise<Pick<DailyCallFactory, 'createFrame'>>;
export type { RoomFactory };

const loadDaily: DailyLoader = () => import('@daily-co/daily-js').then((m) => (m as unknown as { default: DailyCallFactory }).default);
const loadLiveKitView = () => import('./bw-livekit.ts');

/**
 * @fires bw-call-joined - the visitor is in the call
 * @fires bw-call-left - detail: seconds spent in the call
 * @csspart call - the frame's container (Daily) or the tiles and controls (LiveKit)
 */
export class BwCall extends LitElement {
  static override styles = [base, styles];
  static override properties = {
    join: { attribute: false }, locale: { type: String }, specialistName: { type: String }, loader: { attribute: false },
    roomFactory: { attribute: false }, problem: { state: true }, ready: { state: true }, loadTimeoutMs: { type: Number },
    api: { attribute: false }, bookingId: { type: String }, presenceRetryMs: { attribute: false },
  };
  declare join: JoinInfo;
  declare locale: string;
  declare specialistName: string;
  /** Replaces the daily-js import (tests); unset, the real one loads. */
  declare loader: DailyLoader | undefined;
  /** Replaces livekit-client's Room (tests); unset, the real one loads. */
  declare roomFactory: RoomFactory | undefined;
  declare problem: MessageKey | null;
  /** The LiveKit view's chunk has arrived. */
  declare ready: boolean;
  /** How long joining may take before the Daily frame counts as unreachable. */
  declare loadTimeoutMs: number;
  /** Where the join is reported (the widget's or console's client); unset, nothing is reported. */
  declare api: Pick<Api, 'request'> | undefined;
  declare bookingId: string;
  /** Waits before asking again while the provider does not show this person yet (Daily lags up to 15 s). */
  declare presenceRetryMs: number[];
  /** The server's confirmation of the join report, once it came. */
  presence: { role: string; joinedAt: string; status: string } | null = null;
  private call: DailyCall | null = null;
  private joinedAt = 0;
  private done = false;

  constructor() {
    super();
    this.locale = 'en';
    this.specialistName = '';
    this.loader = undefined;
    this.roomFactory = undefined;
    this.problem = null;
    this.ready = false;
    this.loadTimeoutMs = 20_000;
    this.api = undefined;
    this.bookingId = '';
    this.presenceRetryMs = [3000, 6000, 10_000];
  }

  private get liveKit(): boolean {
    return this.join.provider === 'livekit';
  }

  /** Meet and Teams: the meeting opens in its own app; nothing to load here. */
  private get external(): 'google_meet' | 'teams' | null {
    const p = this.join.provider;
    return p === 'google_meet' || p === 'teams' ? p : null;
  }

  protected override firstUpdated() {
    if (this.external) return;
    void (this.liveKit ? this.startLiveKit() : this.startDaily());
  }

  private async startLiveKit() {
    try {
      await loadLiveKitView();
      this.ready = true;
    } catch {
      this.problem = 'callLoadFailed';
    }
  }

  private async startDaily() {
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
      this.joined();
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

  /** Tries again after the call could not load. */
  private async rejoin() {
    this.problem = null;
    this.destroy();
    await this.updateComplete;
    if (this.liveKit) return void this.startLiveKit();
    this.renderRoot.querySelector('.frame')?.replaceChildren();
    void this.startDaily();
  }

  private joined() {
    this.joinedAt = Date.now();
    notify(this, 'bw-call-joined', null);
    if (!this.external) void this.reportPresence();
  }

  /**
   * Tells the server this person is in the call. Best effort: the provider's webhook says the same
   * where one is set up, so a report that never gets through only loses a little precision.
   */
  private async reportPresence() {
    const { api, bookingId } = this;
    const token = this.join.token;
    if (!api || !bookingId || !token) return;
    for (let attempt = 0; !this.done && this.isConnected; attempt++) {
      try {
        this.presence = await api.request(`/api/bookings/${encodeURIComponent(bookingId)}/presence`, { method: 'POST', body: { token } });
        return;
      } catch (err) {
        const again = err instanceof ApiError && err.code === 'not_in_room' && attempt < this.presenceRetryMs.length;
        if (!again) return;
        await new Promise((r) => setTimeout(r, this.presenceRetryMs[attempt]));
      }
    }
  }

  /** Daily's call object while the frame is up (the console's host controls use it). */
  get daily(): DailyCall | null {
    return this.call;
  }

  /** Leaves the call (the client's own Leave ends up in finish() too). */
  async leave() {
    const stage = this.renderRoot.querySelector<BwLiveKit>('bw-livekit');
    if (stage) {
      await stage.leave();
      return;
    }
    if (this.external) {
      this.finish();
      return;
    }
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

  private stage() {
    if (!this.ready) return this.problem ? nothing : html`<p class="muted" role="status">${t(this.locale, 'loading')}</p>`;
    return html`<bw-livekit part="call" url=${this.join.roomUrl} token=${this.join.token} locale=${this.locale} partner=${this.specialistName}
      .roomFactory=${this.roomFactory} @bw-livekit-joined=${this.joined} @bw-livekit-left=${this.finish}></bw-livekit>`;
  }

  private meeting(app: 'google_meet' | 'teams') {
    return html`<div class="meeting" part="call"><p>${ct(this.locale, 'where', app)}</p>
      <p><a class="button primary" href=${this.join.roomUrl} target="_blank" rel="noopener noreferrer" @click=${() => { if (!this.joinedAt) this.joined(); }}>${ct(this.locale, 'open', app)}</a></p></div>`;
  }

  override render() {
    const app = this.external;
    return html`
      <div class="bar">
        <h2 tabindex="-1">${t(this.locale, 'callTitle', { name: this.specialistName })}</h2>
        ${this.liveKit ? nothing : html`<button @click=${this.leave}>${t(this.locale, 'leave')}</button>`}
      </div>
      ${this.problem ? html`<div class="notice bad" role="alert"><p>${t(this.locale, this.problem)}</p>
        ${this.problem === 'callLoadFailed' ? html`<button @click=${this.rejoin}>${t(this.locale, 'rejoin')}</button>` : nothing}</div>` : nothing}
      ${app ? this.meeting(app) : this.liveKit ? this.stage() : html`<div class="frame" part="call"></div>`}
    `;
  }
}
