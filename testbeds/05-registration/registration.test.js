'use strict';
// Web users reachable from SIP (issue 4): the gateway REGISTERs each web user with Kamailio
// (kamailio.cfg here: digest auth, usrloc in memory) on the user's behalf. Each case checks both
// sides: the JSON the WebSocket client got, and what Kamailio saw (its REGISTER log lines) and holds
// (kamcmd ul.dump).
//
// alice has her own SIP password (users.alice.sip-password); bob falls back to the profile's shared
// auth.password, which is wrong, so Kamailio refuses him. register.expires = 10 so refreshes are seen
// within seconds (Kamailio's min_expires is 5 in this cfg).

const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { startGateway } = require('../lib/gateway');
const { freePort } = require('../lib/ports');
const { startKamailio } = require('../lib/kamailio');
const { WsClient } = require('../lib/wsclient');

const FILE = '05-registration';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// One Kamailio and one gateway for the file (hooks at file level, so each describe stays under the
// runner's per-suite timeout); the outage case is a describe of its own.
let kam;
let gw;
const failed = [];

{
  before(async () => {
    const port = await freePort();
    kam = await startKamailio({ cfg: path.join(__dirname, 'kamailio.cfg'), name: FILE, port });
    gw = await startGateway({
      name: FILE,
      users: { alice: 'web-a', bob: 'web-b' },
      sets: { 'users.alice.sip-password': 'alice-sip' },
      profiles: {
        kam: {
          proxy: `sip:127.0.0.1:${port}`,
          register: true,
          'register.expires': 10,
          auth: { username: '{user}', password: 'wrong-shared-password' },
        },
        plain: { proxy: `sip:127.0.0.1:${port}` },
      },
      logLevels: { 'org.pasarela.app.Registrations': 'DEBUG' },
    });
  });
  afterEach((t) => { if (!t.passed) failed.push(t.name); });
  after(async () => {
    if (failed.length && gw) gw.dumpLog(`failed: ${failed.join(', ')}`);
    if (failed.length && kam) process.stderr.write(`\n===== kamailio log: ${kam.logFile} =====\n${kam.logText().slice(-4000)}\n`);
    if (gw) await gw.stop();
    if (kam) await kam.stop();
  });
}

async function session(user, password) {
  const ws = await WsClient.connect(gw.wsUrl);
  const login = ws.request({ type: 'login', user, password });
  assert.equal((await ws.response(login)).type, 'ack');
  return ws;
}

async function register(ws, profile = 'kam') {
  const id = ws.request({ type: 'register', profile });
  assert.deepEqual(await ws.response(id), { type: 'ack', id });
}

