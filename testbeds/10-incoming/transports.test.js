'use strict';
// Incoming calls over SIP/TCP and SIP/TLS (issue 4), and a late-offer caller.
//
// The same Kamailio config as incoming.test.js, started with -A WITH_TLS: it also listens on TCP and on
// TLS with a certificate from a throwaway CA (testbeds/lib/testpki.js) that the gateway's tls.truststore
// holds; Kamailio checks the gateway's certificate against the same CA. Profile kamtcp registers alice over
// TCP, profile kamtls registers bob over TLS. Kamailio stores each Contact as sent (;transport=tcp|tls and
// the gateway's listening port) and relays a caller's INVITE on a new connection it opens to that port (the
// REGISTER's connection comes from an ephemeral port of the gateway, so Kamailio does not reuse it): the
// gateway sees the INVITE come from 127.0.0.1 (Kamailio, its proxy) over TCP or TLS, and answers with a
// Contact on the same transport. SIPp (no TLS in Debian's build) calls over TCP or UDP; Kamailio
// record-routes, so ACK, BYE and CANCEL cross the same transports. The Chromium page answers; SIPp echoes
// RTP, so the browser hears its own 440 Hz tone only if media flows both ways.
//
// Also: a caller whose INVITE has no SDP (late offer, uac-late-offer.xml), and Kamailio dying while a call
// rings (the call ends by the ring timeout and leaves no leg, call or media socket behind).

const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startGateway, outDirFor } = require('../lib/gateway');
const { freePort } = require('../lib/ports');
const { startKamailio } = require('../lib/kamailio');
const { launchBrowser } = require('../lib/browser');
const { makePki } = require('../lib/testpki');
const { describeRun } = require('../lib/sipp');
const { incomingRig } = require('./rig');

const FILE = '10-incoming-transports';
const OUT = outDirFor(FILE);
const RING_TIMEOUT_S = 5;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let pki;
let kam;
let gw;
let browser;

before(async () => {
  pki = makePki();
  const ca = pki.ca('pasarela-test-ca');
  const kamCert = pki.leaf('kamailio', ca, ['IP:127.0.0.1']);
  const gwCert = pki.leaf('gateway', ca, ['IP:127.0.0.1'], { keyFormat: 'ec' });
  const port = await freePort();
  const tlsPort = await freePort();
  const tlsCfg = path.join(OUT, 'kamailio-tls.cfg');
  fs.writeFileSync(tlsCfg, [
    '[server:default]', 'method = TLSv1.2+', 'verify_certificate = no', 'require_certificate = no',
    `certificate = ${kamCert.cert}`, `private_key = ${kamCert.key}`, `ca_list = ${ca.cert}`, '',
    // Kamailio connecting to the gateway (to relay an INVITE) checks its certificate against the test CA.
    '[client:default]', 'method = TLSv1.2+', 'verify_certificate = yes', 'require_certificate = yes',
    `ca_list = ${ca.cert}`, '',
  ].join('\n'));
  kam = await startKamailio({
    cfg: path.join(__dirname, 'kamailio.cfg'), name: FILE, port,
    vars: { TLSPORT: tlsPort, TLSCFG: tlsCfg }, defines: ['WITH_TLS'],
  });
  kam.tlsPort = tlsPort;
  const registering = { register: true, 'register.expires': 60, auth: { username: '{user}', password: 'unused' }, codecs: 'PCMU,PCMA,telephone-event' };
  gw = await startGateway({
    name: FILE,
    users: { alice: 'web-a', bob: 'web-b' },
    sets: {
      'users.alice.sip-password': 'alice-sip',
      'users.bob.sip-password': 'bob-sip',
      'call.ring-timeout': `${RING_TIMEOUT_S}s`,
      'sip.transports': 'udp,tcp,tls',
      'sip.tls.port': String(await freePort()),
      'tls.certificate': gwCert.cert,
      'tls.key': gwCert.key,
      'tls.truststore': ca.cert,
    },
    profiles: {
      kamtcp: { proxy: `sip:127.0.0.1:${port}`, transport: 'TCP', ...registering },
      kamtls: { proxy: `sips:127.0.0.1:${tlsPort}`, transport: 'TLS', ...registering },
      // Kamailio relays calls for this one on the REGISTER's own TLS connection (kamailio.cfg: *reuse).
      kamtlsreuse: { proxy: `sips:127.0.0.1:${tlsPort}`, transport: 'TLS', ...registering },
    },
    logLevels: { 'org.pasarela.app': 'DEBUG' },
  });
  browser = await launchBrowser({ outDir: OUT, toneHz: 440 });
}, { timeout: 90000 });

