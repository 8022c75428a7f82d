// Scripted stand-ins for the browser APIs pasarela.js uses, so its protocol state runs under Node:
// a WebSocket the test plays the gateway on, an RTCPeerConnection that records what it was given,
// getUserMedia, and timers on a manual clock.

export class FakeTimers {
  constructor() { this.now = 0; this.timers = new Map(); this.next = 1; }
  setTimeout = (fn, ms) => { const id = this.next++; this.timers.set(id, { at: this.now + ms, fn }); return id; };
  clearTimeout = (id) => { this.timers.delete(id); };
  /** Runs every timer due within `ms`, in time order. */
  async advance(ms) {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      await settle();
    }
    this.now = until;
  }
  pending() { return this.timers.size; }
}

/** Lets queued promise callbacks run. */
export async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

export function makeWebSocketClass() {
  const sockets = [];
  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      this.closedWith = null;
      sockets.push(this);
    }
    send(text) {
      if (this.readyState !== 1) throw new Error('InvalidStateError: send on a socket that is not open');
      this.sent.push(JSON.parse(text));
    }
    close(code = 1000, reason = '') {
      if (this.readyState >= 2) return;
      this.closedWith = { code, reason };
      this.readyState = 3;
      queueMicrotask(() => this.onclose && this.onclose({ code, reason }));
    }
    // ---- the test's side (the gateway) ----
    accept() { this.readyState = 1; this.onopen && this.onopen({}); }
    refuse() { this.readyState = 3; this.onclose && this.onclose({ code: 1006, reason: '' }); }
    receive(message) { this.onmessage && this.onmessage({ data: typeof message === 'string' ? message : JSON.stringify(message) }); }
    drop(code = 1006) { this.readyState = 3; this.onclose && this.onclose({ code, reason: '' }); }
    /** The last sent message of a type. */
    last(type) { return [...this.sent].reverse().find((m) => m.type === type); }
  }
  FakeWebSocket.sockets = sockets;
  return FakeWebSocket;
}

export class FakeTrack {
  constructor(id = 'mic') { this.id = id; this.kind = 'audio'; this.enabled = true; this.stopped = false; }
  stop() { this.stopped = true; }
}

export class FakeStream {
  constructor(tracks = [new FakeTrack()]) { this.tracks = tracks; }
  getAudioTracks() { return this.tracks; }
  getTracks() { return this.tracks; }
}

export function makePeerConnectionClass() {
  const pcs = [];
  class FakePeerConnection extends EventTarget {
    constructor(config) {
      super();
      this.config = config;
      this.signalingState = 'stable';
      this.iceGatheringState = 'new';
      this.connectionState = 'new';
      this.localDescription = null;
      this.remoteDescriptions = [];
      this.candidates = [];
      this.senders = [];
      this.closed = false;
      this.stats = new Map();
      pcs.push(this);
    }
    addTrack(track) { const s = { track, replaceTrack: async (t) => { s.track = t; } }; this.senders.push(s); return s; }
    getSenders() { return this.senders; }
    async createOffer() { return { type: 'offer', sdp: `v=0\r\no=- ${pcs.length} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n` }; }
    async createAnswer() {
      if (this.signalingState !== 'have-remote-offer') throw new Error(`InvalidStateError: createAnswer in ${this.signalingState}`);
      return { type: 'answer', sdp: `v=0\r\no=- ${pcs.length} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=setup:active\r\n` };
    }
    async setLocalDescription(d) {
      this.localDescription = d;
      this.signalingState = d.type === 'answer' ? 'stable' : 'have-local-offer';
      this.iceGatheringState = 'gathering';
    }
    async setRemoteDescription(d) {
      if (this.failRemote) throw new Error(this.failRemote);
      this.remoteDescriptions.push(d);
      this.signalingState = d.type === 'offer' ? 'have-remote-offer' : d.type === 'pranswer' ? 'have-remote-pranswer' : 'stable';
    }
    async addIceCandidate(c) { this.candidates.push(c === undefined ? null : c); }
    async getStats() { return this.stats; }
    close() { this.closed = true; this.signalingState = 'closed'; }
    // ---- the test's side ----
    gather(candidate) { this.onicecandidate && this.onicecandidate({ candidate: candidate ? { toJSON: () => candidate } : null }); }
    remoteTrack() { const stream = new FakeStream([new FakeTrack('remote')]); this.ontrack && this.ontrack({ track: stream.tracks[0], streams: [stream] }); return stream; }
  }
  FakePeerConnection.instances = pcs;
  return FakePeerConnection;
}

/** A whole fake platform: { platform, WebSocket, RTCPeerConnection, timers, mic }. */
export function fakePlatform({ micError } = {}) {
  const timers = new FakeTimers();
  const WebSocket = makeWebSocketClass();
  const RTCPeerConnection = makePeerConnectionClass();
  const mic = { requests: [], streams: [], error: micError };
  const getUserMedia = async (constraints) => {
    mic.requests.push(constraints);
    if (mic.error) { const e = new Error(mic.error); e.name = mic.error; throw e; }
    const s = new FakeStream();
    mic.streams.push(s);
    return s;
  };
  return {
    platform: { WebSocket, RTCPeerConnection, getUserMedia, setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout, random: () => 0.5 },
    WebSocket, RTCPeerConnection, timers, mic,
  };
}
