'use strict';
// Media between a real browser and a real SIP phone: Chromium (fake microphone: 440 Hz) calls
// baresip (auto-answer, PCMU only, a 1 kHz tone as its microphone, its sndfile module recording
// the decoded audio it receives) through the gateway. Both sides must hear the other: the browser's
// remote-track analyser ~1000 Hz, baresip's recording ~440 Hz (analysed from its second second on,
// leaving out the start-up), and the browser's getStats counters grow both ways.
// Hangups both ways: (1) the browser hangs up -> hangup 200 here, a BYE from the gateway in
// baresip's SIP trace answered 200; (2) baresip hangs up (its `hangup` command over ctrl_tcp) ->
// the browser gets hangup 200 "hung up by remote party", and baresip's trace has its BYE answered 200.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { useGateway, outDirFor } = require('../lib/gateway');
const { launchBrowser } = require('../lib/browser');
const { startBaresip } = require('../lib/baresip');
const { analyseWav } = require('../lib/audio');

const FILE = '04-media-baresip';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('media: Chromium and baresip hear each other through the gateway', () => {
  let far;
  let browser;
  const ctx = useGateway(async () => {
    far = await startBaresip({ outDir: outDirFor(FILE, 'baresip'), user: '1000', toneHz: 1000, codecs: ['PCMU'], control: true });
    return {
      name: FILE,
      users: { alice: 'secret' },
      profiles: { far: { proxy: `sip:127.0.0.1:${far.port}`, transport: 'UDP', codecs: 'PCMU,telephone-event', domain: '127.0.0.1' } },
      logLevels: { 'org.pasarela.transport.rtp': 'DEBUG' },
    };
  });
  before(async () => {
    browser = await launchBrowser({ outDir: outDirFor(FILE), toneHz: 440 });
  }, { timeout: 40000 });
  after(async () => {
    if (browser) await browser.close();
    if (far) await far.stop();
  });

  /** Calls baresip and checks media both ways while the call is up; resolves { phone, call, logFrom }. */
  async function callWithMedia(t) {
    const phone = await browser.softphone();
    await phone.connect(ctx.gw.wsUrl);
    assert.equal((await phone.login('alice', 'secret')).type, 'ack');
    const logFrom = ctx.gw.logText().length;
    const traceFrom = far.sipTrace().length;
    const { reply } = await phone.call({ to: '1000', profile: 'far' });
    assert.equal(reply.type, 'ack', `call refused: ${JSON.stringify(reply)}`);

    const answering = await far.waitFor('answering');
    assert.equal(answering.detail[1], '200', answering.line);
    await far.waitFor('established');
    const decoder = await far.waitFor('decoder');
    assert.equal(decoder.detail[0], 'PCMU', decoder.line);
    await far.waitFor('recording');

    await phone.waitForMessage('answered', { call: reply.call });
    assert.deepEqual(await phone.waitForAnswerApplied(), { ok: true });
    await phone.waitForMedia({ timeout: 10000 });

    const first = await phone.waitForRtp({ timeout: 5000 });
    await sleep(2000);
    const second = await phone.stats();
    t.diagnostic(`stats: out ${first.outbound && first.outbound.packetsSent} -> ${second.outbound && second.outbound.packetsSent}, ` +
      `in ${first.inbound && first.inbound.packetsReceived} -> ${second.inbound && second.inbound.packetsReceived}, codecs ${JSON.stringify(second.codecs.map((c) => c.mimeType))}`);
    assert.ok(first.outbound && first.inbound && second.outbound && second.inbound, `RTP stats both ways: ${JSON.stringify(second)}`);
    const sent = second.outbound.packetsSent - first.outbound.packetsSent;
    const received = second.inbound.packetsReceived - first.inbound.packetsReceived;
    assert.ok(sent >= 50, `outbound packetsSent grew by ${sent} in 2 s`);
    assert.ok(received >= 50, `inbound packetsReceived grew by ${received} in 2 s (nothing from baresip?)`);

    const { samples, median } = await phone.remoteAudioSamples({ ms: 1000, every: 200 });
    t.diagnostic(`browser hears: ${samples.map((s) => (s && s.dominantHz !== null ? `${s.dominantHz.toFixed(1)} Hz ${s.rmsDbfs.toFixed(1)} dBFS` : 'silent')).join(', ')}`);
    assert.ok(median, `the browser heard silence: ${JSON.stringify(samples)}`);
    assert.ok(Math.abs(median.dominantHz - 1000) <= 15, `the browser hears ${median.dominantHz} Hz, not baresip's 1000 Hz`);
    assert.ok(median.rmsDbfs > -35, `baresip's tone is too quiet in the browser: ${median.rmsDbfs} dBFS`);
    await sleep(1000); // ~4 s of call, so that baresip's recording has >= 2 s past its first second
    return { phone, call: reply.call, logFrom, traceFrom };
  }

  /** baresip's recording of what it received: ~440 Hz from its second second to 0.5 s before its end. */
  function assertBaresipHeard440(t) {
    const rec = far.recordings();
    assert.ok(rec.received, `baresip recorded nothing: ${JSON.stringify(rec)}`);
    const whole = analyseWav(rec.received);
    assert.ok(whole.seconds >= 3, `baresip's recording is ${whole.seconds} s long`);
    const middle = analyseWav(rec.received, { fromSeconds: 1, toSeconds: whole.seconds - 0.5 });
    t.diagnostic(`baresip heard ${middle.dominantHz === null ? 'silence' : `${middle.dominantHz.toFixed(1)} Hz`} at ${middle.rmsDbfs.toFixed(1)} dBFS ` +
      `over ${middle.seconds.toFixed(2)} s of ${whole.seconds.toFixed(2)} s (${rec.received})`);
    assert.ok(middle.dominantHz !== null && Math.abs(middle.dominantHz - 440) <= 15, `baresip heard ${JSON.stringify(middle)}, not ~440 Hz`);
    assert.ok(middle.rmsDbfs > -35, `the browser's tone is too quiet at baresip: ${middle.rmsDbfs} dBFS`);
  }

  test('(1) both hear each other; the browser hangs up: hangup 200, baresip gets the BYE', { timeout: 40000 }, async (t) => {
    let phone;
    try {
      const c = await callWithMedia(t);
      phone = c.phone;
      assert.equal((await phone.hangup()).type, 'ack');
      const hangup = await phone.waitForMessage('hangup', { call: c.call });
      assert.equal(hangup.code, 200, JSON.stringify(hangup));
      assert.equal(hangup.reason, 'hung up by client');

      const closed = await far.waitFor('closed');
      assert.match(closed.line, /Connection reset by peer/, 'baresip reports the remote side ended the call');
      await far.waitFor('terminated');
      const trace = far.sipTrace().slice(c.traceFrom);
      const byes = trace.filter((m) => m.method === 'BYE');
      assert.equal(byes.length, 1, `one BYE in baresip's SIP trace: ${JSON.stringify(trace)}`);
      assert.equal(byes[0].from, `127.0.0.1:${ctx.gw.sipPort}`, 'the BYE came from the gateway');
      assert.ok(trace.slice(trace.indexOf(byes[0]) + 1).some((m) => m.status === 200 && m.to === byes[0].from),
        `baresip answered the BYE with 200: ${JSON.stringify(trace)}`);

      assertBaresipHeard440(t);
      const relay = await ctx.gw.waitForLog(new RegExp(`call ${c.call}: media closed, (\\d+) packets to SIP, (\\d+) to the browser`), { from: c.logFrom });
      t.diagnostic(relay[0]);
    } catch (e) {
      if (phone) process.stderr.write(`\n${await phone.describe()}\n`);
      process.stderr.write(`\n${far.describe()}\n`);
      throw e;
    }
  });

  test('(2) baresip hangs up: the browser gets hangup 200 "hung up by remote party", baresip\'s BYE is answered 200', { timeout: 40000 }, async (t) => {
    let phone;
    try {
      const c = await callWithMedia(t);
      phone = c.phone;
      const res = await far.command('hangup');
      assert.equal(res.ok, true, `baresip's hangup command: ${JSON.stringify(res)}`);

      const hangup = await phone.waitForMessage('hangup', { call: c.call, timeout: 5000 });
      assert.equal(hangup.code, 200, JSON.stringify(hangup));
      assert.equal(hangup.reason, 'hung up by remote party');
      const types = (await phone.snapshot()).messages.filter((m) => m.call === c.call && !['candidate', 'ringing', 'progress'].includes(m.type)).map((m) => m.type);
      assert.deepEqual(types, ['ack', 'answered', 'hangup'], 'nothing after the hangup, no ack of a client hangup');

      await far.waitFor('terminated');
      const trace = far.sipTrace().slice(c.traceFrom);
      const byes = trace.filter((m) => m.method === 'BYE');
      assert.equal(byes.length, 1, `one BYE, baresip's own: ${JSON.stringify(trace)}`);
      assert.equal(byes[0].to, `127.0.0.1:${ctx.gw.sipPort}`, 'baresip sent its BYE to the gateway');
      assert.ok(trace.slice(trace.indexOf(byes[0]) + 1).some((m) => m.status === 200 && m.from === byes[0].to),
        `the gateway answered baresip's BYE with 200: ${JSON.stringify(trace)}`);
      await ctx.gw.waitForLog(new RegExp(`call ${c.call}: ended`), { from: c.logFrom });

      assertBaresipHeard440(t);
      // The page closed its peer connection on the hangup message.
      assert.equal((await phone.snapshot()).pc.signalingState, 'closed');
    } catch (e) {
      if (phone) process.stderr.write(`\n${await phone.describe()}\n`);
      process.stderr.write(`\n${far.describe()}\n`);
      throw e;
    }
  });
});
