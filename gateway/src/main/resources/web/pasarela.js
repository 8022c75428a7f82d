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
// Incoming calls (after client.register()):
//
//     client.addEventListener('incoming', async ({ detail: { call, from, fromName } }) => {
//       if (confirm(`Answer ${fromName || from}?`)) await call.accept(); else await call.reject();
//     });
//
// Reference: docs/client.md. The client reconnects by itself when the WebSocket drops, logs in again,
// registers again where it was registered, and re-runs every "resume step"; calls do not survive a lost
// WebSocket (the gateway ends them), so they end with code 503 and `local: true`.

/** An error with a human sentence as its message, and the machine-readable parts beside it. */
export class PasarelaError extends Error {
  /**
   * @param {string} kind  'refused' (the gateway said error), 'timeout', 'closed', 'unreachable',
   *                       'microphone-denied', 'no-microphone', 'media', 'state', 'registration' (the
   *                       registrar refused or did not answer: code and reason are its)
   * @param {string} message  a sentence for people
   * @param {{code?: number, reason?: string, retryAfter?: number, cause?: unknown}} [details]
   *        retryAfter: seconds before the same request can succeed (a saturated gateway, a login ban), 0 when
   *        nobody can tell; an app with several gateways can try another one meanwhile
   */
  constructor(kind, message, { code = 0, reason = '', retryAfter = 0, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PasarelaError';
    this.kind = kind;
    this.code = code;
    this.reason = reason;
    this.retryAfter = retryAfter;
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

/** How an incoming call ended before (or instead of) being answered here, from its `hangup` (protocol.md §6). */
const INCOMING_CAUSES = [
  { cause: 'answered-elsewhere', code: 200, match: /answered elsewhere/i, sentence: 'The call was answered on another device.' },
  { cause: 'declined-elsewhere', code: 603, match: /declined elsewhere/i, sentence: 'The call was declined on another device.' },
  { cause: 'cancelled', code: 487, match: /./, sentence: 'The caller hung up before the call was answered.' },
  { cause: 'rejected', code: 486, match: /rejected/i, sentence: 'You declined the call.' },
  { cause: 'rejected', code: 603, match: /./, sentence: 'You declined the call everywhere.' },
  { cause: 'no-answer', code: 408, match: /./, sentence: 'The call was not answered in time.' },
];

/** The cause of an incoming call's end ('answered-elsewhere', 'cancelled', ...), or null for other ends. */
export function incomingCause(code, reason = '', answered = false) {
  if (answered) return null;
  const c = INCOMING_CAUSES.find((x) => x.code === code && x.match.test(reason));
  return c ? c.cause : null;
}

/**
 * A sentence for people about a gateway code and reason: `{code: 486, reason: 'Busy Here'}` ->
 * "The line is busy (SIP 486 Busy Here)." Call ends with 200 say who hung up. With direction 'incoming'
 * the ends of a call that rang here are said from the callee's side ("The caller hung up before ...").
 */
export function describeOutcome(code, reason = '', direction = 'outgoing') {
  if (direction === 'incoming') {
    const c = INCOMING_CAUSES.find((x) => x.code === code && x.match.test(reason));
    if (c) return c.sentence;
  }
  if (code === 200) {
    if (/transferred/i.test(reason)) return 'The call was transferred.';
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

/**
 * A sentence for people about a `registration-failed`: what it means and what the gateway does next.
 * `{profile: 'pbx', code: 401, reason: 'Unauthorized (credentials refused)'}` -> "The registrar of pbx refused
 * the SIP account's user name or password (SIP 401 Unauthorized (credentials refused)). ..."
 */
export function describeRegistrationFailure(profile, code, reason = '') {
  let sentence;
  if (code === 401 || code === 407) sentence = `The registrar of ${profile} refused the SIP account's user name or password`;
  else if (code === 403) sentence = `The registrar of ${profile} does not allow this SIP account`;
  else if (code === 404) sentence = `The registrar of ${profile} does not know this SIP account`;
  else if (code === 408) sentence = `The registrar of ${profile} did not answer`;
  else if (code === 503) sentence = `The registrar of ${profile} cannot be reached`;
  else if (code >= 500 && code < 600) sentence = `The registrar of ${profile} had a problem`;
  else sentence = `The registrar of ${profile} refused the registration`;
  const retry = code === 408 || (code >= 500 && code < 600)
    ? 'The gateway keeps trying by itself.' : 'The gateway tries again every few minutes.';
  return `${sentence} (SIP ${code}${reason ? ` ${reason}` : ''}). Calls to you cannot arrive until it works. ${retry}`;
}

/**
 * Call states (docs/protocol.md §6): outgoing calls go new -> calling -> ringing/progress -> answered -> ended;
 * incoming ones incoming -> accepting -> answered -> ended (back to incoming when an accept fails but the call
 * still rings).
 */
export const CALL_STATES = Object.freeze(['new', 'calling', 'ringing', 'progress', 'incoming', 'accepting', 'answered', 'ended']);

/** Registration states of one profile in `client.registrations`. */
export const REGISTRATION_STATES = Object.freeze(['registering', 'registered', 'failed']);

/** Client states. */
export const CLIENT_STATES = Object.freeze(['idle', 'connecting', 'ready', 'reconnecting', 'closed']);

const DEFAULTS = {
  requestTimeoutMs: 10000,
  connectTimeoutMs: 10000,
  registrationTimeoutMs: 40000,
  reconnect: true,
  reconnectMinDelayMs: 500,
  reconnectMaxDelayMs: 15000,
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
};

/** What the client and its calls share: a `state` whose changes are `state` events, and events with a detail. */
class StatefulTarget extends EventTarget {
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
 * One WebSocket session with the gateway: login, requests with timeouts, calls, reconnection.
 *
 * Events (CustomEvent, payload in `detail`):
 *  - `state`        {state, previous}: idle -> connecting -> ready; reconnecting -> ready; closed
 *  - `ready`        {profiles, defaultProfile, reconnected}: logged in (again, after a reconnect)
 *  - `disconnected` {code, reason, willReconnect}: the WebSocket closed
 *  - `call`         {call}: a call was created by call()
 *  - `incoming`     {call, from, fromName, to, profile}: a call to this user rings here; call.accept()/reject()
 *  - `registration` {profile, state, aor?, expires?, code?, reason?, message?}: every change of a profile's
 *                   registration state (registering, registered, failed, unregistered)
 *  - `registered`   {profile, aor, expires}; `registration-failed` {profile, code, reason, message};
 *    `unregistered` {profile}
 *  - `missed`       {calls}: unanswered calls to this user not reported before (history entries), after login
 *  - `message`      {message}: every message the gateway sent, parsed, before it is handled
 *  - `error`        {error: PasarelaError}: a failure not tied to a request (e.g. re-login refused)
 * Messages of types this version does not know still arrive as `message` events.
 */
export class PasarelaClient extends StatefulTarget {
  /**
   * @param {object} options
   * @param {string} options.url                  ws:// or wss:// URL of the gateway's /ws
   * @param {string} options.user
   * @param {string} options.password
   * @param {number} [options.requestTimeoutMs=10000]
   * @param {number} [options.connectTimeoutMs=10000]
   * @param {number} [options.registrationTimeoutMs=40000]  how long register() waits for the registrar's verdict
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
    /** @type {Map<string, {state: string, aor?: string, expires?: number, code?: number, reason?: string, message?: string}>} */
    this.registrations = new Map();
    /** Profiles this client asked to register with (null key: the default profile), kept across reconnects. */
    this._wanted = new Set();
    /** register() promises waiting for the registrar's verdict, by profile name. */
    this._registerWaiters = new Map();
    /** Async steps run after every (re-)login, in order; the first one registers again. */
    this._resumeSteps = [() => this._registerAgain()];
    this._handlers = {
      ack: (m) => this._settle(m.id, (p) => p.resolve(m)),
      pong: (m) => this._settle(m.id, (p) => p.resolve(m)),
      history: (m) => this._settle(m.id, (p) => p.resolve(m)),
      error: (m) => this._onError(m),
      ringing: (m) => this._toCall(m),
      progress: (m) => this._toCall(m),
      answered: (m) => this._toCall(m),
      candidate: (m) => this._toCall(m),
      hangup: (m) => this._toCall(m),
      'transfer-failed': (m) => this._toCall(m),
      incoming: (m) => this._onIncoming(m),
      registered: (m) => this._onRegistered(m),
      'registration-failed': (m) => this._onRegistrationFailed(m),
      missed: (m) => this._emit('missed', { calls: Array.isArray(m.calls) ? m.calls : [] }),
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
   * Makes this user reachable from SIP through `profile`'s registrar (absent: the gateway's default profile).
   * Resolves {profile, aor, expires} once the registrar accepted; rejects with a PasarelaError: 'refused' (the
   * gateway refused the request: 404 unknown profile, 403 disabled, 409 the profile does not register users),
   * 'registration' (the registrar refused or did not answer; code and reason are its, the message a sentence),
   * 'timeout' (no verdict within registrationTimeoutMs). After a 'registration' or 'timeout' rejection the
   * gateway keeps trying and the client keeps wanting it, also across reconnects, until unregister().
   */
  async register(profile) {
    if (profile !== undefined && profile !== null && (typeof profile !== 'string' || !profile)) {
      throw new TypeError('register: profile must be a non-empty string or absent');
    }
    const name = profile || this.defaultProfile;
    const request = profile ? { type: 'register', profile } : { type: 'register' };
    if (!name) {
      // No default profile known: the gateway will say 404; there is no profile name to wait on.
      await this.request(request);
      return { profile: null };
    }
    const verdict = this._waitForVerdict(name);
    const before = this.registrations.get(name);
    if (!before || before.state !== 'registered') this._setRegistration(name, { state: 'registering' });
    try {
      await this.request(request);
    } catch (e) {
      verdict.cancel();
      if (this.registrations.get(name)?.state === 'registering') {
        if (before) this._setRegistration(name, before); else this.registrations.delete(name);
      }
      throw e;
    }
    this._wanted.add(profile || null);
    return verdict.promise;
  }

  /** This session no longer needs the registration of `profile`; resolves when the gateway acknowledged. */
  async unregister(profile) {
    const name = profile || this.defaultProfile;
    this._wanted.delete(profile || null);
    if (name) this._wanted.delete(name);
    if (name && name === this.defaultProfile) this._wanted.delete(null);
    if (name) this._settleVerdict(name, 'reject', new PasarelaError('state', `The registration with ${name} was withdrawn before it finished.`));
    try {
      await this.request(profile ? { type: 'unregister', profile } : { type: 'unregister' });
    } catch (e) {
      // 409: this session had not asked (or the gateway forgot it with a lost WebSocket): nothing to undo.
      if (!(e.kind === 'refused' && e.code === 409)) throw e;
    } finally {
      if (name && this.registrations.delete(name)) {
        this._emit('registration', { profile: name, state: 'unregistered' });
        this._emit('unregistered', { profile: name });
      }
    }
  }

  /**
   * The logged-in user's calls, newest first (protocol.md §4 `history`): an array of entries {id, call,
   * direction, peer, profile, start, answer?, end?, durationMs, code?, reason?, hangupBy?, missed}. `before`: an
   * ISO-8601 instant or the `id` of the last entry of the previous page. Rejects with a PasarelaError (503
   * when the gateway's history database is unreachable).
   */
  async history({ limit, before } = {}) {
    const request = { type: 'history' };
    if (limit !== undefined) request.limit = limit;
    if (before !== undefined && before !== null) request.before = before;
    const reply = await this.request(request);
    return Array.isArray(reply.calls) ? reply.calls : [];
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

  /** Adds an async step run after every login (also after a reconnect), after the re-registration. */
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

  /** The WebSocket is gone: pending requests fail, calls end (the gateway has ended them), registrations lapse. */
  _lost(why, sentence = 'The connection to the gateway was lost, so the call ended.') {
    for (const [id, p] of this._pending) {
      this.platform.clearTimeout(p.timer);
      p.reject(new PasarelaError('closed', `The connection to the gateway closed before it answered "${p.type}".`));
      this._pending.delete(id);
    }
    const error = new PasarelaError('closed', sentence, { code: 503, reason: why });
    for (const call of [...this._unacked || [], ...this.calls.values()]) call._end(503, why, true, error);
    for (const name of [...this._registerWaiters.keys()]) {
      this._settleVerdict(name, 'reject', new PasarelaError('closed', `The connection to the gateway closed before the registration with ${name} finished.`));
    }
    // The gateway drops a session's registrations with its WebSocket; wanted ones are asked for again on login.
    for (const name of [...this.registrations.keys()]) {
      if (this._closedByUser) {
        this.registrations.delete(name);
        this._emit('registration', { profile: name, state: 'unregistered' });
        this._emit('unregistered', { profile: name });
      } else {
        this._setRegistration(name, { state: 'registering' });
      }
    }
    if (this._closedByUser) this._wanted.clear();
  }

  /** Resume step: asks again for every registration this client wanted; outcomes arrive as events. */
  async _registerAgain() {
    for (const profile of [...this._wanted]) {
      const name = profile || this.defaultProfile;
      if (name && this.registrations.get(name)?.state !== 'registered') this._setRegistration(name, { state: 'registering' });
      try {
        await this.request(profile ? { type: 'register', profile } : { type: 'register' });
      } catch (e) {
        if (e.kind === 'closed') throw e; // the new socket is gone too: the reconnect starts over
        // The gateway no longer offers it (profile removed, disabled): stop asking, and say so.
        this._wanted.delete(profile);
        if (name) this.registrations.delete(name);
        this._emit('registration-failed', { profile: name, code: e.code, reason: e.reason, message: `Could not register again with ${name || 'the default profile'}: ${e.message}` });
        this._emit('registration', { profile: name, state: 'unregistered' });
        this._emit('unregistered', { profile: name });
      }
    }
  }

  /** A promise of the registrar's next verdict on `name`; every register() waiting on it gets the same one. */
  _waitForVerdict(name) {
    const waiters = this._registerWaiters.get(name) || new Set();
    this._registerWaiters.set(name, waiters);
    let waiter;
    const promise = new Promise((resolve, reject) => {
      const timer = this.platform.setTimeout(() => {
        waiter.reject(new PasarelaError('timeout', `The registrar of ${name} gave no verdict within ${Math.round(this.options.registrationTimeoutMs / 1000)} s; the gateway keeps trying.`));
      }, this.options.registrationTimeoutMs);
      const done = (fn) => (v) => {
        this.platform.clearTimeout(timer);
        waiters.delete(waiter);
        if (!waiters.size && this._registerWaiters.get(name) === waiters) this._registerWaiters.delete(name);
        fn(v);
      };
      waiter = { resolve: done(resolve), reject: done(reject) };
    });
    waiters.add(waiter);
    return { promise, cancel: () => waiter.resolve(undefined) };
  }

  _settleVerdict(name, how, value) {
    for (const waiter of [...(this._registerWaiters.get(name) || [])]) waiter[how](value);
  }

  _onRegistered(m) {
    const detail = { profile: m.profile, aor: m.aor, expires: m.expires };
    this._setRegistration(m.profile, { state: 'registered', aor: m.aor, expires: m.expires });
    this._emit('registered', detail);
    this._settleVerdict(m.profile, 'resolve', detail);
  }

  _onRegistrationFailed(m) {
    const message = describeRegistrationFailure(m.profile, m.code, m.reason);
    this._setRegistration(m.profile, { state: 'failed', code: m.code, reason: m.reason, message });
    this._emit('registration-failed', { profile: m.profile, code: m.code, reason: m.reason, message });
    this._settleVerdict(m.profile, 'reject', new PasarelaError('registration', message, { code: m.code, reason: m.reason }));
  }

  _setRegistration(name, value) {
    const previous = this.registrations.get(name);
    if (previous && previous.state === value.state && previous.aor === value.aor && previous.expires === value.expires
      && previous.code === value.code && previous.reason === value.reason) return;
    this.registrations.set(name, value);
    this._emit('registration', { profile: name, ...value });
  }

  _onIncoming(m) {
    if (typeof m.call !== 'string' || this.calls.has(m.call) || !m.jsep || m.jsep.type !== 'offer') return;
    const call = new Call(this, m.to || '', { profile: m.profile }, m);
    this.calls.set(m.call, call);
    this._emit('incoming', { call, from: call.from, fromName: call.fromName, to: call.to, profile: call.profile });
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
    // A candidate (sent without id) that crossed its call's end gets 404 naming that call: nothing went wrong.
    if (m.id === undefined && typeof m.call === 'string' && m.code === 404 && !this.calls.has(m.call)) return;
    const retryAfter = Number.isInteger(m.retryAfter) && m.retryAfter > 0 ? m.retryAfter : 0;
    const sentence = describeOutcome(m.code, m.reason) + (retryAfter > 0 ? ` Try again in ${retryAfter} s.` : '');
    const refused = new PasarelaError('refused', sentence, { code: m.code, reason: m.reason, retryAfter });
    if (m.id !== undefined && this._pending.has(m.id)) {
      this._settle(m.id, (p) => p.reject(refused));
    } else {
      this._emit('error', { error: refused });
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
}

/**
 * One call through the gateway, placed by this client (direction 'outgoing') or ringing here (direction
 * 'incoming', from the `incoming` event): its RTCPeerConnection, the trickle of candidates, the answer, DTMF,
 * mute, microphone switching and quality sampling.
 *
 * Events (CustomEvent, payload in `detail`):
 *  - `state`     {state, previous}: new -> calling -> ringing/progress -> answered -> ended (outgoing);
 *                incoming -> accepting -> answered -> ended (incoming)
 *  - `calling`   {id}: the gateway accepted the call and assigned `id`
 *  - `ringing`, `progress` {earlyMedia}, `answered`
 *  - `track`     {stream}: the remote audio (play it in an <audio autoplay>)
 *  - `answered-elsewhere`, `declined-elsewhere`, `cancelled` (by the caller), `rejected`, `no-answer`: how an
 *                incoming call ended without being answered here, just before its `ended`
 *  - `hold`      {held}: the gateway confirmed hold() (held: true) or unhold() (held: false)
 *  - `transferring` {to}: the far end accepted transfer(to); the call ends as "transferred", or
 *  - `transfer-failed` {code, reason, message}: the target was not reached; the call goes on
 *  - `ended`     {code, reason, message, local, cause, error?}: exactly once; `message` is a human sentence,
 *                `cause` one of the names above for incoming calls (else null)
 */
export class Call extends StatefulTarget {
  constructor(client, to, options, incoming = null) {
    super();
    this.client = client;
    this.to = to;
    this.profile = options.profile || null;
    this.direction = incoming ? 'incoming' : 'outgoing';
    this.id = incoming ? incoming.call : null;
    /** For incoming calls: the caller's URI and display name (null when the caller sent none). */
    this.from = incoming ? String(incoming.from || '') : null;
    this.fromName = incoming && typeof incoming.fromName === 'string' && incoming.fromName ? incoming.fromName : null;
    this.state = incoming ? 'incoming' : 'new';
    this.startedAt = Date.now();
    this.answeredAt = null;
    this.endedAt = null;
    this.muted = false;
    /** Whether the gateway holds the call (hold() confirmed, no unhold() since). */
    this.held = false;
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
    this._offer = incoming ? incoming.jsep : null;
    this._trickleReady = false;
    this.ended = new Promise((resolve) => { this._resolveEnded = resolve; });
  }

  /** The other party, for people: the caller's name or URI for incoming calls, the destination otherwise. */
  get peer() {
    return this.direction === 'incoming' ? (this.fromName || this.from) : this.to;
  }

  /**
   * Answers an incoming call: opens the microphone (or uses options.stream), applies the gateway's offer,
   * sends the answer in `accept`, then trickles candidates. Resolves the `ack`; the call is `answered` when the
   * gateway says so (after the caller's ACK). Rejects with a PasarelaError: 'state' (not ringing any more),
   * 'microphone-denied'/'no-microphone'/'media' or 'refused' 488/400 (the call keeps ringing: accept() again
   * or reject()), 'refused' 404/409 (answered elsewhere or over: the call ends), 'timeout'/'closed'.
   * Options: stream, audio (constraints), trickle (false: wait for ICE gathering before sending the answer).
   */
  async accept(options = {}) {
    if (this.direction !== 'incoming') throw new PasarelaError('state', 'Only an incoming call can be accepted.');
    if (this.state !== 'incoming') {
      throw new PasarelaError('state', this.state === 'ended' ? 'The call is over; it can no longer be accepted.' : 'The call is already being answered.');
    }
    const client = this.client;
    this._options = { ...this._options, ...options };
    this._ownStream = !options.stream;
    this._setState('accepting');
    try {
      this.localStream = options.stream
        || await openMicrophone(client, { ...client.options.audio, ...(options.audio || {}) });
      if (this.state === 'ended') { this._release(); throw new PasarelaError('state', 'The call ended before it was answered.'); }
      this.localStream.getAudioTracks().forEach((t) => { t.enabled = !this.muted; });
      const pc = this._newPeerConnection();
      await pc.setRemoteDescription(this._offer);
      await pc.setLocalDescription(await pc.createAnswer());
      if (this._options.trickle === false) await waitForGathering(pc);
      if (this.state === 'ended') throw new PasarelaError('state', 'The call ended before it was answered.');
      const ack = await client.request({ type: 'accept', call: this.id, jsep: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
      this._trickleReady = true;
      for (const c of this._queuedCandidates) client.send({ type: 'candidate', call: this.id, candidate: c });
      this._queuedCandidates = [];
      return ack;
    } catch (e) {
      const error = e instanceof PasarelaError ? e : mediaError(e);
      if (this.state === 'ended') throw error;
      if (error.kind === 'refused' && (error.code === 404 || error.code === 409)) {
        // Answered on another device, or over: the gateway's hangup says which, if it has not already.
        const over = new PasarelaError('refused', error.code === 409
          ? 'The call was answered on another device or is already over.' : 'The call is already over.', { code: error.code, reason: error.reason, cause: error });
        this._end(error.code, error.reason, true, over);
        throw over;
      } else if (error.kind === 'timeout' || error.kind === 'closed') {
        client.request({ type: 'hangup', call: this.id }).catch(() => {});
        this._end(error.code || 408, error.reason || error.message, true, error);
      } else {
        // The call still rings: free what this attempt opened, so that accept() or reject() can follow.
        this._release();
        this.pc = null;
        this.localStream = null;
        this._queuedCandidates = [];
        this._setState('incoming');
      }
      throw error;
    }
  }

  /**
   * Declines an incoming call that rings here: `reject`, acked, then the gateway's hangup (486 "rejected")
   * ends it. everywhere: true declines it on every device of the user at once (SIP 603 Decline). Resolves the
   * outcome, like hangup().
   */
  async reject({ everywhere = false } = {}) {
    if (this.direction !== 'incoming') throw new PasarelaError('state', 'Only an incoming call can be rejected; hang up instead.');
    if (this.state === 'ended') return this.outcome;
    if (this.state !== 'incoming') throw new PasarelaError('state', 'The call is being answered; hang up instead.');
    this._hangupRequested = true;
    try {
      await this.client.request({ type: 'reject', call: this.id, everywhere: !!everywhere });
    } catch (e) {
      // 404/409: it ended meanwhile (cancelled, answered elsewhere); its hangup is here or on its way.
      if (e.kind !== 'refused' || (e.code !== 404 && e.code !== 409)) this._end(e.code || 500, e.reason || e.message, true, e);
      else if (this.state !== 'ended') this._end(e.code, e.reason, true, e);
    }
    return this.ended;
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

  /**
   * Puts the answered call on hold: the gateway re-INVITEs the SIP side (a=sendonly) and stops sending it this
   * browser's audio. Resolves once the far end agreed (`hold` event); rejects with a PasarelaError: 'state' (not
   * answered), 'refused' with the SIP code (409 another hold pending, 491 glare twice, 488...: the call goes on
   * as it was; 408/481: the call also ends), 'timeout', 'closed'.
   */
  hold() {
    return this._setHold(true);
  }

  /** Takes the call off hold (a=sendrecv); resolves and rejects as hold(). */
  unhold() {
    return this._setHold(false);
  }

  async _setHold(held) {
    if (!this.id || this.state !== 'answered') {
      throw new PasarelaError('state', held ? 'Only an answered call can be put on hold.' : 'Only an answered call can be resumed.');
    }
    const ack = await this.client.request({ type: held ? 'hold' : 'unhold', call: this.id }, { timeoutMs: this._sipTimeoutMs() });
    if (this.state !== 'ended') {
      this.held = held;
      this._emit('hold', { held });
    }
    return ack;
  }

  /**
   * Blind transfer of the answered call to `to` (a number, name or SIP URI, dialled through the call's profile
   * and its toll-fraud rules). Resolves when the far end accepted it (`transferring`); the call then ends with
   * "The call was transferred." or, if the target is not reached, fires `transfer-failed` and goes on. Rejects
   * with a PasarelaError: 'state', 'refused' (400 bad target, 403 not allowed, 409 already transferring, or the
   * far end's SIP code), 'timeout', 'closed'.
   */
  async transfer(to) {
    if (!this.id || this.state !== 'answered') throw new PasarelaError('state', 'Only an answered call can be transferred.');
    const target = String(to || '').trim();
    if (!target) throw new PasarelaError('state', 'Say where to transfer the call to.');
    const ack = await this.client.request({ type: 'transfer', call: this.id, to: target }, { timeoutMs: this._sipTimeoutMs() });
    if (this.state !== 'ended') this._emit('transferring', { to: target });
    return ack;
  }

  /** A re-INVITE or REFER may take the SIP transaction's 32 s plus a glare retry: wait at least 40 s for it. */
  _sipTimeoutMs() {
    return Math.max(this.client.options.requestTimeoutMs || 0, 40000);
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
      const pc = this._newPeerConnection();
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
      this._trickleReady = true;
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

  _newPeerConnection() {
    const pc = new this.client.platform.RTCPeerConnection(this.client.rtcConfiguration());
    this.pc = pc;
    for (const track of this.localStream.getAudioTracks()) pc.addTrack(track, this.localStream);
    pc.ontrack = (e) => {
      this.remoteStream = e.streams && e.streams[0] ? e.streams[0] : new MediaStream([e.track]);
      this._emit('track', { stream: this.remoteStream });
    };
    pc.onicecandidate = (e) => { if (this.pc === pc) this._localCandidate(e.candidate ? (e.candidate.toJSON ? e.candidate.toJSON() : e.candidate) : null); };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed' && this.pc === pc && this.state !== 'ended') {
        this.hangup();
      }
    };
    return pc;
  }

  _localCandidate(candidate) {
    if (this.state === 'ended' || this._options.trickle === false) return;
    if (!this._trickleReady) this._queuedCandidates.push(candidate);
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
        // An incoming call's `answered` has no jsep: the browser already holds both descriptions.
        if (m.jsep) this._remote(m.jsep);
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
      case 'transfer-failed':
        this._emit('transfer-failed', { code: m.code, reason: m.reason,
          message: `The transfer did not reach its target; the call goes on. ${describeOutcome(m.code, m.reason)}` });
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
    const wasAnswered = !!this.answeredAt;
    const cause = this.direction === 'incoming' && !local ? incomingCause(code, reason, wasAnswered) : null;
    const message = error && (error.kind !== 'refused' || this.direction === 'incoming') ? error.message
      : describeOutcome(code, reason, wasAnswered ? 'outgoing' : this.direction);
    this.outcome = { code, reason, message, local, cause, error };
    if (cause) this._emit(cause, {});
    this._setState('ended');
    this._emit('ended', this.outcome);
    this._resolveEnded(this.outcome);
  }

  _release() {
    if (this.pc) { try { this.pc.close(); } catch { /* closed */ } }
    if (this._ownStream && this.localStream) for (const t of this.localStream.getTracks()) t.stop();
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