const { phoneFor, closePhone, caller, expectOk } = incomingRig({
  out: OUT, peers: () => ({ kam, gw, browser }), cleanUp: () => pki && pki.remove(),
});

/** The INVITE lines Kamailio logged relaying to `user` (INVITE-OUT ruri=...). */
function relayedInvites(user) {
  return [...kam.logText().matchAll(/INVITE-OUT ruri=(\S+)/g)].map((m) => m[1]).filter((u) => u.startsWith(`sip:${user}@`));
}

/** Answers, checks the browser hears its own tone back through the gateway and SIPp's echo; returns the call id. */
async function answerAndHearEcho(t, phone) {
  const incoming = await phone.waitForMessage('incoming', { timeout: 10000 });
  assert.equal(incoming.jsep.type, 'offer');
  assert.equal((await phone.accept({ call: incoming.call })).type, 'ack');
  await phone.waitForMedia({ timeout: 10000 });
  await phone.waitForMessage('answered', { call: incoming.call, timeout: 10000 });
  const first = await phone.waitForRtp({ timeout: 5000 });
  await sleep(1500);
  const received = (await phone.stats()).inbound.packetsReceived - first.inbound.packetsReceived;
  t.diagnostic(`browser received ${received} RTP packets in 1.5 s through gateway and SIPp echo`);
  assert.ok(received >= 40, `the caller's echo came back: ${received} packets in 1.5 s`);
  const heard = (await phone.remoteAudioSamples({ ms: 1000 })).median;
  assert.ok(heard && Math.abs(heard.dominantHz - 440) < 30, `the browser hears its own 440 Hz back: ${JSON.stringify(heard)}`);
  return incoming;
}

/** /health until incomingCalls, sipLegs, sipInboundLegs and mediaSockets are 0 (the call's resources are released). */
async function expectNothingLeft() {
  const deadline = Date.now() + 10000;
  let h;
  for (;;) {
    h = await gw.health();
    if (h.incomingCalls === 0 && h.sipLegs === 0 && h.mediaSockets === 0 && h.sipInboundLegs === 0) return h;
    if (Date.now() > deadline) assert.fail(`resources left after the call: ${JSON.stringify(h)}`);
    await sleep(200);
  }
}

