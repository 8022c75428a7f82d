// Unit tests of the client library's incoming calls, registrations, history and missed calls
// (gateway/src/main/resources/web/pasarela.js; protocol.md §3-§4 and the incoming-call contract), under Node
// against the scripted fake WebSocket of fakes.mjs: the test plays the gateway. Milliseconds.
//
//   node --test testbeds/06-webclient/client.inbound.unit.test.mjs

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fakePlatform, settle } from './fakes.mjs';
import { PasarelaClient, PasarelaError, describeOutcome, describeRegistrationFailure } from '../../gateway/src/main/resources/web/pasarela.js';

const URL = 'ws://127.0.0.1:8080/ws';
const OFFER = { type: 'offer', sdp: 'v=0\r\no=pasarela 1 1 IN IP4 192.0.2.10\r\ns=pasarela\r\nt=0 0\r\na=ice-lite\r\nm=audio 40000 UDP/TLS/RTP/SAVPF 0\r\n' };
const INCOMING = { type: 'incoming', call: 'c7', from: 'sip:1000@example.org', fromName: 'Bob', to: 'sip:alice@example.org', profile: 'pbx', jsep: OFFER };

/** A logged-in client; `seen` records the client's events as {type, ...detail}. */
async function loggedIn(options = {}, ackFields = { profiles: ['echo', 'pbx'], defaultProfile: 'pbx' }, fakeOptions) {
  const f = fakePlatform(fakeOptions);
  const client = new PasarelaClient({ url: URL, user: 'alice', password: 'secret', platform: f.platform, ...options });
  const seen = [];
  for (const type of ['ready', 'incoming', 'registration', 'registered', 'registration-failed', 'unregistered', 'missed', 'error']) {
    client.addEventListener(type, (e) => seen.push({ type, ...e.detail }));
  }
  const connected = client.connect();
  const ws = f.WebSocket.sockets.at(-1);
  ws.accept();
  await settle();
  ws.receive({ type: 'ack', id: ws.last('login').id, ...ackFields });
  await connected;
  return { client, f, seen, ws, socket: () => f.WebSocket.sockets.at(-1) };
}

/** The gateway offers a call to this session; resolves the incoming Call and its recorded events. */
async function ringing(c, message = INCOMING) {
  c.ws.receive(message);
  const e = c.seen.filter((x) => x.type === 'incoming').at(-1);
  assert.ok(e, 'an incoming event');
  const events = [];
  for (const type of ['state', 'answered', 'track', 'answered-elsewhere', 'declined-elsewhere', 'cancelled', 'rejected', 'no-answer', 'ended']) {
    e.call.addEventListener(type, (ev) => events.push(type === 'state' ? `state:${ev.detail.state}` : type));
  }
  return { call: e.call, detail: e, events };
}

