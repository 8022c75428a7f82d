'use strict';
// Web users reachable from SIP (issue 4): calls INTO the gateway.
//
// Kamailio (kamailio.cfg here) is registrar and proxy. The gateway registers alice on behalf of her
// browser sessions (real Chromium pages); SIPp, as a SIP caller, calls sip:alice@Kamailio, Kamailio looks
// up the gateway's Contact and relays the INVITE (record-routing, so ACK, BYE and CANCEL go through it).
// The browser answers with a real RTCPeerConnection; SIPp echoes RTP (-rtp_echo), so the browser hears its
// own 440 Hz tone only if media flows both ways through the gateway.
//
// A second profile plays a trunk without a PBX: INVITEs from 127.0.0.3 (inbound.networks) to DIDs
// mapped to web users. 127.0.0.2 plays a stranger. Each case checks both sides: what the browsers got
// and what SIPp saw (its message trace).

const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { startGateway, outDirFor } = require('../lib/gateway');
const { freePort } = require('../lib/ports');
const { startKamailio } = require('../lib/kamailio');
const { launchBrowser } = require('../lib/browser');
const { describeRun } = require('../lib/sipp');
const { WsClient } = require('../lib/wsclient');
const { incomingRig } = require('./rig');

const FILE = '10-incoming';
const OUT = outDirFor(FILE);
const RING_TIMEOUT_S = 6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let kam;
let gw;
let browser;

before(async () => {
  const port = await freePort();
  kam = await startKamailio({ cfg: path.join(__dirname, 'kamailio.cfg'), name: FILE, port });
  gw = await startGateway({
    name: FILE,
    users: { alice: 'web-a', bob: 'web-b', carol: 'web-c' },
    sets: {
      'users.alice.sip-password': 'alice-sip',
      'users.bob.sip-password': 'bob-sip',
      'call.ring-timeout': `${RING_TIMEOUT_S}s`,
      'groups.sales.members': 'alice,carol',
    },
    profiles: {
      kam: {
        proxy: `sip:127.0.0.1:${port}`,
        register: true,
        'register.expires': 60,
        auth: { username: '{user}', password: 'unused' },
        codecs: 'PCMU,PCMA,telephone-event',
      },
      trunk: {
        proxy: 'sip:127.0.0.3:5060',
        codecs: 'PCMU,PCMA,telephone-event',
        'inbound.networks': '127.0.0.3/32',
        'inbound.did.+34931000001': 'alice',
        'inbound.did.+34931000002': 'bob',
        'inbound.did.+34931000003': 'group:sales',
        'inbound.rewrite.1.match': '0034([0-9]+)',
        'inbound.rewrite.1.replace': '+34$1',
      },
    },
    logLevels: { 'org.pasarela.app': 'DEBUG' },
  });
  browser = await launchBrowser({ outDir: OUT, toneHz: 440 });
}, { timeout: 90000 });

const rig = incomingRig({ out: OUT, peers: () => ({ kam, gw, browser }) });
const { caller, closePhone, expectOk } = rig;

/** A Chromium softphone logged in as `user` (and registered with Kamailio if `register`). */
function phoneFor(user, password, { register = true } = {}) {
  return rig.phoneFor(user, password, register ? 'kam' : null);
}

function finalCode(result) {
  const finals = result.messages.filter((m) => m.status !== null && m.status >= 200 && m.cseqMethod === 'INVITE');
  return finals.length ? finals.at(-1).status : null;
}

function statusesOf(result) {
  return result.messages.filter((m) => m.status !== null && m.cseqMethod === 'INVITE').map((m) => m.status);
}