describe('registration and incoming calls over TCP and TLS', () => {
  // TCP: the caller (SIPp over TCP) hangs up. TLS: the browser hangs up, so the gateway's BYE goes out over TLS
  // along the Record-Route toward Kamailio (whose certificate it checks), and SIPp (over UDP) answers it.
  for (const c of [
    { name: 'TCP', user: 'alice', password: 'web-a', profile: 'kamtcp', proto: 'tcp', sippTransport: 'tcp', scenario: 'uac-answer-bye', byeFrom: 'caller', port: () => gw.sipPort },
    { name: 'TLS', user: 'bob', password: 'web-b', profile: 'kamtls', proto: 'tls', sippTransport: 'udp', scenario: 'uac-answer-wait-bye', byeFrom: 'browser', port: () => Number(gw.settings.get('sip.tls.port')) },
  ]) {
    test(`${c.name}: ${c.user} registers over ${c.name} (Contact ;transport=${c.proto}), a SIPp call over ${c.sippTransport.toUpperCase()} reaches the page over ${c.name}, media both ways, the ${c.byeFrom} hangs up`, { timeout: 60000 }, async (t) => {
      const phone = await phoneFor(c.user, c.password, c.profile);
      const [contact] = await kam.waitForContacts(c.user, (l) => l.length === 1);
      assert.match(contact, new RegExp(`^sip:${c.user}@127\\.0\\.0\\.1:${c.port()};`), contact);
      assert.match(contact, new RegExp(`;transport=${c.proto}(;|$)`), contact);
      assert.match(contact, new RegExp(`;pasarela-profile=${c.profile}(;|$)`), contact);
      const registers = kam.registers({ user: c.user });
      assert.ok(registers.length >= 1 && registers.every((r) => r.proto === c.proto), `REGISTERs arrived over ${c.proto}: ${JSON.stringify(registers)}`);

      const sipp = await caller(c.scenario, c.user, { transport: c.sippTransport });
      const incoming = await answerAndHearEcho(t, phone);
      assert.equal(incoming.profile, c.profile);
      // Two connections between Kamailio and the gateway: the REGISTER's (the gateway's, from an ephemeral port)
      // and the one Kamailio opened to the Contact's port to relay the INVITE (core.tcp_list: src = the peer).
      const conns = (await kam.connections()).filter((k) => k.type === c.proto.toUpperCase());
      const kamPort = c.proto === 'tls' ? kam.tlsPort : kam.port;
      assert.ok(conns.some((k) => Number(k.src_port) === c.port()), `Kamailio connected to the gateway's ${c.name} port ${c.port()}: ${JSON.stringify(conns)}`);
      assert.ok(conns.some((k) => Number(k.dst_port) === kamPort && Number(k.src_port) !== c.port()), `the REGISTER's own connection: ${JSON.stringify(conns)}`);
      assert.match(incoming.from, /^sip:1000@127\.0\.0\.1/);

      if (c.byeFrom === 'browser') assert.equal((await phone.hangup()).type, 'ack');
      const hangup = await phone.waitForMessage('hangup', { call: incoming.call, timeout: 15000 });
      assert.equal(hangup.code, 200);
      const result = await expectOk(sipp);
      const ok = result.messages.find((m) => m.status === 200 && m.cseqMethod === 'INVITE');
      assert.match(ok.header('contact'), new RegExp(`127\\.0\\.0\\.1:${c.port()};transport=${c.proto}`, 'i'), `the gateway's Contact is on the transport the INVITE came over: ${ok.header('contact')}`);
      assert.ok(ok.headerAll('record-route').join(',').toLowerCase().includes(`transport=${c.proto}`), `Kamailio record-routed toward the gateway over ${c.proto}: ${ok.headerAll('record-route')}`);
      const relayed = relayedInvites(c.user);
      assert.ok(relayed.length >= 1 && relayed.every((u) => u.includes(`transport=${c.proto}`)), relayed.join('\n'));
      if (c.byeFrom === 'browser') assert.ok(result.messages.some((m) => m.method === 'BYE'), describeRun(result));
      await expectNothingLeft();
    });
  }
});

describe('a registrar that relays calls on the REGISTER\'s own TLS connection', () => {
  test('alice registers over TLS as if behind NAT (Kamailio keeps the source as received): the INVITE comes back on that connection, the page answers, media both ways', { timeout: 60000 }, async (t) => {
    const phone = await phoneFor('alice', 'web-a', 'kamtlsreuse');
    await kam.waitForContacts('alice', (l) => l.length === 1);
    const sipp = await caller('uac-answer-bye', 'alice');
    const incoming = await answerAndHearEcho(t, phone);
    assert.equal(incoming.profile, 'kamtlsreuse');
    const tlsPort = Number(gw.settings.get('sip.tls.port'));
    // (The ACK and BYE follow the 200's Contact, the gateway's TLS port: Kamailio opens a connection there for them.)
    const conns = (await kam.connections()).filter((k) => k.type === 'TLS');
    const [relayed] = [...kam.logText().matchAll(/INVITE-OUT ruri=(\S+) du=(\S+)/g)].filter((m) => m[1].includes('pasarela-profile=kamtlsreuse'));
    assert.ok(relayed, 'Kamailio relayed the INVITE');
    const du = /^sip:127\.0\.0\.1:(\d+);transport=tls$/.exec(relayed[2]);
    assert.ok(du && Number(du[1]) !== tlsPort, `sent to the REGISTER's source port, not the Contact's: ${relayed[2]}`);
    assert.ok(conns.some((k) => k.src_port === du[1] && Number(k.dst_port) === kam.tlsPort), `the REGISTER's connection carried it: ${JSON.stringify(conns)}`);
    await phone.waitForMessage('hangup', { call: incoming.call, timeout: 15000 });
    await expectOk(sipp);
    await expectNothingLeft();
  });
});

