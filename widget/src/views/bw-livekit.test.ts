import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './bw-livekit.ts';
import type { BwLiveKit } from './bw-livekit.component.ts';
import { deviceProblem } from './bw-livekit.component.ts';
import { expectAccessible } from '../test-helpers.ts';
import { fakeRoom } from './bw-livekit.test-helpers.ts';

const named = (name: string) => Object.assign(new Error(name), { name });

async function mount(room: ReturnType<typeof fakeRoom>, locale = 'en') {
  const el = await fixture<BwLiveKit>(html`<bw-livekit url="wss://lk.example" token="tok" locale=${locale} partner="Dr. Anna Weber" .roomFactory=${room.factory}></bw-livekit>`);
  await waitUntil(() => room.local.isCameraEnabled || el.shadowRoot!.querySelector('[role=alert]'), 'camera or a problem');
  await el.updateComplete;
  return el;
}

const q = (el: BwLiveKit, s: string) => el.shadowRoot!.querySelector<HTMLElement>(s);
const button = (el: BwLiveKit, text: string) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.controls button')].find((b) => b.textContent!.includes(text))!;

describe('bw-livekit', () => {
  it('connects, turns camera and microphone on, and waits for the other person', async () => {
    const room = fakeRoom();
    const el = await mount(room);
    expect(room.connectedWith).to.deep.equal(['wss://lk.example', 'tok']);
    expect(q(el, 'figure.local video')).to.exist;
    expect((q(el, 'figure.local video') as HTMLVideoElement).srcObject).to.be.instanceOf(MediaStream);
    expect(q(el, 'figure.waiting')!.textContent).to.contain('Waiting for Dr. Anna Weber');
    expect(button(el, 'Microphone off').getAttribute('aria-pressed')).to.equal('false');
    await expectAccessible(el);
  });

  it('shows the other person\'s tile, their muted microphone, and a shared screen wide', async () => {
    const room = fakeRoom();
    const el = await mount(room);
    const anna = room.arrive('specialist-1', 'Dr. Anna Weber');
    await el.updateComplete;
    expect(q(el, 'figure.remote figcaption')!.textContent).to.contain('Dr. Anna Weber');
    expect((q(el, 'figure.remote video') as HTMLVideoElement).srcObject).to.be.instanceOf(MediaStream);
    expect(q(el, '[role=status]')!.textContent).to.contain('Dr. Anna Weber joined');
    expect(q(el, 'audio')).to.exist;
    room.mute(anna, 'microphone');
    await el.updateComplete;
    expect(q(el, 'figure.remote figcaption')!.textContent).to.contain('microphone off');
    room.shareScreen(anna);
    await el.updateComplete;
    expect(q(el, 'figure.screen figcaption')!.textContent).to.contain('Screen of Dr. Anna Weber');
    await expectAccessible(el);
    room.recording(true);
    await el.updateComplete;
    expect(q(el, '.recording')!.textContent).to.contain('This call is being recorded.');
    room.recording(false);
    await el.updateComplete;
    expect(q(el, '.recording')).to.equal(null);
    room.leave('specialist-1');
    await el.updateComplete;
    expect(q(el, 'figure.waiting')).to.exist;
    expect(q(el, '[role=status]')!.textContent).to.contain('left the call');
  });

  it('toggles microphone, camera and screen share', async () => {
    const room = fakeRoom();
    const el = await mount(room);
    button(el, 'Microphone off').click();
    await waitUntil(() => !room.local.isMicrophoneEnabled);
    await el.updateComplete;
    expect(button(el, 'Microphone off').getAttribute('aria-pressed')).to.equal('true');
    button(el, 'Camera off').click();
    await waitUntil(() => !room.local.isCameraEnabled);
    await el.updateComplete;
    expect(q(el, 'figure.local video')).to.equal(null);
    expect(q(el, 'figure.local figcaption')!.textContent).to.contain('camera off');
    button(el, 'Share screen').click();
    await waitUntil(() => room.local.isScreenShareEnabled);
    await el.updateComplete;
    expect(button(el, 'Share screen').getAttribute('aria-pressed')).to.equal('true');
    expect(q(el, 'figure.screen')).to.exist;
  });

  it('explains a blocked camera in the visitor\'s language and keeps the call going', async () => {
    const room = fakeRoom({ failures: { camera: named('NotAllowedError') } });
    const el = await mount(room, 'de');
    expect(q(el, '[role=alert]')!.textContent).to.contain('Kamera oder Mikrofon blockiert');
    expect(room.local.isMicrophoneEnabled, 'the microphone still came on').to.equal(true);
    await expectAccessible(el);
  });

  it('tells the device problems apart', () => {
    expect(deviceProblem(named('NotAllowedError'))).to.deep.equal({ shared: 'permissionsDenied' });
    expect(deviceProblem(named('NotFoundError'))).to.deep.equal({ shared: 'deviceMissing' });
    expect(deviceProblem(named('NotReadableError'))).to.deep.equal({ own: 'deviceInUse' });
    expect(deviceProblem(named('NotAllowedError'), true)).to.deep.equal({ own: 'shareFailed' });
  });

  it('says so when the room cannot be reached', async () => {
    const room = fakeRoom({ failConnect: true });
    const el = await mount(room);
    expect(q(el, '[role=alert]')!.textContent).to.contain('could not reach');
  });

  it('leaves once: disconnects the room and reports it', async () => {
    const room = fakeRoom();
    const el = await mount(room);
    let count = 0;
    el.addEventListener('bw-livekit-left', () => count++);
    setTimeout(() => button(el, 'Leave').click());
    await oneEvent(el, 'bw-livekit-left');
    await new Promise((r) => setTimeout(r, 20));
    expect(room.disconnected).to.equal(true);
    expect(count).to.equal(1);
  });
});