describe('incoming calls through Kamailio', () => {
  test('a registered web user answers a SIP call: 180 while ringing, media both ways, the caller hangs up', { timeout: 60000 }, async (t) => {
    const alice = await phoneFor('alice', 'web-a');
    await kam.waitForContacts('alice', (l) => l.length === 1);
    const sipp = await caller('uac-answer-bye', 'alice');

    const incoming = await alice.waitForMessage('incoming', { timeout: 10000 });
    assert.equal(incoming.profile, 'kam');
    assert.match(incoming.from, /^sip:1000@127\.0\.0\.1/);
    assert.equal(incoming.fromName, 'SIPp Caller');
    assert.equal(incoming.jsep.type, 'offer');
    assert.match(incoming.jsep.sdp, /a=setup:actpass/);
    assert.match(incoming.jsep.sdp, /a=ice-lite/);

    const reply = await alice.accept({ call: incoming.call });
    assert.deepEqual(reply, { type: 'ack', id: reply.id, call: incoming.call });
    await alice.waitForMedia({ timeout: 10000 });
    await alice.waitForMessage('answered', { call: incoming.call, timeout: 10000 });
    const first = await alice.waitForRtp({ timeout: 5000 });
    await sleep(1500);
    const second = await alice.stats();
    const received = second.inbound.packetsReceived - first.inbound.packetsReceived;
    t.diagnostic(`browser received ${received} RTP packets in 1.5 s through gateway and SIPp echo`);
    assert.ok(received >= 40, `the caller's echo came back: ${received} packets in 1.5 s`);
    const heard = (await alice.remoteAudioSamples({ ms: 1000 })).median;
    assert.ok(heard && Math.abs(heard.dominantHz - 440) < 30, `the browser hears its own 440 Hz back: ${JSON.stringify(heard)}`);

    const hangup = await alice.waitForMessage('hangup', { call: incoming.call, timeout: 15000 });
    assert.equal(hangup.code, 200);
    const result = await expectOk(sipp);
    const statuses = statusesOf(result);
    assert.ok(statuses.includes(180), `the caller heard 180 Ringing: ${statuses}`);
    assert.ok(statuses.indexOf(180) < statuses.indexOf(200), `180 before 200: ${statuses}`);
  });

  test('two sessions of alice ring; the first accept wins, the other hears "answered elsewhere"; the browser hangs up with BYE', { timeout: 60000 }, async () => {
    const one = await phoneFor('alice', 'web-a');
    const two = await phoneFor('alice', 'web-a');
    const sipp = await caller('uac-answer-wait-bye', 'alice');
    const a = await one.waitForMessage('incoming', { timeout: 10000 });
    const b = await two.waitForMessage('incoming', { timeout: 10000 });
    assert.equal(a.call, b.call, 'both sessions ring for the same call');

    assert.equal((await two.accept({ call: b.call })).type, 'ack');
    const elsewhere = await one.waitForMessage('hangup', { call: a.call });
    assert.deepEqual([elsewhere.code, elsewhere.reason], [200, 'answered elsewhere']);
    const late = await one.accept({ call: a.call });
    assert.equal(late.type, 'error');
    assert.ok([404, 409].includes(late.code), JSON.stringify(late));

    await two.waitForMedia({ timeout: 10000 });
    await two.waitForRtp({ timeout: 5000 });
    assert.equal((await two.hangup()).type, 'ack');
    const result = await expectOk(sipp);
    assert.ok(result.messages.some((m) => m.method === 'BYE'), describeRun(result));
  });

  test('a CANCEL from the caller stops every ringing session with 487', { timeout: 60000 }, async () => {
    const one = await phoneFor('alice', 'web-a');
    const two = await phoneFor('alice', 'web-a');
    const sipp = await caller('uac-cancel', 'alice', { echo: false });
    const a = await one.waitForMessage('incoming', { timeout: 10000 });
    await two.waitForMessage('incoming', { timeout: 10000 });
    for (const phone of [one, two]) {
      const hangup = await phone.waitForMessage('hangup', { call: a.call, timeout: 10000 });
      assert.deepEqual([hangup.code, hangup.reason], [487, 'cancelled by caller']);
    }
    await expectOk(sipp);
  });

  test('reject: the only ringing session rejecting gives 486; "everywhere" gives 603 and stops the others', { timeout: 60000 }, async () => {
    const only = await phoneFor('alice', 'web-a');
    let sipp = await caller('uac-refused', 'alice', { echo: false });
    await only.waitForMessage('incoming', { timeout: 10000 });
    assert.equal((await only.reject()).type, 'ack');
    assert.equal(finalCode(await expectOk(sipp)), 486);
    await closePhone(only);

    const one = await phoneFor('alice', 'web-a');
    const two = await phoneFor('alice', 'web-a');
    sipp = await caller('uac-refused', 'alice', { echo: false });
    const a = await one.waitForMessage('incoming', { timeout: 10000 });
    await two.waitForMessage('incoming', { timeout: 10000 });
    assert.equal((await one.reject({ call: a.call, everywhere: true })).type, 'ack');
    const other = await two.waitForMessage('hangup', { call: a.call });
    assert.deepEqual([other.code, other.reason], [603, 'declined elsewhere']);
    assert.equal(finalCode(await expectOk(sipp)), 603);
  });

  test(`nobody answers within call.ring-timeout (${RING_TIMEOUT_S} s): the caller gets 480, the session hangup 408`, { timeout: 60000 }, async () => {
    const alice = await phoneFor('alice', 'web-a');
    const sipp = await caller('uac-refused', 'alice', { echo: false });
    const incoming = await alice.waitForMessage('incoming', { timeout: 10000 });
    const hangup = await alice.waitForMessage('hangup', { call: incoming.call, timeout: (RING_TIMEOUT_S + 5) * 1000 });
    assert.equal(hangup.code, 408);
    assert.equal(finalCode(await expectOk(sipp)), 480);
  });
});

