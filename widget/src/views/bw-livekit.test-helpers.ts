// A stand-in for livekit-client's Room with the surface bw-livekit uses: participants with
// publications whose tracks are real MediaStreamTracks (from a canvas), toggles that publish and
// unpublish them, and events emitted like the SDK's (by their string values).
import type { RoomFactory } from './bw-livekit.component.ts';

type Handler = (...args: unknown[]) => void;

function canvasTrack(): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  canvas.getContext('2d')!.fillRect(0, 0, 64, 48);
  return canvas.captureStream(5).getVideoTracks()[0]!;
}

class FakeTrack {
  readonly mediaStreamTrack = canvasTrack();
  attach(el: HTMLMediaElement) { el.srcObject = new MediaStream([this.mediaStreamTrack]); return el; }
  detach() { return []; }
}

class FakeParticipant {
  readonly pubs = new Map<string, { track: FakeTrack; isMuted: boolean }>();
  readonly identity: string;
  readonly name: string;
  constructor(identity: string, name: string) {
    this.identity = identity;
    this.name = name;
  }
  getTrackPublication(source: string) { return this.pubs.get(source); }
  publish(source: string) { this.pubs.set(source, { track: new FakeTrack(), isMuted: false }); }
  get isMicrophoneEnabled() { return this.pubs.has('microphone'); }
  get isCameraEnabled() { return this.pubs.has('camera'); }
  get isScreenShareEnabled() { return this.pubs.has('screen_share'); }
}

export interface FakeRoomOptions {
  /** Errors the toggles throw (by source), as getUserMedia/getDisplayMedia would. */
  failures?: Partial<Record<'microphone' | 'camera' | 'screen_share', Error>>;
  failConnect?: boolean;
}

export function fakeRoom(options: FakeRoomOptions = {}) {
  const handlers = new Map<string, Handler[]>();
  const emit = (event: string, ...args: unknown[]) => { for (const h of handlers.get(event) ?? []) h(...args); };
  const local = new FakeParticipant('me', 'Me');
  const remoteParticipants = new Map<string, FakeParticipant>();
  const state = { connectedWith: null as unknown, disconnected: false };
  const toggle = (source: 'microphone' | 'camera' | 'screen_share') => async (on: boolean) => {
    const failure = options.failures?.[source];
    if (on && failure) throw failure;
    if (on) local.publish(source); else local.pubs.delete(source);
    emit(on ? 'localTrackPublished' : 'localTrackUnpublished');
  };
  const localApi = Object.assign(local, {
    setMicrophoneEnabled: toggle('microphone'),
    setCameraEnabled: toggle('camera'),
    setScreenShareEnabled: toggle('screen_share'),
  });
  const room = {
    on(event: string, fn: Handler) { handlers.set(event, [...(handlers.get(event) ?? []), fn]); return room; },
    async connect(url: string, token: string) {
      if (options.failConnect) throw new Error('could not establish signal connection');
      state.connectedWith = [url, token];
    },
    async disconnect() { state.disconnected = true; emit('disconnected'); },
    localParticipant: localApi,
    remoteParticipants,
    canPlaybackAudio: true,
    isRecording: false,
    async startAudio() {},
  };
  const factory = (() => room) as unknown as RoomFactory;
  return {
    factory,
    get connectedWith() { return state.connectedWith; },
    get disconnected() { return state.disconnected; },
    local,
    /** The other person arrives with camera and microphone on. */
    arrive(identity: string, name: string) {
      const p = new FakeParticipant(identity, name);
      p.publish('camera');
      p.publish('microphone');
      remoteParticipants.set(`PA_${identity}`, p);
      emit('participantConnected', p);
      emit('trackSubscribed');
      return p;
    },
    mute(p: FakeParticipant, source: string) { p.pubs.get(source)!.isMuted = true; emit('trackMuted'); },
    shareScreen(p: FakeParticipant) { p.publish('screen_share'); emit('trackSubscribed'); },
    recording(on: boolean) { room.isRecording = on; emit('recordingStatusChanged', on); },
    leave(identity: string) {
      const p = remoteParticipants.get(`PA_${identity}`);
      remoteParticipants.delete(`PA_${identity}`);
      emit('participantDisconnected', p);
    },
    emit,
  };
}
