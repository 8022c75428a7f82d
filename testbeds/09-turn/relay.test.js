'use strict';
// A real browser call relayed through coturn with the credentials from `login`: Chromium logs in,
// takes the ack's iceServers and calls the echo service with iceTransportPolicy 'relay', so its
// only candidates are coturn relay addresses. ICE and DTLS connect through the relay, RTP flows
// both ways, the selected pair's local candidate is a relay candidate, and coturn's log shows the
// permission for the gateway's media address.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useGateway, outDirFor } = require('../lib/gateway');
const { launchBrowser } = require('../lib/browser');
const { startCoturn } = require('../lib/coturn');
const { HOST } = require('../lib/ports');

const FILE = '09-turn-relay';
const SECRET = 'testbed-turn-relay-secret-0123456789';
let coturn;

describe('media through coturn: Chromium calls the echo service with relay-only ICE', () => {
  const ctx = useGateway(async () => {
    coturn = await startCoturn({ name: FILE, secret: SECRET });
    const secretFile = path.join(outDirFor(FILE), 'turn.secret');
    fs.writeFileSync(secretFile, SECRET, { mode: 0o600 });
    return {
      name: FILE,
      users: { alice: 'secret' },
      sets: { 'echo.enabled': 'true', 'turn.uris': `turn:${HOST}:${coturn.port}?transport=udp`, 'turn.secret-file': secretFile },
    };
  });
  let browser;
  before(async () => {
    browser = await launchBrowser({ outDir: outDirFor(FILE), toneHz: 440 });
  }, { timeout: 40000 });
  after(async () => {
    if (browser) await browser.close();
    if (coturn) await coturn.stop();
  });

  test('ICE and DTLS connect through the relay and RTP flows both ways', { timeout: 40000 }, async () => {
    const phone = await browser.softphone();
    await phone.connect(ctx.gw.wsUrl);
    const ack = await phone.login('alice', 'secret');
    assert.equal(ack.type, 'ack');
    assert.ok(Array.isArray(ack.iceServers), JSON.stringify(ack));
    const { reply, offer } = await phone.call({ to: '1000', profile: 'echo',
      pcConfig: { iceServers: ack.iceServers, iceTransportPolicy: 'relay' } });
    assert.equal(reply.type, 'ack', `call refused: ${JSON.stringify(reply)}`);
    const candidates = offer.sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
    assert.ok(candidates.length > 0, offer.sdp);
    assert.ok(candidates.every((l) => / typ relay /.test(l)), `only relay candidates: ${candidates.join(' | ')}`);
    await phone.waitForMessage('answered', { call: reply.call });
    await phone.waitForMedia({ timeout: 15000 });
    const rtp = await phone.waitForRtp({ timeout: 5000 });
    assert.ok(rtp.outbound.packetsSent > 0 && rtp.inbound.packetsReceived > 0, JSON.stringify(rtp));
    const local = await phone.page.evaluate(async () => {
      const report = await window.softphone.pc.getStats();
      let pair = null;
      report.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId); });
      const candidate = pair && report.get(pair.localCandidateId);
      return candidate && { type: candidate.candidateType, relayProtocol: candidate.relayProtocol, url: candidate.url };
    });
    assert.equal(local && local.type, 'relay', JSON.stringify(local));
    assert.match(coturn.logText(), /user <\d+:alice>: incoming packet ALLOCATE processed, success/);
    assert.match(coturn.logText(), /incoming packet (CREATE_PERMISSION|CHANNEL_BIND) processed, success/);
    assert.equal((await phone.hangup()).type, 'ack');
    assert.equal((await phone.waitForMessage('hangup', { call: reply.call })).code, 200);
  });
});
