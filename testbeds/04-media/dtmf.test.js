'use strict';
// DTMF from the browser as RFC 4733 telephone-events in the SIP-side RTP (profile dtmf = rfc4733,
// the default): Chromium calls baresip through the gateway and sends
// {"type":"dtmf","call":..,"digits":"123#"}. Two witnesses on the far side:
// - baresip itself logs each telephone-event it decoded ("received event: '1' (end=0)" ... from
//   src/call.c), which must be 1, 2, 3, # in that order;
// - tshark on lo, restricted to baresip's RTP port range, decodes the packets the gateway sent:
//   one event per RTP timestamp, in order 1, 2, 3, 11 (#), each starting with the marker bit, one
//   event id per timestamp, and ending with end-of-event packets whose duration is ~100 ms
//   (800 at 8 kHz), while PCMU audio flows both ways around them.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { useGateway, outDirFor } = require('../lib/gateway');
const { launchBrowser } = require('../lib/browser');
const { startBaresip } = require('../lib/baresip');
const { startCapture } = require('./tshark');

const FILE = '04-media-dtmf';
const DIGIT_EVENTS = { 0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, '*': 10, '#': 11, A: 12, B: 13, C: 14, D: 15 };

describe('media: DTMF from the browser reaches baresip as RFC 4733 events', () => {
  let far;
  let browser;
  const ctx = useGateway(async () => {
    far = await startBaresip({ outDir: outDirFor(FILE, 'baresip'), user: '1000', toneHz: 1000, codecs: ['PCMU'] });
    return {
      name: FILE,
      users: { alice: 'secret' },
      profiles: { far: { proxy: `sip:127.0.0.1:${far.port}`, transport: 'UDP', codecs: 'PCMU,telephone-event', domain: '127.0.0.1', dtmf: 'rfc4733' } },
    };
  });
  before(async () => {
    browser = await launchBrowser({ outDir: outDirFor(FILE), toneHz: 440 });
  }, { timeout: 40000 });
  after(async () => {
    if (browser) await browser.close();
    if (far) await far.stop();
  });

  test('"123#" from the browser: baresip decodes 1, 2, 3, # in order; the wire has events 1, 2, 3, 11 with end packets', { timeout: 40000 }, async (t) => {
    const dir = outDirFor(FILE, 'rfc4733');
    const ports = `${far.rtp.min}-${far.rtp.max}`;
    const cap = await startCapture({ outDir: dir, filter: `udp portrange ${ports}` });
    const phone = await browser.softphone();
    try {
      await phone.connect(ctx.gw.wsUrl);
      assert.equal((await phone.login('alice', 'secret')).type, 'ack');
      const { reply } = await phone.call({ to: '1000', profile: 'far' });
      assert.equal(reply.type, 'ack', `call refused: ${JSON.stringify(reply)}`);
      await far.waitFor('established');
      await phone.waitForMessage('answered', { call: reply.call });
      assert.deepEqual(await phone.waitForAnswerApplied(), { ok: true });
      await phone.waitForMedia({ timeout: 10000 });
      await phone.waitForRtp({ timeout: 5000 });

      const ack = await phone.dtmf('123#');
      assert.deepEqual({ type: ack.type, call: ack.call }, { type: 'ack', call: reply.call }, JSON.stringify(ack));

      // baresip: a start and an end for each digit, in order.
      const seen = [];
      for (let i = 0; i < 8; i++) {
        const e = await far.waitFor('dtmf', { timeout: 5000 });
        seen.push(`${e.detail[0]}${e.detail[1] === '1' ? ' end' : ''}`);
      }
      t.diagnostic(`baresip decoded: ${seen.join(', ')}`);
      assert.deepEqual(seen, ['1', '1 end', '2', '2 end', '3', '3 end', '#', '# end']);

      assert.equal((await phone.hangup()).type, 'ack');
      assert.equal((await phone.waitForMessage('hangup', { call: reply.call })).code, 200);
      await far.waitForCallEnd();
    } catch (e) {
      process.stderr.write(`\n${await phone.describe()}\n${far.describe()}\n`);
      throw e;
    } finally {
      await cap.stop();
    }

    // On the wire, from the gateway's SIP-side RTP port to baresip.
    const packets = cap.rtp(ports);
    const audio = packets.filter((p) => p.pt === 0);
    const events = packets.filter((p) => p.eventId !== null);
    assert.ok(events.length > 0, `no telephone-event packets captured (${packets.length} RTP packets in ${cap.pcap})`);
    const gatewaySide = events[0].src;
    assert.ok(events.every((p) => p.src === gatewaySide), `every event from one gateway port: ${JSON.stringify(events.map((p) => p.src))}`);
    assert.ok(audio.some((p) => p.src === gatewaySide) && audio.some((p) => p.dst === gatewaySide),
      `PCMU both ways on ${gatewaySide}: ${audio.length} audio packets`);
    assert.ok(events.every((p) => p.pt === events[0].pt && p.pt >= 96), `one dynamic payload type: ${[...new Set(events.map((p) => p.pt))]}`);

    const byTimestamp = [];
    for (const p of events) {
      let g = byTimestamp.find((x) => x.ts === p.ts);
      if (!g) byTimestamp.push(g = { ts: p.ts, packets: [] });
      g.packets.push(p);
    }
    t.diagnostic(`on the wire (pt ${events[0].pt}, ${events.length} packets): ${byTimestamp.map((g) => `event ${g.packets[0].eventId} x${g.packets.length} ` +
      `(${g.packets.filter((p) => p.end).length} end, duration ${Math.max(...g.packets.map((p) => p.duration))})`).join('; ')}`);
    assert.deepEqual(byTimestamp.map((g) => g.packets[0].eventId), ['1', '2', '3', '#'].map((d) => DIGIT_EVENTS[d]));
    for (const g of byTimestamp) {
      const id = g.packets[0].eventId;
      assert.ok(g.packets.every((p) => p.eventId === id), `one event per timestamp ${g.ts}: ${JSON.stringify(g.packets)}`);
      assert.equal(g.packets[0].marker, true, `event ${id} starts with the marker bit`);
      assert.ok(g.packets.slice(1).every((p) => !p.marker), `only the first packet of event ${id} is marked`);
      const ends = g.packets.filter((p) => p.end);
      assert.ok(ends.length >= 1, `event ${id} has end-of-event packets`);
      assert.ok(g.packets.slice(g.packets.indexOf(ends[0])).every((p) => p.end), `nothing but end packets after the first end of event ${id}`);
      assert.ok(Math.abs(ends[0].duration - 800) <= 160, `event ${id} lasted ${ends[0].duration} samples, not ~800 (100 ms)`);
    }
    // Events come in sequence-number order (no reordering by the relay).
    const seqs = events.map((p) => p.seq);
    assert.ok(seqs.every((s, i) => i === 0 || ((s - seqs[i - 1]) & 0xffff) > 0), `sequence numbers increase: ${seqs}`);
  });
});
