'use strict';
// The browser's media vanishes while its WebSocket stays open: the gateway must notice on its own
// and end the call on both sides, with hangup 408 to the browser (reason about the media) and a
// BYE to the far end (baresip, which must see it and answer 200). Two ways to vanish:
// (1) the page closes its RTCPeerConnection without a hangup message: Chromium sends a DTLS
//     close_notify, so the gateway ends the call at once ("browser ended DTLS");
// (2) the media goes silent without a goodbye: the signaling runs on a Node WebSocket, the media in
//     a Chromium that is then SIGKILLed (no close_notify, no RTCP BYE, no more ICE checks). The
//     gateway must end the call when ICE consent expires (RFC 7675: 30 s after the last check),
//     so within 30..40 s, with a reason naming the consent. The Node WebSocket stays open (it
//     answers the gateway's keep-alive pings) and must get the hangup.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { useGateway, outDirFor } = require('../lib/gateway');
const { launchBrowser } = require('../lib/browser');
const { startBaresip } = require('../lib/baresip');
const { WsClient } = require('../lib/wsclient');

const FILE = '04-media-consent';

describe('media: the browser\'s media vanishes, its WebSocket stays', () => {
  let far;
  let browser;
  const ctx = useGateway(async () => {
    far = await startBaresip({ outDir: outDirFor(FILE, 'baresip'), user: '1000', toneHz: 1000, codecs: ['PCMU'] });
    return {
      name: FILE,
      users: { alice: 'secret' },
      profiles: { far: { proxy: `sip:127.0.0.1:${far.port}`, transport: 'UDP', codecs: 'PCMU,telephone-event', domain: '127.0.0.1' } },
      logLevels: { 'org.pasarela.transport.rtp': 'DEBUG', 'org.pasarela.app': 'DEBUG' },
    };
  });
  before(async () => {
    browser = await launchBrowser({ outDir: outDirFor(FILE), toneHz: 440 });
  }, { timeout: 40000 });
  after(async () => {
    if (browser) await browser.close();
    if (far) await far.stop();
  });

  test('(1) pc.close() without hangup: within 40 s hangup 408 (media/consent) here, BYE answered 200 at baresip', { timeout: 55000 }, async (t) => {
    const phone = await browser.softphone();
    try {
      await phone.connect(ctx.gw.wsUrl);
      assert.equal((await phone.login('alice', 'secret')).type, 'ack');
      const logFrom = ctx.gw.logText().length;
      const traceFrom = far.sipTrace().length;
      const { reply } = await phone.call({ to: '1000', profile: 'far' });
      assert.equal(reply.type, 'ack', `call refused: ${JSON.stringify(reply)}`);
      await far.waitFor('established');
      await phone.waitForMessage('answered', { call: reply.call });
      assert.deepEqual(await phone.waitForAnswerApplied(), { ok: true });
      await phone.waitForMedia({ timeout: 10000 });
      await phone.waitForRtp({ timeout: 5000 });

      const dropped = Date.now();
      const after = await phone.dropMedia();
      assert.deepEqual(after, { signalingState: 'closed', wsReadyState: 1 }, 'the peer connection is closed, the WebSocket open');

      const hangup = await phone.waitForMessage('hangup', { call: reply.call, timeout: 42000 });
      const seconds = (Date.now() - dropped) / 1000;
      t.diagnostic(`hangup after ${seconds.toFixed(1)} s: ${JSON.stringify(hangup)}`);
      assert.equal(hangup.code, 408, JSON.stringify(hangup));
      assert.match(hangup.reason, /media|consent/i);
      assert.ok(seconds <= 40, `the gateway took ${seconds} s to end the call`);
      const types = (await phone.snapshot()).messages.filter((m) => m.call === reply.call && !['candidate', 'ringing', 'progress'].includes(m.type)).map((m) => m.type);
      assert.deepEqual(types, ['ack', 'answered', 'hangup'], 'one hangup, nothing after it');

      // The far end saw the call end: the gateway's BYE, answered 200.
      const closed = await far.waitFor('closed', { timeout: 5000 });
      assert.match(closed.line, /Connection reset by peer/);
      const trace = far.sipTrace().slice(traceFrom);
      const byes = trace.filter((m) => m.method === 'BYE');
      assert.equal(byes.length, 1, `one BYE in baresip's trace: ${JSON.stringify(trace)}`);
      assert.equal(byes[0].from, `127.0.0.1:${ctx.gw.sipPort}`, 'the BYE came from the gateway');
      assert.ok(trace.slice(trace.indexOf(byes[0]) + 1).some((m) => m.status === 200 && m.to === byes[0].from), `BYE answered 200: ${JSON.stringify(trace)}`);

      const lost = await ctx.gw.waitForLog(new RegExp(`call ${reply.call}: media lost: (.*)`), { from: logFrom });
      t.diagnostic(`gateway: ${lost[0]}`);
      // The session outlives the call: the WebSocket still works.
      assert.equal((await phone.page.evaluate(() => window.softphone.ws.readyState)), 1);
      const health = await ctx.gw.health();
      assert.equal(health.sessions, 1, `the session is still open: ${JSON.stringify(health)}`);
    } catch (e) {
      process.stderr.write(`\n${await phone.describe()}\n${far.describe()}\n`);
      throw e;
    }
  });

  test('(2) Chromium killed, signaling alive: ICE consent expires, hangup 408 after 30..40 s, BYE answered 200 at baresip', { timeout: 60000 }, async (t) => {
    const media = await launchBrowser({ outDir: outDirFor(FILE, 'killed-browser'), toneHz: 440 });
    let ws;
    try {
      const phone = await media.softphone();
      ws = await WsClient.connect(ctx.gw.wsUrl);
      const login = await ws.response(ws.request({ type: 'login', user: 'alice', password: 'secret' }));
      assert.equal(login.type, 'ack', JSON.stringify(login));
      const logFrom = ctx.gw.logText().length;
      const traceFrom = far.sipTrace().length;
      const offer = await phone.offerOnly();
      const ack = await ws.response(ws.request({ type: 'call', to: '1000', profile: 'far', jsep: offer }));
      assert.equal(ack.type, 'ack', `call refused: ${JSON.stringify(ack)}`);
      const answered = await ws.next('answered', { where: (m) => m.call === ack.call, timeout: 10000 });
      assert.deepEqual(await phone.applyAnswer(answered.jsep), { ok: true });
      await far.waitFor('established');
      await phone.waitForMedia({ timeout: 10000 });
      await phone.waitForRtp({ timeout: 5000 });
      await ctx.gw.waitForLog(new RegExp(`call ${ack.call}: media connected`), { from: logFrom });

      const killedAt = Date.now();
      const pids = await media.kill();
      t.diagnostic(`killed Chromium: ${pids.length} processes`);

      const hangup = await ws.next('hangup', { where: (m) => m.call === ack.call, timeout: 45000 });
      const seconds = (Date.now() - killedAt) / 1000;
      t.diagnostic(`hangup after ${seconds.toFixed(1)} s: ${JSON.stringify(hangup)}`);
      assert.equal(hangup.code, 408, JSON.stringify(hangup));
      assert.match(hangup.reason, /consent/i);
      // Consent lasts 30 s from the last check (sent every ~5 s), checked by the gateway's timer.
      assert.ok(seconds >= 24 && seconds <= 40, `the gateway ended the call after ${seconds} s, not 30..40 s`);
      assert.deepEqual(ws.types((m) => m.call === ack.call && !['candidate', 'ringing', 'progress'].includes(m.type)), ['ack', 'answered', 'hangup']);

      const closed = await far.waitFor('closed', { timeout: 5000 });
      assert.match(closed.line, /Connection reset by peer/);
      const trace = far.sipTrace().slice(traceFrom);
      const byes = trace.filter((m) => m.method === 'BYE');
      assert.equal(byes.length, 1, `one BYE in baresip's trace: ${JSON.stringify(trace)}`);
      assert.equal(byes[0].from, `127.0.0.1:${ctx.gw.sipPort}`, 'the BYE came from the gateway');
      assert.ok(trace.slice(trace.indexOf(byes[0]) + 1).some((m) => m.status === 200 && m.to === byes[0].from), `BYE answered 200: ${JSON.stringify(trace)}`);

      const lost = await ctx.gw.waitForLog(new RegExp(`call ${ack.call}: media lost: (.*)`), { from: logFrom });
      t.diagnostic(`gateway: ${lost[0]}`);
      assert.equal(ws.closeInfo, null, 'the WebSocket stayed open');
      const pingId = ws.request({ type: 'ping' });
      await ws.next('pong', { where: (m) => m.id === pingId });
      const health = await ctx.gw.health();
      assert.equal(health.sipLegs, 0, `no SIP leg left: ${JSON.stringify(health)}`);
      assert.equal(health.mediaSockets, 0, `no media socket left: ${JSON.stringify(health)}`);
    } catch (e) {
      if (ws) process.stderr.write(`\n${ws.transcript()}\n`);
      process.stderr.write(`\n${far.describe()}\n`);
      throw e;
    } finally {
      if (ws) await ws.close();
      await media.close();
    }
  });
});
