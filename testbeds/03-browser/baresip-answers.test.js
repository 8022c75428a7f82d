'use strict';
// Real browser to real SIP phone: Chromium's softphone page calls through the gateway to baresip
// (auto-answer, PCMU/PCMA, a 1 kHz tone as its microphone, recording what it receives).
//
// Asserted today: baresip answers (200), the browser gets `answered` and Chromium accepts the
// answer the gateway built from baresip's SDP; the browser hangs up, gets hangup 200, and baresip
// sees the BYE and ends the call. The audio itself (baresip hears ~440 Hz, the browser ~1000 Hz,
// getStats counters growing) is asserted in 04-media/baresip.test.js.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { useGateway, outDirFor } = require('../lib/gateway');
const { launchBrowser } = require('../lib/browser');
const { startBaresip } = require('../lib/baresip');
const { analyseWav, readWav } = require('../lib/audio');

const FILE = '03-browser-baresip';

describe('baresip answers a call from real Chromium', () => {
  let far;
  let browser;
  const ctx = useGateway(async () => {
    far = await startBaresip({ outDir: outDirFor(FILE, 'baresip'), user: '1000', toneHz: 1000 });
    return {
      name: FILE,
      users: { alice: 'secret' },
      profiles: { far: { proxy: `sip:127.0.0.1:${far.port}`, transport: 'UDP', codecs: 'PCMU,PCMA', domain: '127.0.0.1' } },
    };
  });
  before(async () => {
    browser = await launchBrowser({ outDir: outDirFor(FILE), toneHz: 440 });
  }, { timeout: 40000 });
  after(async () => {
    if (browser) await browser.close();
    if (far) await far.stop();
  });

  test('answered by baresip, hung up by the browser: hangup 200 here, BYE seen there', async (t) => {
    const phone = await browser.softphone();
    try {
      await phone.connect(ctx.gw.wsUrl);
      assert.equal((await phone.login('alice', 'secret')).type, 'ack');
      const { reply } = await phone.call({ to: '1000', profile: 'far' });
      assert.equal(reply.type, 'ack', `call refused: ${JSON.stringify(reply)}`);

      const answering = await far.waitFor('answering');
      assert.equal(answering.detail[1], '200', answering.line);
      await far.waitFor('established');
      const decoder = await far.waitFor('decoder');
      assert.match(decoder.detail[0], /^PCM[UA]$/, decoder.line);

      const answered = await phone.waitForMessage('answered', { call: reply.call });
      const applied = await phone.waitForAnswerApplied();
      assert.deepEqual(applied, { ok: true }, `Chromium refused the gateway's answer: ${JSON.stringify(applied)}\n${answered.jsep.sdp}`);
      const s = await phone.snapshot();
      assert.equal(s.pc.signalingState, 'stable');
      assert.ok(s.pc.transceivers[0].currentDirection, 'the transceiver has a currentDirection');

      await new Promise((r) => setTimeout(r, 1000)); // let baresip send some of its tone
      assert.equal((await phone.hangup()).type, 'ack');
      const hangup = await phone.waitForMessage('hangup', { call: reply.call });
      assert.equal(hangup.code, 200, JSON.stringify(hangup));

      const closed = await far.waitFor('closed');
      assert.match(closed.line, /Connection reset by peer/, 'baresip reports the remote side ended the call');
      await far.waitFor('terminated');
      // In baresip's SIP trace: one BYE from the gateway, answered 200 OK.
      const trace = far.sipTrace();
      const byes = trace.filter((m) => m.method === 'BYE');
      assert.equal(byes.length, 1, `one BYE in baresip's SIP trace: ${JSON.stringify(trace)}`);
      assert.equal(byes[0].from, `127.0.0.1:${ctx.gw.sipPort}`, 'the BYE came from the gateway');
      const after = trace.slice(trace.indexOf(byes[0]) + 1);
      assert.ok(after.some((m) => m.status === 200 && m.to === byes[0].from), `baresip answered the BYE with 200: ${JSON.stringify(trace)}`);

      const rec = far.recordings();
      assert.ok(rec.received && fs.existsSync(rec.received), `baresip's recording of what it received: ${JSON.stringify(rec)}`);
      readWav(rec.received); // a readable WAV (empty until media is relayed)
      // What baresip sent is its 1 kHz tone: the far end's microphone works.
      const sent = analyseWav(rec.sent);
      assert.ok(sent.seconds > 0.5 && Math.abs(sent.dominantHz - 1000) < 5, `baresip sent ${JSON.stringify(sent)}`);
      const heard = analyseWav(rec.received);
      t.diagnostic(`baresip received ${heard.seconds.toFixed(2)} s, ${heard.dominantHz === null ? 'no tone' : `${heard.dominantHz.toFixed(0)} Hz`}, ${heard.rmsDbfs.toFixed(1)} dBFS`);
    } catch (e) {
      process.stderr.write(`\n${await phone.describe()}\n${far.describe()}\n`);
      throw e;
    }
  });
});
