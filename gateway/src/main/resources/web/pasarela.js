// Pasarela client library: the gateway's WebSocket protocol (docs/protocol.md) wrapped for web pages.
// An ES module with no dependencies and no build step:
//
//   <script type="module">
//     import { PasarelaClient } from '/pasarela.js';
//     const client = new PasarelaClient({ url: 'ws://127.0.0.1:8080/ws', user: 'alice', password: 'secret' });
//     await client.connect();
//     const call = client.call('echo');
//     call.addEventListener('answered', () => console.log('talking'));
//     call.addEventListener('ended', (e) => console.log(e.detail.message));
//   </script>
//
// Reference: docs/client.md. The client reconnects by itself when the WebSocket drops, logs in again and
// re-runs every "resume step" (re-registration will be one); calls do not survive a lost WebSocket (the
// gateway ends them), so they end with code 503 and `local: true`.

/** An error with a human sentence as its message, and the machine-readable parts beside it. */
export class PasarelaError extends Error {
  /**
   * @param {string} kind  'refused' (the gateway said error), 'timeout', 'closed', 'unreachable',
   *                       'microphone-denied', 'no-microphone', 'media', 'state'
   * @param {string} message  a sentence for people
   * @param {{code?: number, reason?: string, cause?: unknown}} [details]
   */
  constructor(kind, message, { code = 0, reason = '', cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PasarelaError';
    this.kind = kind;
    this.code = code;
    this.reason = reason;
  }
}

const SIP_SENTENCES = {
  400: 'The gateway did not accept the request',
  401: 'The user name or password is not right',
  403: 'You are not allowed to call that destination',
  404: 'That number or address does not exist',
  408: 'Nobody answered in time',
  409: 'That cannot be done in the call\'s current state',
  410: 'That number is no longer in service',
  413: 'The request was too large for the gateway',
  415: 'The other side does not support this kind of call',
  429: 'Too many calls at the same time; hang up one first',
  480: 'The person you are calling is not available right now',
  484: 'The number is incomplete',
  486: 'The line is busy',
  487: 'The call was cancelled',
  488: 'The other side cannot handle this call\'s audio',
  500: 'The gateway had an internal problem',
  501: 'The gateway cannot do that yet',
  502: 'The network on the other side failed',
  503: 'The other side cannot be reached right now',
  504: 'The other side did not answer in time',
  600: 'The line is busy everywhere',
  603: 'The call was declined',
  604: 'That number does not exist anywhere',
};

/**
 * A sentence for people about a gateway code and reason: `{code: 486, reason: 'Busy Here'}` ->
 * "The line is busy (SIP 486 Busy Here)." Call ends with 200 say who hung up.
 */
export function describeOutcome(code, reason = '') {
  if (code === 200) {
    return /remote/i.test(reason) ? 'The other side hung up.' : 'Call ended.';
  }
  let sentence = SIP_SENTENCES[code];
  if (!sentence) {
    if (code >= 300 && code < 400) sentence = 'The call was redirected elsewhere, which is not followed';
    else if (code >= 400 && code < 500) sentence = 'The call was refused';
    else if (code >= 500 && code < 600) sentence = 'The other side had a problem';
    else if (code >= 600) sentence = 'The call was refused everywhere';
    else sentence = 'The call failed';
  }
  return `${sentence}${code ? ` (${code >= 300 ? 'SIP ' : ''}${code}${reason ? ` ${reason}` : ''})` : ''}.`;
}

/** The quality numbers of one call from one getStats() report, and the delta against the previous sample. */
export function qualityFromStats(report, previous = null) {
  const q = { at: 0, packetsReceived: 0, packetsLost: 0, lossPercent: 0, jitterMs: null, rttMs: null, audioLevel: null, micLevel: null, bytesSent: 0, bytesReceived: 0 };
  for (const s of report.values()) {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      q.at = s.timestamp;
      q.packetsReceived = s.packetsReceived || 0;
      q.packetsLost = Math.max(0, s.packetsLost || 0);
      q.bytesReceived = s.bytesReceived || 0;
      if (typeof s.jitter === 'number') q.jitterMs = s.jitter * 1000;
      if (typeof s.audioLevel === 'number') q.audioLevel = s.audioLevel;
    } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
      q.bytesSent = s.bytesSent || 0;
      q.at = q.at || s.timestamp;
    } else if (s.type === 'remote-inbound-rtp' && typeof s.roundTripTime === 'number') {
      q.rttMs = s.roundTripTime * 1000;
    } else if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number' && q.rttMs === null) {
      q.rttMs = s.currentRoundTripTime * 1000;
    } else if (s.type === 'media-source' && s.kind === 'audio' && typeof s.audioLevel === 'number') {
      q.micLevel = s.audioLevel;
    }
  }
  if (previous) {
    const received = q.packetsReceived - previous.packetsReceived;
    const lost = q.packetsLost - previous.packetsLost;
    q.lossPercent = received + lost > 0 ? Math.max(0, (100 * lost) / (received + lost)) : 0;
  } else if (q.packetsReceived + q.packetsLost > 0) {
    q.lossPercent = (100 * q.packetsLost) / (q.packetsReceived + q.packetsLost);
  }
  return q;
}