describe('a trunk without a PBX: DIDs mapped to web users', () => {
  test('a call from the trunk network to a DID (after 0034 -> +34 rewriting) rings the mapped user', { timeout: 60000 }, async () => {
    const alice = await phoneFor('alice', 'web-a', { register: false });
    const sipp = await caller('uac-answer-bye', '0034931000001', { direct: true, host: '127.0.0.3' });
    const incoming = await alice.waitForMessage('incoming', { timeout: 10000 });
    assert.equal(incoming.profile, 'trunk');
    assert.equal((await alice.accept({ call: incoming.call })).type, 'ack');
    await alice.waitForMedia({ timeout: 10000 });
    await alice.waitForRtp({ timeout: 5000 });
    await alice.waitForMessage('hangup', { call: incoming.call, timeout: 15000 });
    await expectOk(sipp);
  });

  test('a DID mapped to a group rings every member; a member answers', { timeout: 60000 }, async () => {
    const alice = await phoneFor('alice', 'web-a', { register: false });
    const carol = await phoneFor('carol', 'web-c', { register: false });
    const sipp = await caller('uac-answer-bye', '+34931000003', { direct: true, host: '127.0.0.3' });
    const a = await alice.waitForMessage('incoming', { timeout: 10000 });
    await carol.waitForMessage('incoming', { timeout: 10000 });
    assert.equal((await carol.accept({ call: a.call })).type, 'ack');
    const elsewhere = await alice.waitForMessage('hangup', { call: a.call });
    assert.equal(elsewhere.reason, 'answered elsewhere');
    await carol.waitForMedia({ timeout: 10000 });
    await expectOk(sipp);
  });

  test('bob is offline: 480, and bob hears of the missed call at his next login', { timeout: 60000 }, async () => {
    const sipp = await caller('uac-refused', '+34931000002', { direct: true, host: '127.0.0.3', echo: false });
    assert.equal(finalCode(await expectOk(sipp)), 480);
    const ws = await WsClient.connect(gw.wsUrl);
    const login = ws.request({ type: 'login', user: 'bob', password: 'web-b' });
    assert.equal((await ws.response(login)).type, 'ack');
    const missed = await ws.next('missed', { timeout: 5000 });
    assert.equal(missed.calls.length, 1, JSON.stringify(missed));
    assert.equal(missed.calls[0].direction, 'inbound');
    assert.equal(missed.calls[0].missed, true);
    assert.equal(missed.calls[0].profile, 'trunk');
    ws.close();
  });

  test('unknown DIDs from the trunk get 404; a stranger gets 403 for known and unknown numbers alike', { timeout: 60000 }, async () => {
    const unknown = await caller('uac-refused', '+34931999999', { direct: true, host: '127.0.0.3', echo: false });
    assert.equal(finalCode(await expectOk(unknown)), 404);
    const logFrom = gw.logText().length;
    const known = await caller('uac-refused', '+34931000001', { direct: true, host: '127.0.0.2', echo: false });
    const r1 = await expectOk(known);
    const stranger = await caller('uac-refused', '+34931999999', { direct: true, host: '127.0.0.2', echo: false });
    const r2 = await expectOk(stranger);
    assert.deepEqual([finalCode(r1), finalCode(r2)], [403, 403]);
    const reasons = [r1, r2].map((r) => r.messages.filter((m) => m.status !== null && m.status === 403).map((m) => m.reason)[0]);
    assert.equal(reasons[0], reasons[1], 'the same answer whether the number exists or not');
    await gw.waitForLog(/SecurityEvent="InboundRefused".*RemoteAddress="IPV4\/UDP\/127\.0\.0\.2\//, { from: logFrom });
  });
});

describe('call history of incoming calls', () => {
  test('alice\'s history shows her incoming calls: answered, cancelled, rejected and unanswered, missed marked', async () => {
    const ws = await WsClient.connect(gw.wsUrl);
    assert.equal((await ws.response(ws.request({ type: 'login', user: 'alice', password: 'web-a' }))).type, 'ack');
    ws.request({ type: 'history', limit: 50 });
    const reply = await ws.next('history', { timeout: 5000 });
    const inbound = reply.calls.filter((c) => c.direction === 'inbound');
    const byCode = (code) => inbound.filter((c) => c.code === code);
    assert.ok(inbound.length >= 8, `inbound calls recorded: ${JSON.stringify(inbound)}`);
    const answered = inbound.filter((c) => c.answer);
    assert.ok(answered.length >= 3, JSON.stringify(inbound));
    for (const c of answered) assert.equal(c.missed, false, JSON.stringify(c));
    assert.ok(byCode(487).every((c) => c.missed && !c.answer), JSON.stringify(byCode(487)));
    assert.ok(byCode(487).length >= 1);
    assert.ok(byCode(480).some((c) => c.missed), `ring timeout is a missed call: ${JSON.stringify(inbound)}`);
    const declined = [...byCode(486), ...byCode(603)];
    assert.ok(byCode(486).length >= 1 && byCode(603).length >= 1, JSON.stringify(inbound));
    for (const c of declined) assert.deepEqual([c.missed, c.hangupBy], [false, 'client'], `declined by the user, not missed: ${JSON.stringify(c)}`);
    const elsewhere = inbound.filter((c) => c.reason === 'answered elsewhere');
    assert.ok(elsewhere.length >= 1, `the group call answered by carol: ${JSON.stringify(inbound)}`);
    for (const c of elsewhere) assert.equal(c.missed, false, JSON.stringify(c));
    ws.close();
  });
});