describe('incoming calls', () => {
  test('an incoming message becomes an incoming event with the caller, the callee, the profile and a ringing call', async () => {
    const c = await loggedIn();
    const { call, detail } = await ringing(c);
    assert.deepEqual({ from: detail.from, fromName: detail.fromName, to: detail.to, profile: detail.profile },
      { from: 'sip:1000@example.org', fromName: 'Bob', to: 'sip:alice@example.org', profile: 'pbx' });
    assert.equal(call.direction, 'incoming');
    assert.equal(call.state, 'incoming');
    assert.equal(call.id, 'c7');
    assert.equal(call.peer, 'Bob');
    assert.equal(c.client.calls.get('c7'), call);
    assert.equal(c.f.mic.requests.length, 0, 'the microphone opens only on accept');
  });

  test('a caller without a display name is named by its URI; a repeated or offer-less incoming is ignored', async () => {
    const c = await loggedIn();
    const { call } = await ringing(c, { ...INCOMING, fromName: null });
    assert.equal(call.fromName, null);
    assert.equal(call.peer, 'sip:1000@example.org');
    c.ws.receive(INCOMING);
    c.ws.receive({ ...INCOMING, call: 'c8', jsep: undefined });
    assert.equal(c.seen.filter((x) => x.type === 'incoming').length, 1);
  });

  test('accept applies the offer, answers, sends accept with the answer, then trickles candidates for that call', async () => {
    const c = await loggedIn();
    const { call, events } = await ringing(c);
    const accepted = call.accept();
    await settle();
    const pc = c.f.RTCPeerConnection.instances[0];
    assert.deepEqual(pc.remoteDescriptions, [OFFER]);
    assert.equal(pc.localDescription.type, 'answer');
    const req = c.ws.last('accept');
    assert.deepEqual(req, { type: 'accept', id: req.id, call: 'c7', jsep: { type: 'answer', sdp: pc.localDescription.sdp } });
    const host = { candidate: 'candidate:1 1 udp 2122194687 192.0.2.2 43214 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    pc.gather(host);
    assert.equal(c.ws.sent.filter((m) => m.type === 'candidate').length, 0, 'candidates wait for the ack');
    c.ws.receive({ type: 'ack', id: req.id, call: 'c7' });
    assert.deepEqual(await accepted, { type: 'ack', id: req.id, call: 'c7' });
    pc.gather(null);
    assert.deepEqual(c.ws.sent.filter((m) => m.type === 'candidate'),
      [{ type: 'candidate', call: 'c7', candidate: host }, { type: 'candidate', call: 'c7', candidate: null }]);
    assert.equal(call.state, 'accepting');

    c.ws.receive({ type: 'answered', call: 'c7' });
    await settle();
    pc.remoteTrack();
    assert.equal(call.state, 'answered');
    assert.ok(call.answeredAt > 0);
    assert.equal(pc.remoteDescriptions.length, 1, 'an answered without jsep applies nothing');
    assert.equal(c.ws.last('hangup'), undefined, 'and is not taken for an unusable answer');
    assert.deepEqual(events, ['state:accepting', 'state:answered', 'answered', 'track']);
  });

  test('an accepted incoming call takes DTMF and hangup by its id, and a BYE from the caller says the other side hung up', async () => {
    const c = await loggedIn();
    const { call, events } = await ringing(c);
    const accepted = call.accept();
    await settle();
    c.ws.receive({ type: 'ack', id: c.ws.last('accept').id, call: 'c7' });
    await accepted;
    c.ws.receive({ type: 'answered', call: 'c7' });
    const tones = call.sendDtmf('5#');
    assert.deepEqual(c.ws.last('dtmf'), { type: 'dtmf', id: c.ws.last('dtmf').id, call: 'c7', digits: '5#' });
    c.ws.receive({ type: 'ack', id: c.ws.last('dtmf').id, call: 'c7' });
    await tones;
    c.ws.receive({ type: 'hangup', call: 'c7', code: 200, reason: 'hung up by remote party' });
    const outcome = await call.ended;
    assert.deepEqual({ message: outcome.message, cause: outcome.cause, local: outcome.local },
      { message: 'The other side hung up.', cause: null, local: false });
    assert.equal(c.f.RTCPeerConnection.instances[0].closed, true);
    assert.equal(c.f.mic.streams[0].tracks[0].stopped, true);
    assert.equal(events.at(-1), 'ended');
  });

  test('answered on another device: an answered-elsewhere event, then ended with that cause; nothing was opened', async () => {
    const c = await loggedIn();
    const { call, events } = await ringing(c);
    c.ws.receive({ type: 'hangup', call: 'c7', code: 200, reason: 'answered elsewhere' });
    const outcome = await call.ended;
    assert.deepEqual(events, ['answered-elsewhere', 'state:ended', 'ended']);
    assert.deepEqual({ code: outcome.code, cause: outcome.cause, message: outcome.message },
      { code: 200, cause: 'answered-elsewhere', message: 'The call was answered on another device.' });
    assert.equal(c.client.calls.size, 0);
    assert.equal(c.f.RTCPeerConnection.instances.length, 0);
  });

  test('the caller cancels while it rings: a cancelled event and a sentence from the callee\'s side', async () => {
    const c = await loggedIn();
    const { call, events } = await ringing(c);
    c.ws.receive({ type: 'hangup', call: 'c7', code: 487, reason: 'cancelled by caller' });
    const outcome = await call.ended;
    assert.deepEqual(events, ['cancelled', 'state:ended', 'ended']);
    assert.equal(outcome.message, 'The caller hung up before the call was answered.');
  });

  test('declined on another device and the ring timeout each have their own cause', async () => {
    const c = await loggedIn();
    const a = await ringing(c);
    c.ws.receive({ type: 'hangup', call: 'c7', code: 603, reason: 'declined elsewhere' });
    assert.equal((await a.call.ended).cause, 'declined-elsewhere');
    const b = await ringing(c, { ...INCOMING, call: 'c8' });
    c.ws.receive({ type: 'hangup', call: 'c8', code: 408, reason: 'no answer within 60 s' });
    const outcome = await b.call.ended;
    assert.deepEqual([outcome.cause, outcome.message], ['no-answer', 'The call was not answered in time.']);
  });

  test('reject sends reject for the call; the gateway\'s hangup 486 ends it as rejected', async () => {
    const c = await loggedIn();
    const { call, events } = await ringing(c);
    const rejected = call.reject();
    const req = c.ws.last('reject');
    assert.deepEqual(req, { type: 'reject', id: req.id, call: 'c7', everywhere: false });
    c.ws.receive({ type: 'ack', id: req.id, call: 'c7' });
    c.ws.receive({ type: 'hangup', call: 'c7', code: 486, reason: 'rejected' });
    const outcome = await rejected;
    assert.deepEqual([outcome.cause, outcome.message, outcome.local], ['rejected', 'You declined the call.', false]);
    assert.deepEqual(events, ['rejected', 'state:ended', 'ended']);
  });

  test('reject everywhere asks for it in the request', async () => {
    const c = await loggedIn();
    const { call } = await ringing(c);
    const rejected = call.reject({ everywhere: true });
    assert.equal(c.ws.last('reject').everywhere, true);
    c.ws.receive({ type: 'ack', id: c.ws.last('reject').id, call: 'c7' });
    c.ws.receive({ type: 'hangup', call: 'c7', code: 603, reason: 'Decline' });
    assert.equal((await rejected).message, 'You declined the call everywhere.');
  });

  test('a reject that crosses the caller\'s cancel (404) is not an error: the cancel is the outcome', async () => {
    const c = await loggedIn();
    const { call } = await ringing(c);
    const rejected = call.reject();
    c.ws.receive({ type: 'hangup', call: 'c7', code: 487, reason: 'cancelled by caller' });
    c.ws.receive({ type: 'error', id: c.ws.last('reject').id, call: 'c7', code: 404, reason: "unknown call 'c7'" });
    assert.equal((await rejected).cause, 'cancelled');
  });

  test('an answer the gateway cannot bridge (488): accept rejects, media is freed, the call still rings and accept works again', async () => {
    const c = await loggedIn();
    const { call, events } = await ringing(c);
    const first = call.accept();
    await settle();
    c.ws.receive({ type: 'error', id: c.ws.last('accept').id, call: 'c7', code: 488, reason: 'accept: no common codec' });
    await assert.rejects(first, (e) => e instanceof PasarelaError && e.kind === 'refused' && e.code === 488);
    assert.equal(call.state, 'incoming');
    assert.equal(c.f.RTCPeerConnection.instances[0].closed, true);
    assert.equal(c.f.mic.streams[0].tracks[0].stopped, true);
    const second = call.accept();
    await settle();
    assert.equal(c.f.RTCPeerConnection.instances.length, 2);
    c.ws.receive({ type: 'ack', id: c.ws.last('accept').id, call: 'c7' });
    await second;
    assert.deepEqual(events, ['state:accepting', 'state:incoming', 'state:accepting']);
  });

  test('accept after the call was answered elsewhere (409) ends the call with a sentence', async () => {
    const c = await loggedIn();
    const { call } = await ringing(c);
    const accepted = call.accept();
    await settle();
    c.ws.receive({ type: 'error', id: c.ws.last('accept').id, call: 'c7', code: 409, reason: 'accept: answered elsewhere' });
    await assert.rejects(accepted, (e) => e.kind === 'refused' && e.code === 409 && e.message === 'The call was answered on another device or is already over.');
    assert.equal(call.state, 'ended');
    assert.equal((await call.ended).message, 'The call was answered on another device or is already over.');
    assert.equal(c.client.calls.size, 0);
  });

  test('microphone denied on accept: rejects with a sentence, sends nothing, and the call still rings (reject can follow)', async () => {
    const c = await loggedIn({}, undefined, { micError: 'NotAllowedError' });
    const { call } = await ringing(c);
    await assert.rejects(call.accept(), (e) => e.kind === 'microphone-denied' && /not allowed to use the microphone/.test(e.message));
    assert.equal(c.ws.last('accept'), undefined);
    assert.equal(call.state, 'incoming');
    const rejected = call.reject();
    c.ws.receive({ type: 'ack', id: c.ws.last('reject').id, call: 'c7' });
    c.ws.receive({ type: 'hangup', call: 'c7', code: 486, reason: 'rejected' });
    assert.equal((await rejected).cause, 'rejected');
  });

  test('the caller cancels while the microphone opens: accept rejects and no accept is sent', async () => {
    const c = await loggedIn();
    const { call } = await ringing(c);
    const accepted = call.accept();
    c.ws.receive({ type: 'hangup', call: 'c7', code: 487, reason: 'cancelled by caller' });
    await assert.rejects(accepted, (e) => e.kind === 'state');
    await settle();
    assert.equal(c.ws.last('accept'), undefined);
    assert.equal((await call.ended).cause, 'cancelled');
  });

  test('accept and reject are refused on calls they do not fit', async () => {
    const c = await loggedIn();
    const outgoing = c.client.call('1000');
    await assert.rejects(outgoing.accept(), (e) => e.kind === 'state');
    await assert.rejects(outgoing.reject(), (e) => e.kind === 'state');
    const { call } = await ringing(c);
    call.accept();
    await assert.rejects(call.accept(), (e) => e.kind === 'state' && e.message === 'The call is already being answered.');
    await assert.rejects(call.reject(), (e) => e.kind === 'state');
  });

  test('a lost WebSocket ends a ringing incoming call locally', async () => {
    const c = await loggedIn({ reconnectMinDelayMs: 100 });
    const { call } = await ringing(c);
    c.ws.drop();
    const outcome = await call.ended;
    assert.deepEqual([outcome.code, outcome.local, outcome.cause], [503, true, null]);
  });
});

describe('registration', () => {
  test('register sends register for the profile and resolves when registered arrives; state and events follow', async () => {
    const c = await loggedIn();
    const registering = c.client.register('echo');
    const req = c.ws.last('register');
    assert.deepEqual(req, { type: 'register', id: req.id, profile: 'echo' });
    assert.equal(c.client.registrations.get('echo').state, 'registering');
    c.ws.receive({ type: 'ack', id: req.id });
    c.ws.receive({ type: 'registered', profile: 'echo', aor: 'sip:alice@example.org', expires: 600 });
    assert.deepEqual(await registering, { profile: 'echo', aor: 'sip:alice@example.org', expires: 600 });
    assert.deepEqual(c.client.registrations.get('echo'), { state: 'registered', aor: 'sip:alice@example.org', expires: 600 });
    assert.deepEqual(c.seen.filter((e) => e.type.startsWith('regist')).map((e) => `${e.type}:${e.state || ''}`),
      ['registration:registering', 'registration:registered', 'registered:']);
  });

  test('register without a profile uses the default profile, whose name the registered message carries', async () => {
    const c = await loggedIn();
    const registering = c.client.register();
    assert.deepEqual(c.ws.last('register'), { type: 'register', id: c.ws.last('register').id });
    c.ws.receive({ type: 'ack', id: c.ws.last('register').id });
    c.ws.receive({ type: 'registered', profile: 'pbx', aor: 'sip:alice@pbx', expires: 60 });
    assert.equal((await registering).profile, 'pbx');
  });

  test('registration-failed rejects with a sentence carrying the SIP code; a later registered is reported', async () => {
    const c = await loggedIn();
    const registering = c.client.register('pbx');
    c.ws.receive({ type: 'ack', id: c.ws.last('register').id });
    c.ws.receive({ type: 'registration-failed', profile: 'pbx', code: 401, reason: 'Unauthorized (credentials refused)' });
    await assert.rejects(registering, (e) => e.kind === 'registration' && e.code === 401
      && e.message.startsWith("The registrar of pbx refused the SIP account's user name or password (SIP 401 Unauthorized (credentials refused))."));
    assert.equal(c.client.registrations.get('pbx').state, 'failed');
    assert.equal(c.seen.find((e) => e.type === 'registration-failed').code, 401);
    c.ws.receive({ type: 'registered', profile: 'pbx', aor: 'sip:alice@pbx', expires: 60 });
    assert.equal(c.client.registrations.get('pbx').state, 'registered');
  });

  test('a verdict in the same breath as the ack is not lost', async () => {
    const c = await loggedIn();
    const registering = c.client.register('pbx');
    c.ws.receive({ type: 'ack', id: c.ws.last('register').id });
    c.ws.receive({ type: 'registration-failed', profile: 'pbx', code: 408, reason: 'no response from 192.0.2.10:5060/UDP' });
    await assert.rejects(registering, (e) => e.kind === 'registration' && /did not answer .*keeps trying by itself/.test(e.message));
    await settle();
    assert.equal(c.client.registrations.get('pbx').state, 'failed', 'the failure is not overwritten by "registering"');
  });

  test('a register the gateway refuses (409: the profile does not register users) rejects and is not retried later', async () => {
    const c = await loggedIn({ reconnectMinDelayMs: 100 });
    const registering = c.client.register('echo');
    c.ws.receive({ type: 'error', id: c.ws.last('register').id, code: 409, reason: "register: profile 'echo' does not register users" });
    await assert.rejects(registering, (e) => e.kind === 'refused' && e.code === 409);
    assert.equal(c.client.registrations.has('echo'), false);
    c.ws.drop();
    await c.f.timers.advance(100);
    const ws2 = c.socket();
    ws2.accept();
    await settle();
    ws2.receive({ type: 'ack', id: ws2.last('login').id, profiles: ['echo', 'pbx'], defaultProfile: 'pbx' });
    await settle();
    assert.equal(ws2.last('register'), undefined);
  });

  test('no verdict within registrationTimeoutMs rejects with timeout', async () => {
    const c = await loggedIn({ registrationTimeoutMs: 5000 });
    const registering = c.client.register('pbx');
    c.ws.receive({ type: 'ack', id: c.ws.last('register').id });
    const rejected = assert.rejects(registering, (e) => e.kind === 'timeout' && /gave no verdict within 5 s/.test(e.message));
    await c.f.timers.advance(5000);
    await rejected;
  });

  test('after a reconnect the client registers again before it is ready, and the state goes registering -> registered', async () => {
    const c = await loggedIn({ reconnectMinDelayMs: 100 });
    const registering = c.client.register('pbx');
    c.ws.receive({ type: 'ack', id: c.ws.last('register').id });
    c.ws.receive({ type: 'registered', profile: 'pbx', aor: 'sip:alice@pbx', expires: 60 });
    await registering;
    c.ws.drop();
    assert.equal(c.client.registrations.get('pbx').state, 'registering');
    await c.f.timers.advance(100);
    const ws2 = c.socket();
    ws2.accept();
    await settle();
    ws2.receive({ type: 'ack', id: ws2.last('login').id, profiles: ['echo', 'pbx'], defaultProfile: 'pbx' });
    await settle();
    const again = ws2.last('register');
    assert.deepEqual(again, { type: 'register', id: again.id, profile: 'pbx' });
    assert.equal(c.client.state, 'reconnecting', 'ready waits for the register ack');
    ws2.receive({ type: 'ack', id: again.id });
    ws2.receive({ type: 'registered', profile: 'pbx', aor: 'sip:alice@pbx', expires: 60 });
    await settle();
    assert.equal(c.client.state, 'ready');
    assert.equal(c.client.registrations.get('pbx').state, 'registered');
    assert.deepEqual(c.seen.filter((e) => e.type === 'registration').map((e) => e.state),
      ['registering', 'registered', 'registering', 'registered']);
  });

  test('a re-registration the gateway refuses after a reconnect is reported and dropped; the client still gets ready', async () => {
    const c = await loggedIn({ reconnectMinDelayMs: 100 });
    const registering = c.client.register('pbx');
    c.ws.receive({ type: 'ack', id: c.ws.last('register').id });
    c.ws.receive({ type: 'registered', profile: 'pbx', aor: 'sip:alice@pbx', expires: 60 });
    await registering;
    c.ws.drop();
    await c.f.timers.advance(100);
    const ws2 = c.socket();
    ws2.accept();
    await settle();
    ws2.receive({ type: 'ack', id: ws2.last('login').id, profiles: ['echo'], defaultProfile: 'echo' });
    await settle();
    ws2.receive({ type: 'error', id: ws2.last('register').id, code: 404, reason: "register: unknown profile 'pbx'" });
    await settle();
    assert.equal(c.client.state, 'ready');
    assert.equal(c.client.registrations.has('pbx'), false);
    assert.match(c.seen.filter((e) => e.type === 'registration-failed').at(-1).message, /^Could not register again with pbx: /);
  });

  test('unregister sends unregister, forgets the state, and is not undone by a reconnect', async () => {
    const c = await loggedIn({ reconnectMinDelayMs: 100 });
    const registering = c.client.register('pbx');
    c.ws.receive({ type: 'ack', id: c.ws.last('register').id });
    c.ws.receive({ type: 'registered', profile: 'pbx', aor: 'sip:alice@pbx', expires: 60 });
    await registering;
    const leaving = c.client.unregister('pbx');
    assert.deepEqual(c.ws.last('unregister'), { type: 'unregister', id: c.ws.last('unregister').id, profile: 'pbx' });
    c.ws.receive({ type: 'ack', id: c.ws.last('unregister').id });
    await leaving;
    assert.equal(c.client.registrations.size, 0);
    assert.deepEqual(c.seen.filter((e) => e.type === 'unregistered'), [{ type: 'unregistered', profile: 'pbx' }]);
    c.ws.drop();
    await c.f.timers.advance(100);
    const ws2 = c.socket();
    ws2.accept();
    await settle();
    ws2.receive({ type: 'ack', id: ws2.last('login').id, profiles: ['pbx'], defaultProfile: 'pbx' });
    await settle();
    assert.equal(ws2.last('register'), undefined);
  });

  test('unregister while register waits for the verdict rejects that register with "state"', async () => {
    const c = await loggedIn();
    const registering = c.client.register('pbx');
    c.ws.receive({ type: 'ack', id: c.ws.last('register').id });
    await settle();
    const leaving = c.client.unregister('pbx');
    await assert.rejects(registering, (e) => e.kind === 'state');
    c.ws.receive({ type: 'error', id: c.ws.last('unregister').id, code: 409, reason: 'unregister: not registered' });
    await leaving;
  });

  test('describeRegistrationFailure says what failed and what happens next', () => {
    assert.equal(describeRegistrationFailure('pbx', 403, 'Forbidden'),
      'The registrar of pbx does not allow this SIP account (SIP 403 Forbidden). Calls to you cannot arrive until it works. The gateway tries again every few minutes.');
    assert.match(describeRegistrationFailure('pbx', 503, 'Service Unavailable'), /cannot be reached .* keeps trying by itself\.$/);
  });
});

describe('history and missed calls', () => {
  test('history sends limit and before and resolves the calls of the history reply with its id', async () => {
    const c = await loggedIn();
    const entry = { id: 'e1', call: 'c3', direction: 'inbound', peer: 'sip:1000@pbx', profile: 'pbx', start: '2025-03-01T09:58:12Z', durationMs: 0, code: 487, reason: 'cancelled by caller', hangupBy: 'remote', missed: true };
    const page = c.client.history({ limit: 20, before: 'e0' });
    const req = c.ws.last('history');
    assert.deepEqual(req, { type: 'history', id: req.id, limit: 20, before: 'e0' });
    c.ws.receive({ type: 'history', id: 'other', calls: [] });
    c.ws.receive({ type: 'history', id: req.id, calls: [entry] });
    assert.deepEqual(await page, [entry]);
    const all = c.client.history();
    assert.deepEqual(c.ws.last('history'), { type: 'history', id: c.ws.last('history').id });
    c.ws.receive({ type: 'history', id: c.ws.last('history').id, calls: [] });
    assert.deepEqual(await all, []);
  });

  test('an unreachable history database rejects history with the gateway\'s 503', async () => {
    const c = await loggedIn();
    const page = c.client.history();
    c.ws.receive({ type: 'error', id: c.ws.last('history').id, code: 503, reason: 'history: database unreachable' });
    await assert.rejects(page, (e) => e.kind === 'refused' && e.code === 503);
  });

  test('a missed message after login becomes a missed event with its calls', async () => {
    const c = await loggedIn();
    const calls = [{ id: 'e9', call: 'c7', direction: 'inbound', peer: 'sip:+34931234567@trunk', profile: 'trunk', start: '2025-03-01T08:00:00Z', durationMs: 0, code: 487, missed: true }];
    c.ws.receive({ type: 'missed', calls });
    assert.deepEqual(c.seen.filter((e) => e.type === 'missed'), [{ type: 'missed', calls }]);
  });
});

describe('sentences for incoming calls', () => {
  test('describeOutcome speaks from the callee\'s side for incoming calls only', () => {
    assert.equal(describeOutcome(487, 'cancelled by caller', 'incoming'), 'The caller hung up before the call was answered.');
    assert.equal(describeOutcome(487, 'cancelled by client'), 'The call was cancelled (SIP 487 cancelled by client).');
    assert.equal(describeOutcome(200, 'answered elsewhere', 'incoming'), 'The call was answered on another device.');
    assert.equal(describeOutcome(200, 'hung up by remote party', 'incoming'), 'The other side hung up.');
  });
});