/** Call states, in the order a call goes through them (docs/protocol.md §6). */
export const CALL_STATES = Object.freeze(['new', 'calling', 'ringing', 'progress', 'answered', 'ended']);

/** Client states. */
export const CLIENT_STATES = Object.freeze(['idle', 'connecting', 'ready', 'reconnecting', 'closed']);

const DEFAULTS = {
  requestTimeoutMs: 10000,
  connectTimeoutMs: 10000,
  reconnect: true,
  reconnectMinDelayMs: 500,
  reconnectMaxDelayMs: 15000,
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
};

/**
 * One WebSocket session with the gateway: login, requests with timeouts, calls, reconnection.
 *
 * Events (CustomEvent, payload in `detail`):
 *  - `state`        {state, previous}: idle -> connecting -> ready; reconnecting -> ready; closed
 *  - `ready`        {profiles, defaultProfile, reconnected}: logged in (again, after a reconnect)
 *  - `disconnected` {code, reason, willReconnect}: the WebSocket closed
 *  - `call`         {call}: a call was created by call()
 *  - `message`      {message}: every message the gateway sent, parsed, before it is handled
 *  - `error`        {error: PasarelaError}: a failure not tied to a request (e.g. re-login refused)
 * Coming with the gateway features being built: `incoming` (a call to this user), `registered`/`unregistered`,
 * `history`. Messages of types this version does not know still arrive as `message` events.
 */
export class PasarelaClient extends EventTarget {
  /**
   * @param {object} options
   * @param {string} options.url                  ws:// or wss:// URL of the gateway's /ws
   * @param {string} options.user
   * @param {string} options.password
   * @param {number} [options.requestTimeoutMs=10000]
   * @param {number} [options.connectTimeoutMs=10000]
   * @param {boolean} [options.reconnect=true]
   * @param {number} [options.reconnectMinDelayMs=500]
   * @param {number} [options.reconnectMaxDelayMs=15000]
   * @param {MediaTrackConstraints} [options.audio]  getUserMedia audio constraints for calls
   * @param {RTCConfiguration} [options.rtcConfiguration]  for every call's RTCPeerConnection; its iceServers, when
   *                                      given, win over the TURN servers the gateway hands out at login
   * @param {object} [options.platform]  {WebSocket, RTCPeerConnection, getUserMedia, setTimeout, clearTimeout,
   *                                      random}: for tests and non-browser hosts; defaults to the globals
   */
  constructor(options) {
    super();
    if (!options || typeof options.url !== 'string' || !/^wss?:\/\//.test(options.url)) {
      throw new TypeError(`PasarelaClient: url must be a ws:// or wss:// URL, got ${options && JSON.stringify(options.url)}`);
    }
    this.options = { ...DEFAULTS, ...options };
    const p = options.platform || {};
    this.platform = {
      WebSocket: p.WebSocket || globalThis.WebSocket,
      RTCPeerConnection: p.RTCPeerConnection || globalThis.RTCPeerConnection,
      getUserMedia: p.getUserMedia || ((c) => globalThis.navigator.mediaDevices.getUserMedia(c)),
      setTimeout: p.setTimeout || globalThis.setTimeout.bind(globalThis),
      clearTimeout: p.clearTimeout || globalThis.clearTimeout.bind(globalThis),
      random: p.random || Math.random,
    };
    this.state = 'idle';
    this.profiles = [];
    this.defaultProfile = null;
    /** @type {RTCIceServer[]|null} TURN servers with short-lived credentials from the last login ack, if any */
    this.iceServers = null;
    /** @type {Map<string, Call>} live calls by gateway call id */
    this.calls = new Map();
    this._ws = null;
    this._nextId = 1;
    this._pending = new Map();
    this._attempt = 0;
    this._reconnectTimer = null;
    this._loggedInOnce = false;
    /** Async steps run after every (re-)login, in order: re-registration will be one. */
    this._resumeSteps = [];
    this._handlers = {
      ack: (m) => this._settle(m.id, (p) => p.resolve(m)),
      pong: (m) => this._settle(m.id, (p) => p.resolve(m)),
      error: (m) => this._onError(m),
      ringing: (m) => this._toCall(m),
      progress: (m) => this._toCall(m),
      answered: (m) => this._toCall(m),
      candidate: (m) => this._toCall(m),
      hangup: (m) => this._toCall(m),
    };
  }

