// Unit tests of the client library's protocol state (gateway/src/main/resources/web/pasarela.js) under
// Node, against a scripted fake WebSocket (the test plays the gateway), a fake RTCPeerConnection and
// timers on a manual clock. No browser, no gateway: milliseconds.
//
//   node --test testbeds/06-webclient/client.unit.test.mjs

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fakePlatform, settle } from './fakes.mjs';
import { PasarelaClient, PasarelaError, describeOutcome, qualityFromStats } from '../../gateway/src/main/resources/web/pasarela.js';

const URL = 'ws://127.0.0.1:8080/ws';

function newClient(options = {}, fakeOptions = {}) {
  const f = fakePlatform(fakeOptions);
  const client = new PasarelaClient({ url: URL, user: 'alice', password: 'secret', platform: f.platform, ...options });
  const seen = [];
  for (const type of ['state', 'ready', 'disconnected', 'call', 'error']) {
    client.addEventListener(type, (e) => seen.push({ type, ...e.detail }));
  }
  return { client, f, seen, socket: () => f.WebSocket.sockets.at(-1) };
}

/** Connects and answers the login with the given ack fields; resolves { client, f, ws }. */
async function loggedIn(options, ackFields = { profiles: ['echo', 'trunk'], defaultProfile: 'echo' }, fakeOptions) {
  const c = newClient(options, fakeOptions);
  const connected = c.client.connect();
  const ws = c.socket();
  ws.accept();
  await settle();
  const login = ws.last('login');
  ws.receive({ type: 'ack', id: login.id, ...ackFields });
  await connected;
  return { ...c, ws };
}

function callEvents(call) {
  const events = [];
  for (const type of ['state', 'calling', 'ringing', 'progress', 'answered', 'track', 'ended']) {
    call.addEventListener(type, (e) => events.push(type === 'state' ? `state:${e.detail.state}` : type));
  }
  return events;
}

/** Places a call and acks it as `callId`; resolves the call once the gateway's ack is in. */
async function placed(c, to = 'echo', callId = 'c1', options = {}) {
  const call = c.client.call(to, options);
  await settle();
  const request = c.ws.last('call');
  assert.ok(request, 'a call request was sent');
  c.ws.receive({ type: 'ack', id: request.id, call: callId });
  await settle();
  return call;
}

