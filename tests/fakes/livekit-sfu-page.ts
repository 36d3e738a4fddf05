// The media half of the LiveKit stand-in: a small forwarding unit that runs in a Chromium page
// (Node has no WebRTC stack), driven over a WebSocket by the signalling half (livekit-signal.ts).
// Each participant has one RTCPeerConnection here, answering the offers livekit-client makes
// (its single-peer-connection mode: the client always offers). Tracks a participant publishes
// arrive here and are forwarded on free receive sections of the other participant's connection,
// labelled the way LiveKit's SFU labels them (msid `PA_…|TR_…`, midToTrackId), so the client
// files each under the right remote participant and publication.
export const SFU_PAGE_SCRIPT = String.raw`
const control = new WebSocket(location.href.replace(/^http/, 'ws').replace(/\/sfu.*$/, '/sfu-control'));
const peers = new Map();
const published = new Map(); // trackSid -> MediaStreamTrack arriving from its publisher
const recorders = new Map(); // egressId -> MediaRecorder of the room
const send = (msg) => control.send(JSON.stringify(msg));

function sections(sdp) {
  const parts = sdp.split(/\r\n(?=m=)/);
  return parts.slice(1).map((text) => {
    const mid = /a=mid:(\S+)/.exec(text)?.[1];
    const kind = /^m=(\w+)/.exec(text)?.[1];
    const direction = /a=(sendrecv|sendonly|recvonly|inactive)/.exec(text)?.[1] ?? 'sendrecv';
    const msidTrack = /a=msid:\S+ (\S+)/.exec(text)?.[1];
    const port = /^m=\w+ (\d+)/.exec(text)?.[1];
    return { mid, kind, direction, msidTrack, closed: port === '0' };
  });
}

function peer(id) {
  let p = peers.get(id);
  if (p) return p;
  const pc = new RTCPeerConnection({ iceServers: [] });
  p = { pc, chain: Promise.resolve(), receiving: new Map(), sending: new Map(), pendingIce: [] };
  pc.onicecandidate = (ev) => { if (ev.candidate) send({ op: 'ice', peer: id, candidate: ev.candidate.toJSON() }); };
  pc.ontrack = (ev) => {
    const mid = ev.transceiver.mid;
    const cid = p.receiving.get(mid);
    if (cid) send({ op: 'published', peer: id, cid, mid, kind: ev.track.kind, trackId: ev.track.id });
    p.tracksByMid = p.tracksByMid || new Map();
    p.tracksByMid.set(mid, ev.track);
  };
  pc.ondatachannel = () => {};
  peers.set(id, p);
  return p;
}

async function answer(msg) {
  const p = peer(msg.peer);
  const { pc } = p;
  const offered = sections(msg.sdp);
  // What the participant publishes: sections it sends on, named by the client's track id (known
  // before the description is applied, which is when ontrack fires).
  const before = new Map(p.receiving);
  p.receiving.clear();
  for (const s of offered) if (!s.closed && (s.direction === 'sendonly' || s.direction === 'sendrecv') && s.msidTrack) p.receiving.set(s.mid, s.msidTrack);
  await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
  for (const ice of p.pendingIce.splice(0)) await pc.addIceCandidate(ice).catch(() => {});
  for (const [mid, cid] of before) if (!p.receiving.has(mid)) send({ op: 'unpublished', peer: msg.peer, cid, mid });
  for (const [mid, cid] of p.receiving) if (before.get(mid) !== cid && p.tracksByMid?.get(mid)) send({ op: 'published', peer: msg.peer, cid, mid, kind: p.tracksByMid.get(mid).kind });
  // What it should receive: each assigned track on a free receive section of its kind.
  const wanted = new Map(msg.assign.map((a) => [a.trackSid, a]));
  for (const [mid, sid] of [...p.sending]) {
    if (wanted.has(sid) && published.has(sid)) continue;
    const t = pc.getTransceivers().find((x) => x.mid === mid);
    if (t) { await t.sender.replaceTrack(null); t.direction = 'inactive'; }
    p.sending.delete(mid);
  }
  const used = new Set([...p.sending.keys(), ...p.receiving.keys()]);
  for (const a of wanted.values()) {
    if ([...p.sending.values()].includes(a.trackSid)) continue;
    const track = published.get(a.trackSid);
    if (!track) continue;
    const s = offered.find((x) => !x.closed && x.kind === a.kind && !used.has(x.mid) && (x.direction === 'recvonly' || x.direction === 'sendrecv'));
    if (!s) continue;
    const t = pc.getTransceivers().find((x) => x.mid === s.mid);
    if (!t) continue;
    t.direction = 'sendonly';
    await t.sender.replaceTrack(track);
    p.sending.set(s.mid, a.trackSid);
    p.labels = p.labels || new Map();
    p.labels.set(s.mid, a.participantSid + '|' + a.trackSid);
    used.add(s.mid);
  }
  const local = await pc.createAnswer();
  await pc.setLocalDescription(local);
  // Label what is sent the way LiveKit does: stream id "PA_…|TR_…", track id "TR_…".
  const labelled = local.sdp.split(/\r\n(?=m=)/).map((text) => {
    const mid = /a=mid:(\S+)/.exec(text)?.[1];
    const sid = p.sending.get(mid);
    if (!sid) return text;
    const label = p.labels.get(mid);
    return text.replace(/a=msid:\S+ \S+/, 'a=msid:' + label + ' ' + sid).replace(/msid:\S+ \S+/g, 'msid:' + label + ' ' + sid);
  }).join('\r\n');
  const midToTrackId = Object.fromEntries(p.sending);
  send({ op: 'answer', peer: msg.peer, id: msg.id, sdp: labelled, midToTrackId });
}

control.onmessage = (ev) => {
  const msg = JSON.parse(ev.data);
  if (msg.op === 'offer') {
    const p = peer(msg.peer);
    p.chain = p.chain.then(() => answer(msg)).catch((err) => send({ op: 'error', peer: msg.peer, message: String(err) }));
  } else if (msg.op === 'ice') {
    const p = peer(msg.peer);
    p.chain = p.chain.then(async () => {
      if (!p.pc.remoteDescription) p.pendingIce.push(msg.candidate);
      else await p.pc.addIceCandidate(msg.candidate).catch(() => {});
    });
  } else if (msg.op === 'close') {
    peers.get(msg.peer)?.pc.close();
    peers.delete(msg.peer);
  } else if (msg.op === 'track') {
    // The signalling half confirmed which published track this is: keep it for forwarding.
    const track = peers.get(msg.peer)?.tracksByMid?.get(msg.mid);
    if (track) published.set(msg.trackSid, track);
  } else if (msg.op === 'untrack') {
    published.delete(msg.trackSid);
  } else if (msg.op === 'record') {
    // Room-composite egress, small: the first video and the first audio published, as one file.
    const tracks = msg.tracks.map((sid) => published.get(sid)).filter(Boolean);
    const pick = [tracks.find((t) => t.kind === 'video'), tracks.find((t) => t.kind === 'audio')].filter(Boolean);
    // Remote tracks are decoded only while something plays them: a muted element does.
    const sink = document.createElement('video');
    sink.muted = true;
    sink.autoplay = true;
    sink.srcObject = new MediaStream(pick);
    document.body.append(sink);
    void sink.play().catch(() => {});
    const type = MediaRecorder.isTypeSupported('video/webm;codecs=vp8,opus') ? 'video/webm;codecs=vp8,opus' : 'video/webm';
    const recorder = new MediaRecorder(new MediaStream(pick), { mimeType: type });
    const chunks = [];
    recorder.ondataavailable = (ev) => { if (ev.data.size) chunks.push(ev.data); };
    recorder.start(250);
    recorders.set(msg.egressId, { recorder, chunks, type, sink });
  } else if (msg.op === 'stop-record') {
    const r = recorders.get(msg.egressId);
    recorders.delete(msg.egressId);
    if (!r) { send({ op: 'recorded', egressId: msg.egressId, data: null }); return; }
    r.recorder.onstop = async () => {
      const buf = new Uint8Array(await new Blob(r.chunks, { type: r.type }).arrayBuffer());
      let bin = '';
      for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
      send({ op: 'recorded', egressId: msg.egressId, data: btoa(bin), type: r.type });
    };
    r.recorder.stop();
    r.sink.remove();
  }
};
control.onopen = () => { document.title = 'sfu ready'; send({ op: 'hello' }); };
`;