  /**
   * Opens the WebSocket and logs in. Resolves {profiles, defaultProfile}; rejects with a PasarelaError
   * ('unreachable', 'refused' with code 401, 'timeout'). After a failed first connect nothing is retried.
   */
  async connect() {
    if (this.state === 'ready') return { profiles: this.profiles, defaultProfile: this.defaultProfile };
    if (this.state === 'connecting' && this._connecting) return this._connecting;
    this._closing = false;
    this._closedByUser = false;
    this._connecting = this._open(false)
      .catch((e) => { this._setState('closed'); throw e; })
      .finally(() => { this._connecting = null; });
    return this._connecting;
  }

  /** Closes the session for good: calls end (the gateway sends BYE/CANCEL), no reconnection. */
  close() {
    this._closing = true;
    this._closedByUser = true;
    if (this._reconnectTimer) this.platform.clearTimeout(this._reconnectTimer);
    this._reconnectTimer = null;
    const ws = this._ws;
    this._ws = null;
    if (ws) {
      detach(ws);
      try { ws.close(1000, 'client closed'); } catch { /* already closing */ }
    }
    this._lost('closed by the client', 'The session with the gateway was closed, so the call ended.');
    this._setState('closed');
  }

  /**
   * Sends one request and resolves its `ack` (or `pong`); rejects with a PasarelaError: 'refused' carrying the
   * gateway's code and reason, 'timeout', or 'closed' when the WebSocket went away first.
   */
  request(message, { timeoutMs = this.options.requestTimeoutMs } = {}) {
    const ws = this._ws;
    if (!ws || ws.readyState !== 1) {
      return Promise.reject(new PasarelaError('closed', 'Not connected to the gateway.'));
    }
    const id = String(this._nextId++);
    const text = JSON.stringify({ type: message.type, id, ...withoutType(message) });
    return new Promise((resolve, reject) => {
      const timer = this.platform.setTimeout(() => {
        this._pending.delete(id);
        reject(new PasarelaError('timeout', `The gateway did not answer "${message.type}" within ${Math.round(timeoutMs / 1000)} s.`));
      }, timeoutMs);
      this._pending.set(id, { type: message.type, resolve, reject, timer });
      ws.send(text);
    });
  }

  /** Sends a message that expects no reply (no id). */
  send(message) {
    if (!this._ws || this._ws.readyState !== 1) return false;
    this._ws.send(JSON.stringify(message));
    return true;
  }

  /** `ping` -> `pong`: round trip through the gateway, in ms. */
  async ping() {
    const t0 = Date.now();
    await this.request({ type: 'ping' });
    return Date.now() - t0;
  }

  /**
   * Places a call and returns its Call at once; follow it with events. Options: profile (default: the
   * gateway's), trickle (default true: the offer goes at once and candidates follow), stream (a MediaStream
   * to send instead of opening the microphone; it is not stopped at the end), audio (constraints).
   */
  call(to, options = {}) {
    if (typeof to !== 'string' || !to.trim()) throw new TypeError('call: the destination must be a non-empty string');
    const call = new Call(this, to.trim(), options);
    this._emit('call', { call });
    call._start();
    return call;
  }

