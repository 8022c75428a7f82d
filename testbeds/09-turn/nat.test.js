'use strict';
// A browser behind a NAT whose firewall blocks every direct path to the gateway's media ports
// completes a call with media through coturn, using the TURN credentials from the login ack.
//
// Topology (lib/netns.js; N = this Node process's PID):
//
//   root namespace 10.77.0.1          pasarela-nat-N-router                pasarela-nat-N-home
//   gateway (HTTP/WS, media, echo)    10.77.0.2 | 10.78.0.1                10.78.0.2
//   coturn (listening + relay)  <-->  MASQUERADE 10.78.0.0/24 -> 10.77.0.2  <-->  Chromium
//   softphone page server             FORWARD policy DROP; allowed: TCP to the gateway's HTTP port
//                                     and the page's port, UDP to coturn's port, replies; counted
//                                     DROP of UDP to the gateway's media ports ("direct-media")
//
// Chromium runs inside the home namespace: Playwright's launch() starts a wrapper script that execs
// `ip netns exec <home> /usr/bin/chromium ...`, which changes namespace and execs in place, so
// Playwright's pipe (fds 3/4) and the PID it started stay Chromium's. The page comes from
// http://10.77.0.1:<port>, not a secure context, so Chromium is told to treat that origin as one
// (getUserMedia). The gateway's plain HTTP listener is on 10.77.0.1 (http.allow-plain = true, as it
// is not loopback); its media address is 10.77.0.1 too, so its ICE host candidate is only reachable
// through the router, where the firewall drops it.
//
// (1) No TURN: the gateway answers, Chromium's connectivity checks to 10.77.0.1:<media port> die in
//     the router (the direct-media DROP counter grows), ICE never leaves 'checking', and the gateway
//     ends the call with 408 "media lost: no ICE connectivity check ... reached" when its DTLS handshake
//     deadline (10 s) passes.
// (2) TURN from the login ack, ICE policy 'all': Chromium still tries the direct pair (dropped), the
//     relay pair connects, RTP flows both ways through coturn, which saw the browser only as the
//     router's 10.77.0.2 (the NAT at work) and logs the allocation and permission.
// (3) Everything is torn down: no namespace, veth or iptables rule of this run is left, and the root
//     namespace's iptables rules are as before.
//
// Needs root, iproute2 and iptables (testbeds/install.sh). Where network namespaces cannot be made,
// the file fails with that reason; it does not skip.

const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startGateway, outDirFor } = require('../lib/gateway');
const { launchBrowser } = require('../lib/browser');
const { startCoturn } = require('../lib/coturn');
const { createNat, rootRules } = require('../lib/netns');

const FILE = '09-turn-nat';
const SECRET = 'testbed-turn-nat-secret-0123456789';

/** The selected candidate pair of the page's peer connection, with both candidates. */
function selectedPair(phone) {
  return phone.page.evaluate(async () => {
    const report = await window.softphone.pc.getStats();
    let pair = null;
    report.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId); });
    if (!pair) return null;
    const pick = (c) => c && { type: c.candidateType, address: c.address, port: c.port, protocol: c.protocol, relayProtocol: c.relayProtocol, url: c.url };
    return { state: pair.state, local: pick(report.get(pair.localCandidateId)), remote: pick(report.get(pair.remoteCandidateId)) };
  });
}

/** Polls `probe` every 100 ms until it returns something truthy; rejects with message() after `ms`. */
async function waitFor(probe, ms, message) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(message());
    await new Promise((r) => setTimeout(r, 100));
  }
}

function candidates(sdp) {
  return sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
}

