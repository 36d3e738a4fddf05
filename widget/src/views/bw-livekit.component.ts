// The call on LiveKit: our own small UI over livekit-client (LiveKit has no hosted prebuilt
// frame). Two tiles (you and the other person; a shared screen gets a wide tile of its own),
// microphone, camera and screen-share toggles, Leave, and device problems explained. This module
// and livekit-client are lazy chunks that bw-call loads when a LiveKit call starts.
import { LitElement, html, nothing } from 'lit';
import type { LocalParticipant, Participant, RemoteParticipant, Room, RoomOptions, Track } from 'livekit-client';
import { base } from '../shared.styles.ts';
import { styles } from './bw-livekit.styles.ts';
import { lt as t, type ViewKey as MessageKey } from './late.strings.ts';
import { notify } from '../events.ts';
import { lt, type LiveKitKey } from './bw-livekit.strings.ts';

/** What the view uses of livekit-client's Room (tests hand in a stand-in with the same surface). */
export type CallRoom = Pick<Room, 'on' | 'connect' | 'disconnect' | 'localParticipant' | 'remoteParticipants' | 'canPlaybackAudio' | 'startAudio' | 'isRecording'>;
export type RoomFactory = (options: RoomOptions) => CallRoom | Promise<CallRoom>;

const createRoom: RoomFactory = async (options) => new (await import('livekit-client')).Room(options);

/** Room events after which the tiles and controls are drawn again (livekit-client's RoomEvent values). */
const REDRAW = [
  'participantConnected', 'participantDisconnected', 'trackSubscribed', 'trackUnsubscribed', 'trackMuted', 'trackUnmuted',
  'localTrackPublished', 'localTrackUnpublished', 'audioPlaybackChanged', 'reconnecting', 'reconnected', 'recordingStatusChanged',
] as const;

type Problem = { shared: MessageKey } | { own: LiveKitKey };

/** A refused getUserMedia/getDisplayMedia, in words the person can act on. */
export function deviceProblem(err: unknown, screen = false): Problem {
  const name = (err as { name?: string } | null)?.name ?? '';
  if (screen) return { own: 'shareFailed' };
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return { shared: 'permissionsDenied' };
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return { shared: 'deviceMissing' };
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') return { own: 'deviceInUse' };
  return { shared: 'deviceMissing' };
}

const SOURCE = { camera: 'camera', microphone: 'microphone', screen: 'screen_share' } as const;

const trackOf = (p: Participant, source: string): Track | undefined => {
  const pub = p.getTrackPublication(source as Track.Source);
  return pub && !pub.isMuted ? pub.track : undefined;
};

/**
 * @fires bw-livekit-joined - connected to the room
 * @fires bw-livekit-left - the call ended for this person (Leave, or the room closed)
 * @csspart stage - the tiles
 * @csspart tile - one person's tile
 * @csspart controls - the toolbar
 */
export class BwLiveKit extends LitElement {
  static override styles = [base, styles];
  static override properties = {
    url: { type: String }, token: { type: String }, locale: { type: String }, partner: { type: String },
    roomFactory: { attribute: false }, problem: { state: true }, announcement: { state: true }, phase: { state: true },
  };
  declare url: string;
  declare token: string;
  declare locale: string;
  /** The other person's name until they are in the room. */
  declare partner: string;
  declare roomFactory: RoomFactory | undefined;
  declare problem: Problem | null;
  declare announcement: string;
  declare phase: 'connecting' | 'connected' | 'reconnecting' | 'ended';
  private room: CallRoom | null = null;
  private left = false;

  constructor() {
    super();
    this.url = '';
    this.token = '';
    this.locale = 'en';
    this.partner = '';
    this.roomFactory = undefined;
    this.problem = null;
    this.announcement = '';
    this.phase = 'connecting';
  }

  /** The livekit-client room while connected (tests and the console read it). */
  get call(): CallRoom | null {
    return this.room;
  }

  protected override async firstUpdated() {
    // Adaptive stream and dynacast pay off in large rooms; a two-person call sends one layer.
    const room = await (this.roomFactory ?? createRoom)({ adaptiveStream: false, dynacast: false, stopLocalTrackOnUnpublish: true });
    if (!this.isConnected) return;
    this.room = room;
    // By the events' string values: livekit-client's RoomEvent enum is runtime code of the big chunk.
    const on = room.on.bind(room) as unknown as (event: string, fn: (...args: any[]) => void) => void;
    for (const event of REDRAW) on(event, () => this.requestUpdate());
    on('reconnecting', () => { this.phase = 'reconnecting'; });
    on('reconnected', () => { this.phase = 'connected'; });
    on('participantConnected', (p: RemoteParticipant) => { this.announcement = lt(this.locale, 'joinedNow', { name: p.name || this.partner }); });
    on('participantDisconnected', (p: RemoteParticipant) => { this.announcement = lt(this.locale, 'leftNow', { name: p.name || this.partner }); });
    on('mediaDevicesError', (err: Error) => { this.problem = deviceProblem(err); });
    on('disconnected', () => this.finish());
    try {
      await room.connect(this.url, this.token);
    } catch {
      if (this.left) return;
      this.problem = { shared: 'networkError' };
      this.phase = 'ended';
      return;
    }
    this.phase = 'connected';
    notify(this, 'bw-livekit-joined', null);
    // Microphone and camera separately: a missing camera must not keep the microphone off.
    await this.toggle('microphone', true);
    await this.toggle('camera', true);
  }

  private get local(): LocalParticipant | undefined {
    return this.room?.localParticipant;
  }