  /**
   * The configuration for a new call's RTCPeerConnection: `options.rtcConfiguration`, with the TURN servers of the
   * last login ack (fresh credentials at every login and reconnect) unless it names iceServers itself.
   */
  rtcConfiguration() {
    const config = { ...(this.options.rtcConfiguration || {}) };
    if (!config.iceServers && this.iceServers) config.iceServers = this.iceServers;
    return config;
  }

  /** Adds an async step run after every login (also after a reconnect); the registration will use it. */
  addResumeStep(step) {
    this._resumeSteps.push(step);
    return () => { this._resumeSteps = this._resumeSteps.filter((s) => s !== step); };
  }

  // ---- internals ---------------------------------------------------------------------------------------

  async _open(reconnecting) {
    this._setState(reconnecting ? 'reconnecting' : 'connecting');
    const ws = await this._openSocket();
    let ack;
    try {
      ack = await this.request({ type: 'login', user: this.options.user, password: this.options.password });
    } catch (e) {
      if (e.kind === 'refused') {
        // Refused credentials will not get better by retrying.
        this._closing = true;
        detach(ws);
        try { ws.close(1000, 'login refused'); } catch { /* closing */ }
        this._ws = null;
        this._setState('closed');
        throw new PasarelaError('refused', e.code === 401 ? 'The gateway refused the login: wrong user name or password.'
          : `The gateway refused the login: ${e.reason}.`, { code: e.code, reason: e.reason });
      }
      // No answer to the login (or the socket closed meanwhile): drop this socket; a reconnect opens a new one.
      detach(ws);
      try { ws.close(); } catch { /* closing */ }
      if (this._ws === ws) this._ws = null;
      throw e;
    }
    this.profiles = Array.isArray(ack.profiles) ? ack.profiles : [];
    this.defaultProfile = typeof ack.defaultProfile === 'string' ? ack.defaultProfile : null;
    this.iceServers = Array.isArray(ack.iceServers) ? ack.iceServers : null;
    for (const step of this._resumeSteps) await step(this);
    this._attempt = 0;
    const reconnected = this._loggedInOnce;
    this._loggedInOnce = true;
    this._setState('ready');
    this._emit('ready', { profiles: this.profiles, defaultProfile: this.defaultProfile, reconnected });
    return { profiles: this.profiles, defaultProfile: this.defaultProfile };
  }