describe('a late-offer caller (INVITE without SDP)', () => {
  test('the page gets the gateway\'s offer, the 200 carries the gateway\'s SIP offer, the ACK the answer; the browser hears its own tone', { timeout: 60000 }, async (t) => {
    const phone = await phoneFor('bob', 'web-b', 'kamtls');
    const sipp = await caller('uac-late-offer', 'bob');
    const incoming = await answerAndHearEcho(t, phone);
    assert.match(incoming.jsep.sdp, /a=setup:actpass/);
    assert.match(incoming.fromName, /SIPp Late/);
    await phone.waitForMessage('hangup', { call: incoming.call, timeout: 15000 });
    const result = await expectOk(sipp);
    const invite = result.messages.find((m) => m.method === 'INVITE');
    assert.equal(invite.body.trim(), '', 'the INVITE had no SDP');
    const ok = result.messages.find((m) => m.status === 200 && m.cseqMethod === 'INVITE');
    assert.match(ok.body, /^m=audio \d+ RTP\/AVP \d+/m, `the 200 carries a plain-RTP offer: ${ok.body}`);
    assert.doesNotMatch(ok.body, /a=fingerprint|a=ice-/, 'the SIP offer has no WebRTC attributes');
    const ack = result.messages.find((m) => m.method === 'ACK');
    assert.match(ack.body, /^m=audio \d+ RTP\/AVP \d+/m, `the ACK carries the answer: ${ack.body}`);
    await expectNothingLeft();
  });
});

describe('a call that rings over TLS and is not answered', () => {
  test('the caller\'s CANCEL crosses TLS: the page gets 487, the caller 200 and 487', { timeout: 60000 }, async () => {
    const phone = await phoneFor('bob', 'web-b', 'kamtls');
    const sipp = await caller('uac-cancel', 'bob', { echo: false });
    const incoming = await phone.waitForMessage('incoming', { timeout: 10000 });
    const hangup = await phone.waitForMessage('hangup', { call: incoming.call, timeout: 10000 });
    assert.deepEqual([hangup.code, hangup.reason], [487, 'cancelled by caller']);
    await expectOk(sipp);
    await expectNothingLeft();
  });

  test(`nobody answers within ${RING_TIMEOUT_S} s: the caller gets 480 over TLS and UDP, the page 408`, { timeout: 60000 }, async () => {
    const phone = await phoneFor('bob', 'web-b', 'kamtls');
    const sipp = await caller('uac-refused', 'bob', { echo: false });
    const incoming = await phone.waitForMessage('incoming', { timeout: 10000 });
    const hangup = await phone.waitForMessage('hangup', { call: incoming.call, timeout: (RING_TIMEOUT_S + 5) * 1000 });
    assert.equal(hangup.code, 408);
    const result = await expectOk(sipp);
    assert.deepEqual(result.messages.filter((m) => m.status >= 200 && m.cseqMethod === 'INVITE').map((m) => m.status), [480]);
    await expectNothingLeft();
  });
});

// Kamailio is stopped while the call rings: the connection it opened to the gateway dies with it, and the
// caller's CANCEL could not get through any more (a restarted Kamailio has no transaction to match it to), so
// the ring timeout ends the call; the 480 has nowhere to go. Then Kamailio comes back (usrloc in memory: empty)
// and the same user registers again over a fresh connection, and a call reaches the page.
describe('the registrar dies while a call rings', () => {
  for (const c of [
    { name: 'TCP', user: 'alice', password: 'web-a', profile: 'kamtcp' },
    { name: 'TLS', user: 'bob', password: 'web-b', profile: 'kamtls' },
  ]) {
    test(`${c.name}: Kamailio stopped mid-ring: the ring timeout (${RING_TIMEOUT_S} s) ends the call, nothing is left behind; once it is back a new registration and call work`, { timeout: 60000 }, async (t) => {
      const phone = await phoneFor(c.user, c.password, c.profile);
      const sipp = await caller('uac-refused', c.user, { echo: false, timeout: '30s' });
      const incoming = await phone.waitForMessage('incoming', { timeout: 10000 });
      await kam.stop();
      const hangup = await phone.waitForMessage('hangup', { call: incoming.call, timeout: (RING_TIMEOUT_S + 5) * 1000 });
      assert.equal(hangup.code, 408, JSON.stringify(hangup));
      await sipp.stop(); // its proxy is gone: nothing more can reach it
      await expectNothingLeft();

      await kam.start();
      await closePhone(phone);
      const again = await phoneFor(c.user, c.password, c.profile);
      await kam.waitForContacts(c.user, (l) => l.length === 1);
      const next = await caller('uac-answer-bye', c.user);
      await answerAndHearEcho(t, again);
      await expectOk(next);
      await expectNothingLeft();
    });
  }
});