  private async toggle(what: keyof typeof SOURCE, on: boolean) {
    const me = this.local;
    if (!me) return;
    try {
      if (what === 'microphone') await me.setMicrophoneEnabled(on);
      else if (what === 'camera') await me.setCameraEnabled(on);
      else await me.setScreenShareEnabled(on, { audio: false });
      if (this.problem && on) this.problem = null;
    } catch (err) {
      // The person closing the screen picker is a choice, not a problem.
      if (what === 'screen' && (err as { name?: string }).name === 'NotAllowedError') return;
      this.problem = deviceProblem(err, what === 'screen');
    } finally {
      this.requestUpdate();
    }
  }

  /** Leaves the room; bw-livekit-left follows (once). */
  async leave() {
    this.left = true;
    const room = this.room;
    if (room) await room.disconnect().catch(() => {});
    this.finish();
  }

  private finish() {
    if (this.phase === 'ended' && this.left) return;
    const first = !this.left || this.phase !== 'ended';
    this.phase = 'ended';
    this.left = true;
    this.room = null;
    if (first) notify(this, 'bw-livekit-left', null);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    const room = this.room;
    this.room = null;
    this.left = true;
    void room?.disconnect();
  }

  /** Tracks are attached after rendering: each <video>/<audio> names its track by participant and source. */
  protected override updated() {
    for (const el of this.renderRoot.querySelectorAll<HTMLMediaElement>('[data-track]')) {
      const [who, source] = el.dataset.track!.split(':') as [string, string];
      const p = who === 'local' ? this.local : this.room?.remoteParticipants.get(who);
      const track = p ? trackOf(p, source) : undefined;
      const current = (el.srcObject as MediaStream | null)?.getTracks()[0];
      if (track && current !== track.mediaStreamTrack) track.attach(el);
    }
  }

  private tile(p: Participant, key: string, label: string, local: boolean) {
    const video = trackOf(p, SOURCE.camera);
    const micOff = !trackOf(p, SOURCE.microphone);
    const states = [micOff ? lt(this.locale, 'micOff') : '', video ? '' : lt(this.locale, 'cameraOff')].filter(Boolean).join(', ');
    return html`<figure part="tile" class=${local ? 'local' : 'remote'} data-identity=${p.identity}>
      ${video ? html`<video data-track="${key}:${SOURCE.camera}" autoplay playsinline muted aria-hidden="true"></video>`
        : html`<div class="placeholder" aria-hidden="true">${label}</div>`}
      <figcaption>${label}${states ? html` <span class="states">(${states})</span>` : nothing}</figcaption>
    </figure>`;
  }

  private screens() {
    const out = [];
    const me = this.local;
    if (me && trackOf(me, SOURCE.screen)) out.push(['local', lt(this.locale, 'screenOf', { name: lt(this.locale, 'you') })] as const);
    for (const [sid, p] of this.room?.remoteParticipants ?? []) {
      if (trackOf(p, SOURCE.screen)) out.push([sid, lt(this.locale, 'screenOf', { name: p.name || this.partner })] as const);
    }
    return out.map(([key, label]) => html`<figure part="tile" class="screen">
      <video data-track="${key}:${SOURCE.screen}" autoplay playsinline muted aria-hidden="true"></video>
      <figcaption>${label}</figcaption></figure>`);
  }

  override render() {
    const loc = this.locale;
    const me = this.local;
    const remotes = [...(this.room?.remoteParticipants ?? new Map<string, RemoteParticipant>()).entries()];
    const problem = this.problem;
    const micOn = me?.isMicrophoneEnabled ?? false;
    const camOn = me?.isCameraEnabled ?? false;
    const sharing = me?.isScreenShareEnabled ?? false;
    const status = this.phase === 'connecting' ? lt(loc, 'connecting') : this.phase === 'reconnecting' ? lt(loc, 'reconnecting') : '';
    return html`
      ${problem ? html`<p class="notice bad" role="alert">${'shared' in problem ? t(loc, problem.shared) : lt(loc, problem.own)}</p>` : nothing}
      ${status ? html`<p class="muted">${status}</p>` : nothing}
      ${this.room?.isRecording ? html`<p class="recording" role="status"><span aria-hidden="true">●</span> ${lt(loc, 'recordingNow')}</p>` : nothing}
      <div class="stage" part="stage">
        ${this.screens()}
        ${me ? this.tile(me, 'local', lt(loc, 'you'), true) : nothing}
        ${remotes.length ? remotes.map(([sid, p]) => this.tile(p, sid, p.name || this.partner, false))
          : html`<figure part="tile" class="remote waiting"><div class="placeholder">${lt(loc, 'waitingFor', { name: this.partner })}</div></figure>`}
      </div>
      ${remotes.flatMap(([sid, p]) => (trackOf(p, SOURCE.microphone) ? [html`<audio data-track="${sid}:${SOURCE.microphone}" autoplay></audio>`] : []))}
      <div class="controls" part="controls" role="group" aria-label=${lt(loc, 'controls')}>
        <button aria-pressed=${micOn ? 'false' : 'true'} ?disabled=${!me} @click=${() => this.toggle('microphone', !micOn)}>${lt(loc, 'mute')}</button>
        <button aria-pressed=${camOn ? 'false' : 'true'} ?disabled=${!me} @click=${() => this.toggle('camera', !camOn)}>${lt(loc, 'camera')}</button>
        <button aria-pressed=${sharing ? 'true' : 'false'} ?disabled=${!me} @click=${() => this.toggle('screen', !sharing)}>${lt(loc, 'share')}</button>
        ${this.room && !this.room.canPlaybackAudio ? html`<button @click=${() => this.room?.startAudio()}>${lt(loc, 'enableAudio')}</button>` : nothing}
        <button class="leave danger" @click=${this.leave}>${t(loc, 'leave')}</button>
      </div>
      <span class="sr-only" role="status" aria-live="polite">${this.announcement}</span>
    `;
  }
}
