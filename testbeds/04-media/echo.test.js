'use strict';
// Media through the gateway, both ways, against its built-in echo service: real Chromium (fake
// microphone: a 440 Hz tone) calls profile `echo`; ICE and DTLS connect, SRTP packets flow both
// ways (getStats counters grow between two samples 2 s apart), and what comes back is the
// browser's own tone (~440 Hz at the remote-track analyser, well above silence). The hangup is
// clean: hangup 200 in the browser, and on the far side the echo service logs the call ended by
// the gateway's BYE; the gateway's media session logs packets relayed in both directions.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { useGateway, outDirFor } = require('../lib/gateway');
const { launchBrowser } = require('../lib/browser');

const FILE = '04-media-echo';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('media: Chromium calls the echo service', () => {
  const ctx = useGateway({
    name: FILE,
    users: { alice: 'secret' },
    sets: { 'echo.enabled': 'true' },
    logLevels: { 'org.pasarela.transport.rtp': 'DEBUG' },
  });
  let browser;
  before(async () => {
    browser = await launchBrowser({ outDir: outDirFor(FILE), toneHz: 440 });
  }, { timeout: 40000 });
  after(async () => { if (browser) await browser.close(); });

  test('ICE and DTLS connect, RTP grows both ways, the browser hears its own 440 Hz, hangup is clean', { timeout: 30000 }, async (t) => {
    const phone = await browser.softphone();
    try {
      await phone.connect(ctx.gw.wsUrl);
      assert.equal((await phone.login('alice', 'secret')).type, 'ack');
      const logFrom = ctx.gw.logText().length;
      const { reply } = await phone.call({ to: '1000', profile: 'echo' });
      assert.equal(reply.type, 'ack', `call refused: ${JSON.stringify(reply)}`);
      await phone.waitForMessage('answered', { call: reply.call });
      assert.deepEqual(await phone.waitForAnswerApplied(), { ok: true });

      const connected = await phone.waitForMedia({ timeout: 10000 });
      assert.ok(['connected', 'completed'].includes(connected.pc.iceConnectionState), connected.pc.iceConnectionState);
      assert.equal(connected.pc.dtlsState, 'connected');
      // The gateway's side of the same handshake.
      await ctx.gw.waitForLog(new RegExp(`call ${reply.call}: media connected \\(DTLS .*SRTP`), { from: logFrom });

      const first = await phone.waitForRtp({ timeout: 5000 });
      await sleep(2000);
      const second = await phone.stats();
      t.diagnostic(`stats 1: ${JSON.stringify({ out: first.outbound, in: first.inbound })}`);
      t.diagnostic(`stats 2: ${JSON.stringify({ out: second.outbound, in: second.inbound, transport: second.transport })}`);
      assert.ok(first.outbound && second.outbound, `no outbound-rtp stats: ${JSON.stringify(second)}`);
      assert.ok(first.inbound && second.inbound, `no inbound-rtp stats: ${JSON.stringify(second)}`);
      const sent = second.outbound.packetsSent - first.outbound.packetsSent;
      const received = second.inbound.packetsReceived - first.inbound.packetsReceived;
      // 20 ms packets: ~100 in 2 s; allow for timer slack, not for a stall.
      assert.ok(sent >= 50, `outbound packetsSent grew by ${sent} in 2 s`);
      assert.ok(received >= 50, `inbound packetsReceived grew by ${received} in 2 s (the echo did not come back)`);
      assert.equal(second.transport.dtlsState, 'connected');
      assert.ok(second.transport.srtpCipher, `an SRTP cipher: ${JSON.stringify(second.transport)}`);

      const { samples, median } = await phone.remoteAudioSamples({ ms: 1200, every: 200 });
      t.diagnostic(`remote audio: ${samples.map((s) => (s && s.dominantHz !== null ? `${s.dominantHz.toFixed(1)} Hz ${s.rmsDbfs.toFixed(1)} dBFS` : 'silent')).join(', ')}`);
      assert.ok(median, `the remote track was silent: ${JSON.stringify(samples)}`);
      assert.ok(Math.abs(median.dominantHz - 440) <= 15, `the echo is at ${median.dominantHz} Hz, not ~440 Hz: ${JSON.stringify(samples)}`);
      // The tone is -9 dBFS RMS at the microphone; silence or comfort noise is below -60.
      assert.ok(median.rmsDbfs > -35, `the echo is too quiet: ${median.rmsDbfs} dBFS`);

      assert.equal((await phone.hangup()).type, 'ack');
      const hangup = await phone.waitForMessage('hangup', { call: reply.call });
      assert.equal(hangup.code, 200, JSON.stringify(hangup));
      const types = (await phone.snapshot()).messages.filter((m) => m.call === reply.call && !['candidate', 'ringing', 'progress'].includes(m.type)).map((m) => m.type);
      assert.deepEqual(types, ['ack', 'answered', 'ack', 'hangup']);

      // The far end (the echo service) ended by the gateway's BYE; the relay counted packets both ways.
      await ctx.gw.waitForLog(/EchoUserAgent - echo call \S+: ended \(BYE received\)/, { from: logFrom });
      await ctx.gw.waitForLog(new RegExp(`call ${reply.call}: ended`), { from: logFrom });
      const closed = await ctx.gw.waitForLog(new RegExp(`call ${reply.call}: media closed, (\\d+) packets to SIP, (\\d+) to the browser`), { from: logFrom });
      t.diagnostic(closed[0]);
      assert.ok(Number(closed[1]) >= 100 && Number(closed[2]) >= 100, `the relay's counts: ${closed[0]}`);
      const health = await ctx.gw.health();
      assert.equal(health.mediaSockets, 0, `media sockets released: ${JSON.stringify(health)}`);
    } catch (e) {
      process.stderr.write(`\n${await phone.describe()}\n`);
      throw e;
    }
  });
});