describe('a browser behind NAT with the direct path blocked calls through coturn', () => {
  const out = outDirFor(FILE);
  let rulesBefore;
  let nat;
  let coturn;
  let gw;
  let browser;
  const failed = [];

  before(async () => {
    rulesBefore = rootRules();
    nat = createNat();
    coturn = await startCoturn({ name: FILE, secret: SECRET, address: nat.publicAddress });
    const secretFile = path.join(out, 'turn.secret');
    fs.writeFileSync(secretFile, SECRET, { mode: 0o600 });
    gw = await startGateway({
      name: FILE,
      users: { alice: 'secret' },
      sets: {
        'http.address': nat.publicAddress,
        'http.allow-plain': 'true',
        'media.address': nat.publicAddress,
        'echo.enabled': 'true',
        'turn.uris': `turn:${nat.publicAddress}:${coturn.port}?transport=udp`,
        'turn.secret-file': secretFile,
      },
      logLevels: { 'org.pasarela.transport.rtp': 'DEBUG' },
    });
    nat.firewall({ allowTcp: [gw.httpPort], allowUdp: [coturn.port], blockUdp: gw.rtp });
    browser = await launchBrowser({ outDir: out, toneHz: 440, host: nat.publicAddress, executable: nat.chromiumWrapper(out) });
    nat.allowTcp(browser.pagePort);
  }, { timeout: 90000 });

  afterEach((t) => { if (!t.passed) failed.push(t.name); });

  // On every path, failures included: each step on its own, so one failing does not leave the rest.
  after(async () => {
    if (failed.length && nat && nat.created.length) {
      try { process.stderr.write(`\nrouter FORWARD chain:\n${nat.forwardTable()}\n${nat.natTable()}\n`); } catch { /* gone */ }
    }
    if (browser) await browser.close().catch(() => {});
    if (coturn) await coturn.stop().catch(() => {});
    if (gw) {
      await gw.stop().catch(() => {});
      if (failed.length) gw.dumpLog(`failed: ${failed.join('; ')}`);
    }
    if (nat) nat.destroy();
  });

  test('without TURN the router drops the checks to the gateway, ICE never connects and the call ends with 408', { timeout: 60000 }, async () => {
    const dropped = nat.counter('direct-media').pkts;
    const phone = await browser.softphone();
    await phone.connect(gw.wsUrl);
    assert.equal((await phone.login('alice', 'secret')).type, 'ack');
    const { reply, offer } = await phone.call({ to: '1000', profile: 'echo', pcConfig: { iceServers: [] } });
    assert.equal(reply.type, 'ack', `call refused: ${JSON.stringify(reply)}`);
    const offered = candidates(offer.sdp);
    assert.ok(offered.length > 0 && offered.every((l) => l.includes(` ${nat.homeAddress} `) && / typ host/.test(l)),
      `only host candidates on the private address: ${offered.join(' | ')}`);
    const answered = await phone.waitForMessage('answered', { call: reply.call });
    assert.ok(candidates(answered.jsep.sdp).some((l) => l.includes(` ${nat.publicAddress} `)), answered.jsep.sdp);

    // The gateway (ICE-lite, DTLS passive) hears neither a check nor a ClientHello: its DTLS handshake
    // deadline (10 s from the answer) ends the call with 408 "media lost". Chromium is still
    // 'checking' then, its checks dying in the router.
    const hangup = await phone.waitForMessage('hangup', { call: reply.call, timeout: 20000 });
    assert.equal(hangup.code, 408, JSON.stringify(hangup));
    // The gateway says why in words the user can act on: no ICE check ever reached it.
    assert.match(hangup.reason, /^media lost: no ICE connectivity check from the browser reached the gateway's media port/, JSON.stringify(hangup));
    const droppedNow = nat.counter('direct-media').pkts;
    assert.ok(droppedNow > dropped, `the direct-media DROP rule counted nothing:\n${nat.forwardTable()}`);
    const states = (await phone.snapshot()).timeline.filter((x) => x.what === 'iceConnectionState').map((x) => x.value);
    assert.ok(states.includes('checking') && !states.some((v) => ['connected', 'completed'].includes(v)), `ICE states: ${states.join(' -> ')}`);
    process.stderr.write(`no TURN: ICE ${states.join(' -> ')}; hangup ${hangup.code} "${hangup.reason}"; `
      + `the router dropped ${droppedNow - dropped} packets to the gateway's media ports\n`);
    assert.equal((await phone.messagesOf('hangup')).length, 1);
    await phone.page.context().close();
  });

  test('with TURN from the login ack the call connects through the relay, RTP both ways', { timeout: 60000 }, async () => {
    const dropped = nat.counter('direct-media').pkts;
    const coturnLogFrom = coturn.logText().length;
    const phone = await browser.softphone();
    await phone.connect(gw.wsUrl);
    const ack = await phone.login('alice', 'secret');
    assert.equal(ack.type, 'ack');
    assert.ok(Array.isArray(ack.iceServers) && ack.iceServers.length === 1, JSON.stringify(ack));
    assert.deepEqual([ack.iceServers[0].urls].flat(), [`turn:${nat.publicAddress}:${coturn.port}?transport=udp`]);

    // The default policy ('all'): nothing tells Chromium to prefer the relay but the blocked path.
    const { reply, offer } = await phone.call({ to: '1000', profile: 'echo', pcConfig: { iceServers: ack.iceServers } });
    assert.equal(reply.type, 'ack', `call refused: ${JSON.stringify(reply)}`);
    const offered = candidates(offer.sdp);
    assert.ok(offered.some((l) => l.includes(` ${nat.homeAddress} `) && / typ host/.test(l)), offered.join(' | '));
    assert.ok(offered.some((l) => l.includes(` ${nat.publicAddress} `) && / typ relay/.test(l)), `a relay candidate on coturn: ${offered.join(' | ')}`);
    await phone.waitForMessage('answered', { call: reply.call });
    await phone.waitForMedia({ timeout: 20000 });

    const first = await phone.waitForRtp({ timeout: 5000 });
    await new Promise((r) => setTimeout(r, 2000));
    const second = await phone.stats();
    const sent = second.outbound.packetsSent - first.outbound.packetsSent;
    const received = second.inbound.packetsReceived - first.inbound.packetsReceived;
    assert.ok(sent >= 50 && received >= 50, `packets in 2 s: ${sent} sent, ${received} received`);

    const pair = await selectedPair(phone);
    assert.equal(pair && pair.local.type, 'relay', JSON.stringify(pair));
    assert.equal(pair.local.address, nat.publicAddress, JSON.stringify(pair));
    assert.equal(pair.remote.address, nat.publicAddress, JSON.stringify(pair));
    assert.ok(pair.remote.port >= gw.rtp.min && pair.remote.port <= gw.rtp.max, `remote is the gateway's media port: ${JSON.stringify(pair)}`);
    const droppedNow = nat.counter('direct-media').pkts;
    assert.ok(droppedNow > dropped, `Chromium's direct checks should have been dropped again:\n${nat.forwardTable()}`);

    const log = coturn.logText().slice(coturnLogFrom);
    assert.match(log, /user <\d+:alice>: incoming packet ALLOCATE processed, success/);
    assert.match(log, /incoming packet (CREATE_PERMISSION|CHANNEL_BIND) processed, success/);
    assert.match(log, new RegExp(`peer ${nat.publicAddress.replace(/\./g, '\\.')} lifetime updated`), 'a permission for the gateway');

    assert.equal((await phone.hangup()).type, 'ack');
    assert.equal((await phone.waitForMessage('hangup', { call: reply.call })).code, 200);
    await gw.waitForLog(/ended \(BYE received\)/, { timeout: 5000 });
    await phone.page.context().close();

    // Closing the page releases the allocation; coturn then logs whom it served (the NAT at work:
    // the router's uplink address, never the browser's private one) and what it relayed.
    const closed = await waitFor(() => /closed \(2nd stage\).*remote ([\d.]+):\d+/.exec(coturn.logText().slice(coturnLogFrom)), 10000,
      () => `coturn did not log the session's end:\n${coturn.logText().slice(coturnLogFrom).slice(-3000)}`);
    assert.equal(closed[1], nat.routerAddress, closed[0]);
    assert.ok(!coturn.logText().includes(nat.homeAddress), `coturn saw the private ${nat.homeAddress}`);
    const usage = /usage: .*rp=(\d+), rb=(\d+), sp=(\d+), sb=(\d+)/.exec(coturn.logText().slice(coturnLogFrom));
    process.stderr.write(`TURN: selected pair ${JSON.stringify(pair)}; ${sent} packets sent and ${received} received in 2 s; `
      + `${droppedNow - dropped} direct packets dropped meanwhile; coturn: ${closed[0].trim()}; ${usage ? usage[0] : 'no usage line'}\n`);
  });

  test('nothing of the NAT is left: namespaces, veths and iptables rules are gone', { timeout: 30000 }, async () => {
    await browser.close();
    browser = null;
    await coturn.stop();
    coturn = null;
    const stopped = await gw.stop();
    gw = null;
    assert.notEqual(stopped.signal, 'SIGKILL', 'the gateway needed SIGKILL to stop');
    nat.destroy();
    // The root namespace's veth end goes with its peer, but the kernel removes it a moment later.
    await waitFor(() => nat.leftovers().length === 0, 5000, () => `left behind: ${nat.leftovers().join(', ')}`);
    assert.equal(rootRules(), rulesBefore);
  });
});