  _openSocket() {
    return new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new this.platform.WebSocket(this.options.url);
      } catch (e) {
        reject(new PasarelaError('unreachable', `The gateway address ${this.options.url} is not valid.`, { cause: e }));
        return;
      }
      this._ws = ws;
      let opened = false;
      const timer = this.platform.setTimeout(() => {
        if (opened) return;
        detach(ws);
        try { ws.close(); } catch { /* never opened */ }
        if (this._ws === ws) this._ws = null;
        reject(new PasarelaError('unreachable', `The gateway at ${this.options.url} did not answer within ${Math.round(this.options.connectTimeoutMs / 1000)} s.`));
      }, this.options.connectTimeoutMs);
      ws.onopen = () => {
        opened = true;
        this.platform.clearTimeout(timer);
        resolve(ws);
      };
      ws.onmessage = (e) => this._onMessage(e.data);
      ws.onerror = () => { /* the close event follows and says more */ };
      ws.onclose = (e) => {
        this.platform.clearTimeout(timer);
        if (this._ws === ws) this._ws = null;
        if (!opened) {
          reject(new PasarelaError('unreachable', `Cannot reach the gateway at ${this.options.url}. Is it running, and is the address right?`));
          return;
        }
        this._onClose(e.code, e.reason);
      };
    });
  }

  _onClose(code, reason) {
    const willReconnect = !this._closing && this.options.reconnect && this._loggedInOnce;
    this._lost('connection to the gateway lost');
    this._emit('disconnected', { code, reason, willReconnect });
    if (willReconnect) this._scheduleReconnect();
    else this._setState('closed');
  }

  /** The WebSocket is gone: pending requests fail, calls end (the gateway has ended them). */
  _lost(why, sentence = 'The connection to the gateway was lost, so the call ended.') {
    for (const [id, p] of this._pending) {
      this.platform.clearTimeout(p.timer);
      p.reject(new PasarelaError('closed', `The connection to the gateway closed before it answered "${p.type}".`));
      this._pending.delete(id);
    }
    const error = new PasarelaError('closed', sentence, { code: 503, reason: why });
    for (const call of [...this._unacked || [], ...this.calls.values()]) call._end(503, why, true, error);
  }

  _scheduleReconnect() {
    if (this._reconnectTimer) return;
    this._setState('reconnecting');
    const base = Math.min(this.options.reconnectMaxDelayMs, this.options.reconnectMinDelayMs * 2 ** this._attempt);
    const delay = Math.round(base * (0.75 + 0.5 * this.platform.random()));
    this._attempt++;
    this._reconnectTimer = this.platform.setTimeout(() => {
      this._reconnectTimer = null;
      this._open(true).catch((e) => {
        if (this._closing && this.state !== 'closed') return;
        if (this.state === 'closed') {
          if (!this._closedByUser) this._emit('error', { error: e });
          return;
        }
        // Still unreachable (or the login timed out): try again later.
        if (this._ws) { detach(this._ws); try { this._ws.close(); } catch { /* */ } this._ws = null; }
        this._scheduleReconnect();
      });
    }, delay);
  }

  _onMessage(data) {
    let m;
    try {
      m = JSON.parse(data);
    } catch {
      return; // the gateway writes JSON; anything else is ignored
    }
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
    this._emit('message', { message: m });
    const handler = this._handlers[m.type];
    if (handler) handler(m);
  }

  _onError(m) {
    if (m.id !== undefined && this._pending.has(m.id)) {
      this._settle(m.id, (p) => p.reject(new PasarelaError('refused', describeOutcome(m.code, m.reason), { code: m.code, reason: m.reason })));
    } else {
      this._emit('error', { error: new PasarelaError('refused', describeOutcome(m.code, m.reason), { code: m.code, reason: m.reason }) });
    }
  }

  _settle(id, fn) {
    const p = this._pending.get(id);
    if (!p) return;
    this._pending.delete(id);
    this.platform.clearTimeout(p.timer);
    fn(p);
  }

  _toCall(m) {
    const call = this.calls.get(m.call);
    if (call) call._onGateway(m);
  }

  _setState(state) {
    if (state === this.state) return;
    const previous = this.state;
    this.state = state;
    this._emit('state', { state, previous });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/**
 * One call placed through the gateway: its RTCPeerConnection, the trickle of candidates, the answer, DTMF,
 * mute, microphone switching and quality sampling.
 *
 * Events (CustomEvent, payload in `detail`):
 *  - `state`     {state, previous}: new -> calling -> ringing/progress -> answered -> ended
 *  - `calling`   {id}: the gateway accepted the call and assigned `id`
 *  - `ringing`, `progress` {earlyMedia}, `answered`
 *  - `track`     {stream}: the remote audio (play it in an <audio autoplay>)
 *  - `ended`     {code, reason, message, local, error?}: exactly once; `message` is a human sentence
 * Coming with the gateway features being built: `held`/`resumed` (hold), `transferred`, and for incoming
 * calls `accept()`/`reject()` (direction 'incoming').
 */
export class Call extends EventTarget {
  constructor(client, to, options) {
    super();
    this.client = client;
    this.to = to;
    this.profile = options.profile || null;
    this.direction = 'outgoing';
    this.id = null;
    this.state = 'new';
    this.startedAt = Date.now();
    this.answeredAt = null;
    this.endedAt = null;
    this.muted = false;
    this.pc = null;
    this.localStream = null;
    this.remoteStream = null;
    this.outcome = null;
    this._options = options;
    this._ownStream = !options.stream;
    this._queuedCandidates = [];
    this._remoteCandidates = [];
    this._remoteChain = Promise.resolve();
    this._hangupRequested = false;
    this._lastQuality = null;
    this.ended = new Promise((resolve) => { this._resolveEnded = resolve; });
  }

  /** Ends the call: CANCEL before the answer, BYE after it. Resolves when the call has ended. */
  async hangup() {
    if (this.state === 'ended') return this.outcome;
    this._hangupRequested = true;
    if (this.id) {
      try {
        await this.client.request({ type: 'hangup', call: this.id });
      } catch (e) {
        // 404: the gateway's own hangup crossed ours (protocol §6); it is on its way or already here.
        if (e.kind !== 'refused' || e.code !== 404) this._end(e.code || 500, e.reason || e.message, true, e);
      }
    } else if (!this._placing) {
      this._end(487, 'cancelled by client', true);
    }
    return this.ended;
  }

  /** Sends DTMF ('0-9 A-D * # ,'), as RFC 4733 events or SIP INFO per the profile. Resolves the ack. */
  sendDtmf(digits, { durationMs } = {}) {
    if (!this.id || this.state === 'ended') {
      return Promise.reject(new PasarelaError('state', 'There is no call to send tones to.'));
    }
    const m = { type: 'dtmf', call: this.id, digits: String(digits) };
    if (durationMs !== undefined) m.durationMs = durationMs;
    return this.client.request(m);
  }

  /** Mutes or unmutes the microphone (the track keeps running, so unmuting is instant). */
  setMuted(muted) {
    this.muted = !!muted;
    if (this.localStream) for (const t of this.localStream.getAudioTracks()) t.enabled = !this.muted;
    return this.muted;
  }

  /** Switches to another microphone mid-call (replaceTrack: no renegotiation). */
  async setMicrophone(deviceId) {
    const stream = await openMicrophone(this.client, { ...this.client.options.audio, ...(this._options.audio || {}), deviceId: { exact: deviceId } });
    const track = stream.getAudioTracks()[0];
    track.enabled = !this.muted;
    const sender = this.pc && this.pc.getSenders().find((s) => s.track && s.track.kind === 'audio');
    if (sender) await sender.replaceTrack(track);
    if (this._ownStream && this.localStream) for (const t of this.localStream.getTracks()) t.stop();
    this.localStream = stream;
    this._ownStream = true;
  }

  /** One quality sample (qualityFromStats), with loss computed since the previous sample. */
  async quality() {
    if (!this.pc || this.pc.signalingState === 'closed') return this._lastQuality;
    const q = qualityFromStats(await this.pc.getStats(), this._lastQuality);
    this._lastQuality = q;
    return q;
  }

  /** How long the call has been answered, in ms (0 before the answer). */
  get talkingMs() {
    if (!this.answeredAt) return 0;
    return (this.endedAt || Date.now()) - this.answeredAt;
  }

  async _start() {
    const client = this.client;
    this._placing = true;
    await null; // let the caller attach its listeners before the first event
    try {
      if (client.state !== 'ready') throw new PasarelaError('closed', 'Not connected to the gateway.');
      this.localStream = this._options.stream
        || await openMicrophone(client, { ...client.options.audio, ...(this._options.audio || {}) });
      if (this.state === 'ended') return this._release();
      this.localStream.getAudioTracks().forEach((t) => { t.enabled = !this.muted; });
      const pc = new client.platform.RTCPeerConnection(client.rtcConfiguration());
      this.pc = pc;
      for (const track of this.localStream.getAudioTracks()) pc.addTrack(track, this.localStream);
      pc.ontrack = (e) => {
        this.remoteStream = e.streams && e.streams[0] ? e.streams[0] : new MediaStream([e.track]);
        this._emit('track', { stream: this.remoteStream });
      };
      pc.onicecandidate = (e) => this._localCandidate(e.candidate ? (e.candidate.toJSON ? e.candidate.toJSON() : e.candidate) : null);
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === 'failed' && this.state !== 'ended') {
          this.hangup();
        }
      };
      await pc.setLocalDescription(await pc.createOffer());
      if (this._options.trickle === false) await waitForGathering(pc);
      if (this.state === 'ended') return this._release();
      if (this._hangupRequested) {
        this._placing = false;
        return this._end(487, 'cancelled by client', true);
      }
      this._setState('calling');
      const request = { type: 'call', to: this.to, jsep: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } };
      if (this.profile) request.profile = this.profile;
      (client._unacked ||= new Set()).add(this);
      let ack;
      try {
        ack = await client.request(request);
      } finally {
        client._unacked.delete(this);
      }
      if (this.state === 'ended') return;
      this.id = ack.call;
      client.calls.set(this.id, this);
      this._placing = false;
      this._emit('calling', { id: this.id });
      for (const c of this._queuedCandidates) client.send({ type: 'candidate', call: this.id, candidate: c });
      this._queuedCandidates = [];
      if (this._hangupRequested) this.hangup();
    } catch (e) {
      this._placing = false;
      const error = e instanceof PasarelaError ? e : mediaError(e);
      this._end(error.code || 0, error.reason || error.message, true, error);
    }
  }

  _localCandidate(candidate) {
    if (this.state === 'ended' || this._options.trickle === false) return;
    if (!this.id) this._queuedCandidates.push(candidate);
    else this.client.send({ type: 'candidate', call: this.id, candidate });
  }

  _onGateway(m) {
    switch (m.type) {
      case 'ringing':
        if (this.state !== 'answered') this._setState('ringing');
        this._emit('ringing', {});
        break;
      case 'progress':
        if (this.state !== 'answered') this._setState('progress');
        if (m.jsep) this._remote(m.jsep);
        this._emit('progress', { earlyMedia: !!m.jsep });
        break;
      case 'answered':
        this._remote(m.jsep);
        this.answeredAt = Date.now();
        this._setState('answered');
        this._emit('answered', {});
        break;
      case 'candidate':
        this._remoteChain = this._remoteChain.then(() => this.pc && this.pc.signalingState !== 'closed'
          && this.pc.addIceCandidate(m.candidate || undefined)).catch(() => { /* a stale candidate is harmless */ });
        break;
      case 'hangup':
        this._end(m.code, m.reason, false);
        break;
      default:
    }
  }

  _remote(jsep) {
    this._remoteChain = this._remoteChain.then(() => this.pc && this.pc.signalingState !== 'closed' && this.pc.setRemoteDescription(jsep))
      .catch((e) => {
        if (this.state !== 'ended') {
          const error = new PasarelaError('media', `The browser could not use the gateway's ${jsep.type}: ${e.message}`, { cause: e });
          this.client.request({ type: 'hangup', call: this.id }).catch(() => {});
          this._end(488, error.message, true, error);
        }
      });
  }

  _end(code, reason, local, error) {
    if (this.state === 'ended') return;
    if (this.id) this.client.calls.delete(this.id);
    this.endedAt = Date.now();
    this._release();
    const message = error && error.kind !== 'refused' ? error.message : describeOutcome(code, reason);
    this.outcome = { code, reason, message, local, error };
    this._setState('ended');
    this._emit('ended', this.outcome);
    this._resolveEnded(this.outcome);
  }

  _release() {
    if (this.pc) { try { this.pc.close(); } catch { /* closed */ } }
    if (this._ownStream && this.localStream) for (const t of this.localStream.getTracks()) t.stop();
  }

  _setState(state) {
    if (state === this.state) return;
    const previous = this.state;
    this.state = state;
    this._emit('state', { state, previous });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

async function openMicrophone(client, audio) {
  try {
    return await client.platform.getUserMedia({ audio, video: false });
  } catch (e) {
    throw mediaError(e);
  }
}

function mediaError(e) {
  if (e instanceof PasarelaError) return e;
  const name = e && e.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return new PasarelaError('microphone-denied', 'The browser was not allowed to use the microphone. Allow it in the site settings and try again.', { cause: e });
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return new PasarelaError('no-microphone', 'No microphone was found. Connect one and try again.', { cause: e });
  }
  if (name === 'NotReadableError') {
    return new PasarelaError('no-microphone', 'The microphone is in use by another program or could not be started.', { cause: e });
  }
  return new PasarelaError('media', `The browser could not set up the call's audio: ${(e && e.message) || e}`, { cause: e });
}

function waitForGathering(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => { if (pc.iceGatheringState === 'complete') { pc.removeEventListener('icegatheringstatechange', check); resolve(); } };
    pc.addEventListener('icegatheringstatechange', check);
  });
}

function withoutType(message) {
  const { type, id, ...rest } = message;
  return rest;
}

function detach(ws) {
  ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
}