describe('registration with Kamailio', () => {

  test('register before login is refused with 401, a profile that does not register with 409', async () => {
    const ws = await WsClient.connect(gw.wsUrl);
    const early = ws.request({ type: 'register', profile: 'kam' });
    const refused = await ws.response(early);
    assert.equal(refused.code, 401);
    assert.equal((await ws.response(ws.request({ type: 'login', user: 'alice', password: 'web-a' }))).type, 'ack');
    const plain = await ws.response(ws.request({ type: 'register', profile: 'plain' }));
    assert.deepEqual([plain.type, plain.code], ['error', 409]);
    assert.match(plain.reason, /does not register users \(register = false\)/);
    const unknown = await ws.response(ws.request({ type: 'register', profile: 'nope' }));
    assert.deepEqual([unknown.type, unknown.code], ['error', 404]);
    ws.close();
  });

  test('alice registers, Kamailio holds her contact, and the binding is refreshed on one Call-ID', async () => {
    const ws = await session('alice', 'web-a');
    await register(ws);
    const registered = await ws.next('registered', { timeout: 5000 });
    assert.deepEqual(registered, { type: 'registered', profile: 'kam', aor: 'sip:alice@127.0.0.1', expires: 10 });
    const contacts = await kam.waitForContacts('alice', (l) => l.length === 1);
    assert.match(contacts[0], new RegExp(`^sip:alice@127\\.0\\.0\\.1:${gw.sipPort};transport=udp;pasarela-user=alice;pasarela-profile=kam`));

    // Refresh at half of 10 s: within 12 s Kamailio sees at least two more authenticated REGISTERs.
    const before = kam.registers({ user: 'alice' }).length;
    await sleep(12000);
    const seen = kam.registers({ user: 'alice' });
    const refreshes = seen.slice(before).filter((r) => r.auth && r.expires === '10');
    assert.ok(refreshes.length >= 2, `expected >= 2 refreshes in 12 s, saw ${JSON.stringify(seen.slice(before))}`);
    assert.equal(new Set(seen.map((r) => r.callid)).size, 1, 'one Call-ID for the registration and its refreshes');
    const cseqs = seen.map((r) => r.cseq);
    assert.deepEqual(cseqs, [...cseqs].sort((a, b) => a - b), 'CSeq increases');
    assert.equal((await kam.contacts('alice')).length, 1);
    await ws.expectNone((m) => m.type === 'registered' || m.type === 'registration-failed', 0);

    // Last session gone -> REGISTER Expires: 0 and the contact is removed.
    ws.close();
    await kam.waitForContacts('alice', (l) => l.length === 0);
    assert.equal(kam.registers({ user: 'alice' }).at(-1).expires, '0');
    assert.equal((await gw.health()).registrations, 0);
  });

  test('two sessions of one user share one registration; it ends with the last of them', async () => {
    const first = await session('alice', 'web-a');
    const second = await session('alice', 'web-a');
    const start = kam.registers({ user: 'alice' }).length;
    await register(first);
    await first.next('registered');
    await register(second);
    // The second session gets the state at once, without a new REGISTER.
    assert.equal((await second.next('registered', { timeout: 2000 })).aor, 'sip:alice@127.0.0.1');
    const calls = new Set(kam.registers({ user: 'alice' }).slice(start).map((r) => r.callid));
    assert.equal(calls.size, 1);
    assert.equal((await kam.contacts('alice')).length, 1);
    assert.equal((await gw.health()).registrations, 1);

    first.close();
    await sleep(1500);
    assert.equal((await kam.contacts('alice')).length, 1, 'closing one session keeps the registration');
    assert.notEqual(kam.registers({ user: 'alice' }).at(-1).expires, '0');

    second.close();
    await kam.waitForContacts('alice', (l) => l.length === 0);
  });

  test('a wrong password gives registration-failed 401 and no retry storm', async () => {
    const ws = await session('bob', 'web-b');
    const start = kam.registers({ user: 'bob' }).length;
    await register(ws);
    const failure = await ws.next('registration-failed', { timeout: 5000 });
    assert.equal(failure.profile, 'kam');
    assert.ok([401, 403].includes(failure.code), JSON.stringify(failure));
    await sleep(10000);
    const seen = kam.registers({ user: 'bob' }).slice(start);
    assert.ok(seen.length <= 2, `at most the REGISTER and one answer to its challenge in 10 s, saw ${seen.length}`);
    assert.deepEqual(await kam.contacts('bob'), []);
    await ws.expectNone((m) => m.type === 'registration-failed' || m.type === 'registered', 0);
    ws.close();
  });

});

describe('registrar outage', () => {
  test('registrar outage: the gateway reports 408 and re-registers by itself when Kamailio is back', { timeout: 90000 }, async () => {
    const ws = await session('alice', 'web-a');
    await register(ws);
    await ws.next('registered', { timeout: 5000 });
    await kam.stop();
    const t0 = Date.now();
    // The next refresh (<= 5 s) goes unanswered until Timer F (32 s).
    const failure = await ws.next('registration-failed', { timeout: 45000 });
    assert.equal(failure.code, 408);
    await kam.start(); // same port, empty location table
    const back = Date.now();
    const again = await ws.next('registered', { timeout: 15000 });
    assert.equal(again.expires, 10);
    await kam.waitForContacts('alice', (l) => l.length === 1);
    process.stdout.write(`# outage: failure reported after ${back - t0} ms, re-registered ${Date.now() - back} ms after the restart\n`);
    ws.close();
    await kam.waitForContacts('alice', (l) => l.length === 0);
  });
});