describe('login', () => {
  test('logs in with the given credentials and reads the profiles from the ack', async () => {
    const c = await loggedIn();
    assert.equal(c.ws.url, URL);
    assert.deepEqual(c.ws.sent[0], { type: 'login', id: '1', user: 'alice', password: 'secret' });
    assert.equal(c.client.state, 'ready');
    assert.deepEqual(c.client.profiles, ['echo', 'trunk']);
    assert.equal(c.client.defaultProfile, 'echo');
    assert.deepEqual(c.seen.filter((e) => e.type === 'state').map((e) => e.state), ['connecting', 'ready']);
    assert.deepEqual(c.seen.find((e) => e.type === 'ready'), { type: 'ready', profiles: ['echo', 'trunk'], defaultProfile: 'echo', reconnected: false });
  });

  test('an ack without profiles (an older gateway) gives an empty list and no default', async () => {
    const c = await loggedIn({}, {});
    assert.deepEqual(c.client.profiles, []);
    assert.equal(c.client.defaultProfile, null);
  });

  test('a refused login rejects with a sentence and code 401, closes, and is not retried', async () => {
    const c = newClient();
    const connected = c.client.connect();
    c.socket().accept();
    await settle();
    c.socket().receive({ type: 'error', id: '1', code: 401, reason: 'login: invalid user or password' });
    await assert.rejects(connected, (e) => e instanceof PasarelaError && e.kind === 'refused' && e.code === 401
      && e.message === 'The gateway refused the login: wrong user name or password.');
    assert.equal(c.client.state, 'closed');
    assert.ok(c.socket().closedWith, 'the socket was closed');
    await c.f.timers.advance(60000);
    assert.equal(c.f.WebSocket.sockets.length, 1, 'no second connection');
  });

  test('an unreachable gateway rejects with "unreachable" naming the address', async () => {
    const c = newClient();
    const connected = c.client.connect();
    c.socket().refuse();
    await assert.rejects(connected, (e) => e.kind === 'unreachable' && e.message.includes(URL));
    assert.equal(c.client.state, 'closed');
  });

  test('a gateway that never opens the socket times out as unreachable', async () => {
    const c = newClient({ connectTimeoutMs: 3000 });
    const connected = c.client.connect();
    const rejected = assert.rejects(connected, (e) => e.kind === 'unreachable' && /did not answer within 3 s/.test(e.message));
    await c.f.timers.advance(3000);
    await rejected;
    assert.equal(c.client.state, 'closed');
  });

  test('a login without an answer times out, closes that socket and leaves the client closed', async () => {
    const c = newClient({ requestTimeoutMs: 2000 });
    const connected = c.client.connect();
    c.socket().accept();
    await settle();
    const rejected = assert.rejects(connected, (e) => e.kind === 'timeout' && e.message === 'The gateway did not answer "login" within 2 s.');
    await c.f.timers.advance(2000);
    await rejected;
    assert.ok(c.socket().closedWith, 'the socket was closed');
    assert.equal(c.client.state, 'closed');
  });

  test('refuses a URL that is not ws:// or wss://', () => {
    assert.throws(() => new PasarelaClient({ url: 'http://x/ws', user: 'a', password: 'b' }), /ws:\/\/ or wss:\/\//);
  });
});

describe('requests', () => {
  test('a request without an answer times out, and a late ack is ignored', async () => {
    const c = await loggedIn({ requestTimeoutMs: 2000 });
    const ping = c.client.request({ type: 'ping' });
    const rejected = assert.rejects(ping, (e) => e.kind === 'timeout' && e.message === 'The gateway did not answer "ping" within 2 s.');
    await c.f.timers.advance(2000);
    await rejected;
    c.ws.receive({ type: 'pong', id: c.ws.last('ping').id });
    assert.equal(c.client.state, 'ready');
  });

  test('ping resolves on the pong with the same id', async () => {
    const c = await loggedIn();
    const ping = c.client.ping();
    c.ws.receive({ type: 'pong', id: c.ws.last('ping').id });
    assert.equal(typeof (await ping), 'number');
  });

  test('an error with an id rejects that request with the gateway code and reason', async () => {
    const c = await loggedIn();
    const r = c.client.request({ type: 'dtmf', call: 'c9', digits: '1' });
    c.ws.receive({ type: 'error', id: c.ws.last('dtmf').id, call: 'c9', code: 404, reason: "unknown call 'c9'" });
    await assert.rejects(r, (e) => e.kind === 'refused' && e.code === 404 && e.reason === "unknown call 'c9'"
      && e.message === "That number or address does not exist (SIP 404 unknown call 'c9').");
  });

  test('an error without an id (malformed frame) becomes an error event', async () => {
    const c = await loggedIn();
    c.ws.receive({ type: 'error', code: 400, reason: 'malformed JSON at line 1 column 2' });
    const e = c.seen.find((x) => x.type === 'error');
    assert.equal(e.error.code, 400);
  });

  test('a 404 for a call that is already over (a trickled candidate crossing its end) is no error event', async () => {
    const c = await loggedIn();
    c.ws.receive({ type: 'error', call: 'c3', code: 404, reason: "unknown call 'c3'" });
    assert.equal(c.seen.filter((x) => x.type === 'error').length, 0);
  });

  test('unknown message types from a newer gateway are passed on as message events and otherwise ignored', async () => {
    const c = await loggedIn();
    const messages = [];
    c.client.addEventListener('message', (e) => messages.push(e.detail.message));
    c.ws.receive({ type: 'held', call: 'c7', by: 'bob' });
    c.ws.receive('not json');
    assert.deepEqual(messages, [{ type: 'held', call: 'c7', by: 'bob' }]);
    assert.equal(c.client.state, 'ready');
  });
});

describe('TURN', () => {
  const turn = [{ urls: ['turn:127.0.0.1:3478?transport=udp'], username: '1740823200:alice', credential: 'b0Hc0lX2kP8e6BZ0Y2bW3mJ8h6U=' }];

  test('a call\'s peer connection gets the iceServers of the login ack', async () => {
    const c = await loggedIn({}, { profiles: ['echo'], defaultProfile: 'echo', iceServers: turn });
    assert.deepEqual(c.client.iceServers, turn);
    await placed(c);
    assert.deepEqual(c.f.RTCPeerConnection.instances[0].config, { iceServers: turn });
  });

  test('iceServers in rtcConfiguration win; its other settings are kept alongside the gateway\'s servers', async () => {
    const own = [{ urls: 'stun:stun.example.org' }];
    const mine = await loggedIn({ rtcConfiguration: { iceServers: own } }, { profiles: [], iceServers: turn });
    await placed(mine);
    assert.deepEqual(mine.f.RTCPeerConnection.instances[0].config, { iceServers: own });
    const relay = await loggedIn({ rtcConfiguration: { iceTransportPolicy: 'relay' } }, { profiles: [], iceServers: turn });
    await placed(relay);
    assert.deepEqual(relay.f.RTCPeerConnection.instances[0].config, { iceTransportPolicy: 'relay', iceServers: turn });
  });

  test('without TURN at the gateway the peer connection gets the plain rtcConfiguration', async () => {
    const c = await loggedIn();
    assert.equal(c.client.iceServers, null);
    await placed(c);
    assert.deepEqual(c.f.RTCPeerConnection.instances[0].config, {});
  });
});

describe('calls', () => {
  test('trickle: the offer goes at once, candidates wait for the ack and follow in order, ending with null', async () => {
    const c = await loggedIn();
    const call = c.client.call('+34931234567', { profile: 'trunk' });
    const events = callEvents(call);
    await settle();
    const pc = c.f.RTCPeerConnection.instances[0];
    const request = c.ws.last('call');
    assert.deepEqual(Object.keys(request), ['type', 'id', 'to', 'jsep', 'profile']);
    assert.equal(request.to, '+34931234567');
    assert.equal(request.profile, 'trunk');
    assert.equal(request.jsep.type, 'offer');
    assert.equal(request.jsep.sdp, pc.localDescription.sdp);
    assert.deepEqual(c.f.mic.requests[0].audio, { echoCancellation: true, noiseSuppression: true, autoGainControl: true });

    const host = { candidate: 'candidate:1 1 udp 2122194687 192.0.2.2 43214 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    pc.gather(host);
    assert.equal(c.ws.sent.filter((m) => m.type === 'candidate').length, 0, 'nothing before the ack');
    c.ws.receive({ type: 'ack', id: request.id, call: 'c1' });
    await settle();
    pc.gather(null);
    assert.deepEqual(c.ws.sent.filter((m) => m.type === 'candidate'),
      [{ type: 'candidate', call: 'c1', candidate: host }, { type: 'candidate', call: 'c1', candidate: null }]);
    assert.equal(call.id, 'c1');
    assert.equal(c.client.calls.get('c1'), call);
    assert.deepEqual(events, ['state:calling', 'calling']);
  });

  test('ringing, early media and the answer reach the peer connection in order', async () => {
    const c = await loggedIn();
    const call = c.client.call('1000');
    const events = callEvents(call);
    await settle();
    c.ws.receive({ type: 'ack', id: c.ws.last('call').id, call: 'c1' });
    await settle();
    const pc = c.f.RTCPeerConnection.instances[0];
    c.ws.receive({ type: 'ringing', call: 'c1' });
    c.ws.receive({ type: 'progress', call: 'c1', jsep: { type: 'pranswer', sdp: 'v=0\r\npr' } });
    c.ws.receive({ type: 'answered', call: 'c1', jsep: { type: 'answer', sdp: 'v=0\r\nans' } });
    c.ws.receive({ type: 'candidate', call: 'c1', candidate: null });
    await settle();
    pc.remoteTrack();
    assert.deepEqual(pc.remoteDescriptions.map((d) => d.type), ['pranswer', 'answer']);
    assert.deepEqual(pc.candidates, [null]);
    assert.deepEqual(events, ['state:calling', 'calling', 'state:ringing', 'ringing', 'state:progress', 'progress', 'state:answered', 'answered', 'track']);
    assert.equal(call.state, 'answered');
    assert.ok(call.answeredAt > 0);
    assert.ok(call.remoteStream);
  });

  test('hangup by the client: request, ack, then the gateway\'s hangup 200 ends the call and frees its media', async () => {
    const c = await loggedIn();
    const call = await placed(c);
    c.ws.receive({ type: 'answered', call: 'c1', jsep: { type: 'answer', sdp: 'v=0\r\n' } });
    await settle();
    const ended = call.hangup();
    const req = c.ws.last('hangup');
    assert.deepEqual(req, { type: 'hangup', id: req.id, call: 'c1' });
    c.ws.receive({ type: 'ack', id: req.id, call: 'c1' });
    c.ws.receive({ type: 'hangup', call: 'c1', code: 200, reason: 'hung up by client' });
    const outcome = await ended;
    assert.deepEqual({ ...outcome, error: undefined }, { code: 200, reason: 'hung up by client', message: 'Call ended.', local: false, cause: null, error: undefined });
    assert.equal(c.f.RTCPeerConnection.instances[0].closed, true);
    assert.equal(c.f.mic.streams[0].tracks[0].stopped, true);
    assert.equal(c.client.calls.size, 0);
  });

  test('a failure from the SIP side ends the call with a human sentence carrying the SIP code', async () => {
    const c = await loggedIn();
    const call = await placed(c);
    c.ws.receive({ type: 'ringing', call: 'c1' });
    c.ws.receive({ type: 'hangup', call: 'c1', code: 486, reason: 'Busy Here' });
    const outcome = await call.ended;
    assert.equal(outcome.message, 'The line is busy (SIP 486 Busy Here).');
    assert.equal(outcome.local, false);
  });

  test('a call refused by the gateway ends at once and never gets a call id', async () => {
    const c = await loggedIn();
    const call = c.client.call('sip:x@y', { profile: 'nope' });
    await settle();
    c.ws.receive({ type: 'error', id: c.ws.last('call').id, code: 404, reason: "call: unknown profile 'nope'" });
    const outcome = await call.ended;
    assert.equal(outcome.code, 404);
    assert.equal(outcome.error.kind, 'refused');
    assert.equal(call.id, null);
    assert.equal(c.f.RTCPeerConnection.instances[0].closed, true);
  });

  test('a gateway too busy for the call says when to try again, for people and for programs', async () => {
    const c = await loggedIn();
    const call = c.client.call('1000');
    await settle();
    c.ws.receive({ type: 'error', id: c.ws.last('call').id, code: 503, reason: 'media threads saturated', retryAfter: 3 });
    const outcome = await call.ended;
    assert.equal(outcome.code, 503);
    assert.equal(outcome.error.retryAfter, 3);
    assert.match(outcome.error.message, / Try again in 3 s\.$/);
    // Without the field, or with nonsense in it, there is no retry to offer.
    for (const retryAfter of [undefined, -1, 'soon', 2.5]) {
      const r = c.client.request({ type: 'dtmf', call: 'c9', digits: '1' });
      c.ws.receive({ type: 'error', id: c.ws.last('dtmf').id, call: 'c9', code: 503, reason: 'busy', retryAfter });
      await assert.rejects(r, (e) => e.retryAfter === 0 && !e.message.includes('Try again'));
    }
  });

  test('hangup before the ack: the call is placed, then hung up as soon as its id is known', async () => {
    const c = await loggedIn();
    const call = c.client.call('1000');
    await settle();
    const ended = call.hangup();
    assert.equal(c.ws.last('hangup'), undefined);
    c.ws.receive({ type: 'ack', id: c.ws.last('call').id, call: 'c1' });
    await settle();
    assert.equal(c.ws.last('hangup').call, 'c1');
    c.ws.receive({ type: 'hangup', call: 'c1', code: 487, reason: 'cancelled by client' });
    assert.equal((await ended).message, 'The call was cancelled (SIP 487 cancelled by client).');
  });

  test('hangup while the microphone is still opening sends no call at all', async () => {
    const c = await loggedIn();
    const call = c.client.call('1000');
    call.hangup();
    const outcome = await call.ended;
    assert.equal(outcome.code, 487);
    assert.equal(c.ws.last('call'), undefined);
  });

  test('a crossing hangup (our request gets 404 because the gateway ended the call) is not an error', async () => {
    const c = await loggedIn();
    const call = await placed(c);
    const ended = call.hangup();
    c.ws.receive({ type: 'hangup', call: 'c1', code: 486, reason: 'Busy Here' });
    c.ws.receive({ type: 'error', id: c.ws.last('hangup').id, call: 'c1', code: 404, reason: "unknown call 'c1'" });
    assert.equal((await ended).code, 486);
  });

  test('DTMF goes to the call by id with its duration; before the ack it is refused locally', async () => {
    const c = await loggedIn();
    const call = c.client.call('1000');
    await assert.rejects(call.sendDtmf('1'), (e) => e.kind === 'state');
    await settle();
    c.ws.receive({ type: 'ack', id: c.ws.last('call').id, call: 'c1' });
    await settle();
    const sent = call.sendDtmf('123#', { durationMs: 120 });
    const req = c.ws.last('dtmf');
    assert.deepEqual(req, { type: 'dtmf', id: req.id, call: 'c1', digits: '123#', durationMs: 120 });
    c.ws.receive({ type: 'ack', id: req.id, call: 'c1' });
    assert.deepEqual(await sent, { type: 'ack', id: req.id, call: 'c1' });
  });

  test('several calls: events are routed by call id', async () => {
    const c = await loggedIn();
    const a = await placed(c, '1000', 'c1');
    const b = await placed(c, '2000', 'c2');
    c.ws.receive({ type: 'ringing', call: 'c2' });
    c.ws.receive({ type: 'answered', call: 'c1', jsep: { type: 'answer', sdp: 'v=0\r\n' } });
    c.ws.receive({ type: 'hangup', call: 'c2', code: 603, reason: 'Decline' });
    c.ws.receive({ type: 'ringing', call: 'c99' });
    await settle();
    assert.equal(a.state, 'answered');
    assert.equal(b.state, 'ended');
    assert.equal(b.outcome.message, 'The call was declined (SIP 603 Decline).');
    assert.deepEqual([...c.client.calls.keys()], ['c1']);
  });

  test('mute disables the track; setMicrophone swaps the sent track and stops the old one', async () => {
    const c = await loggedIn();
    const call = await placed(c);
    call.setMuted(true);
    assert.equal(c.f.mic.streams[0].tracks[0].enabled, false);
    await call.setMicrophone('usb-mic');
    assert.deepEqual(c.f.mic.requests[1].audio.deviceId, { exact: 'usb-mic' });
    const sender = c.f.RTCPeerConnection.instances[0].getSenders()[0];
    assert.equal(sender.track, c.f.mic.streams[1].tracks[0]);
    assert.equal(sender.track.enabled, false, 'still muted');
    assert.equal(c.f.mic.streams[0].tracks[0].stopped, true);
  });

  test('microphone permission denied ends the call with a sentence and sends nothing', async () => {
    const c = await loggedIn({}, undefined, { micError: 'NotAllowedError' });
    const call = c.client.call('1000');
    const outcome = await call.ended;
    assert.equal(outcome.error.kind, 'microphone-denied');
    assert.match(outcome.message, /not allowed to use the microphone/);
    assert.equal(c.ws.last('call'), undefined);
  });

  test('an answer the browser cannot apply hangs up with 488 and says why', async () => {
    const c = await loggedIn();
    const call = await placed(c);
    c.f.RTCPeerConnection.instances[0].failRemote = 'Failed to parse SessionDescription';
    c.ws.receive({ type: 'answered', call: 'c1', jsep: { type: 'answer', sdp: 'garbage' } });
    const outcome = await call.ended;
    assert.equal(outcome.code, 488);
    assert.match(outcome.message, /could not use the gateway's answer: Failed to parse/);
    assert.equal(c.ws.last('hangup').call, 'c1');
  });
});

describe('reconnect', () => {
  test('a dropped WebSocket ends the calls, fails pending requests, reconnects, logs in again and runs resume steps', async () => {
    const c = await loggedIn({ reconnectMinDelayMs: 1000 });
    const resumed = [];
    c.client.addResumeStep(async (client) => { resumed.push(client.state); });
    const call = await placed(c);
    const pending = c.client.request({ type: 'ping' });
    c.ws.drop(1006);
    await assert.rejects(pending, (e) => e.kind === 'closed');
    const outcome = await call.ended;
    assert.deepEqual({ code: outcome.code, local: outcome.local, message: outcome.message },
      { code: 503, local: true, message: 'The connection to the gateway was lost, so the call ended.' });
    assert.equal(c.client.state, 'reconnecting');
    assert.deepEqual(c.seen.find((e) => e.type === 'disconnected'), { type: 'disconnected', code: 1006, reason: '', willReconnect: true });

    await c.f.timers.advance(999);
    assert.equal(c.f.WebSocket.sockets.length, 1, 'waits ~1 s (0.75..1.25 of the minimum delay)');
    await c.f.timers.advance(1);
    assert.equal(c.f.WebSocket.sockets.length, 2);
    const ws2 = c.socket();
    ws2.accept();
    await settle();
    assert.deepEqual(ws2.last('login'), { type: 'login', id: ws2.last('login').id, user: 'alice', password: 'secret' });
    ws2.receive({ type: 'ack', id: ws2.last('login').id, profiles: ['echo'] });
    await settle();
    assert.equal(c.client.state, 'ready');
    assert.deepEqual(resumed, ['reconnecting']);
    assert.deepEqual(c.seen.filter((e) => e.type === 'ready').map((e) => e.reconnected), [false, true]);
    assert.deepEqual(c.client.profiles, ['echo']);
  });

  test('backs off exponentially while the gateway stays away, up to the maximum', async () => {
    const c = await loggedIn({ reconnectMinDelayMs: 500, reconnectMaxDelayMs: 4000 });
    c.ws.drop();
    const opened = [];
    for (let i = 0; i < 6; i++) {
      const before = c.f.timers.now;
      while (c.f.WebSocket.sockets.length === 1 + i) await c.f.timers.advance(1);
      opened.push(c.f.timers.now - before);
      c.socket().refuse();
      await settle();
    }
    assert.deepEqual(opened, [500, 1000, 2000, 4000, 4000, 4000]);
    assert.equal(c.client.state, 'reconnecting');
  });

  test('a login refused on reconnect stops reconnecting and reports an error event', async () => {
    const c = await loggedIn({ reconnectMinDelayMs: 100 });
    c.ws.drop();
    await c.f.timers.advance(100);
    const ws2 = c.socket();
    ws2.accept();
    await settle();
    ws2.receive({ type: 'error', id: ws2.last('login').id, code: 401, reason: 'login: invalid user or password' });
    await settle();
    assert.equal(c.client.state, 'closed');
    assert.equal(c.seen.find((e) => e.type === 'error').error.code, 401);
    await c.f.timers.advance(60000);
    assert.equal(c.f.WebSocket.sockets.length, 2);
  });

  test('close() ends calls and never reconnects', async () => {
    const c = await loggedIn();
    const call = await placed(c);
    c.client.close();
    assert.equal(c.client.state, 'closed');
    assert.deepEqual({ ...(await call.ended), error: undefined },
      { code: 503, reason: 'closed by the client', message: 'The session with the gateway was closed, so the call ended.', local: true, cause: null, error: undefined });
    assert.deepEqual(c.ws.closedWith, { code: 1000, reason: 'client closed' });
    await c.f.timers.advance(60000);
    assert.equal(c.f.WebSocket.sockets.length, 1);
  });
});

describe('sentences and quality', () => {
  test('describeOutcome turns codes into sentences', () => {
    assert.equal(describeOutcome(200, 'hung up by remote party'), 'The other side hung up.');
    assert.equal(describeOutcome(200, 'hung up by client'), 'Call ended.');
    assert.equal(describeOutcome(404, 'Not Found'), 'That number or address does not exist (SIP 404 Not Found).');
    assert.equal(describeOutcome(408, 'no answer'), 'Nobody answered in time (SIP 408 no answer).');
    assert.equal(describeOutcome(499, 'Odd'), 'The call was refused (SIP 499 Odd).');
    assert.equal(describeOutcome(302, 'Moved'), 'The call was redirected elsewhere, which is not followed (SIP 302 Moved).');
  });

  test('qualityFromStats reads loss, jitter, round-trip time and levels, with loss per interval', () => {
    const report = (received, lost) => new Map([
      ['i', { type: 'inbound-rtp', kind: 'audio', timestamp: 1000, packetsReceived: received, packetsLost: lost, jitter: 0.004, audioLevel: 0.25, bytesReceived: 100 }],
      ['o', { type: 'outbound-rtp', kind: 'audio', timestamp: 1000, bytesSent: 200 }],
      ['r', { type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.012 }],
      ['m', { type: 'media-source', kind: 'audio', audioLevel: 0.5 }],
    ]);
    const first = qualityFromStats(report(90, 10));
    assert.equal(first.lossPercent, 10);
    assert.equal(first.jitterMs, 4);
    assert.equal(first.rttMs, 12);
    assert.equal(first.audioLevel, 0.25);
    assert.equal(first.micLevel, 0.5);
    const second = qualityFromStats(report(140, 10), first);
    assert.equal(second.lossPercent, 0, 'no new loss in this interval');
  });
});
