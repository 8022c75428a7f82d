'use strict';
// Nothing leaks per call: one Chromium page makes 20 calls in a row to the echo service (each:
// call, ICE+DTLS connected and echoed packets received, hangup, hangup 200). Before and after
// (after a short settle), the gateway process's open file descriptors (/proc/<pid>/fd) and
// threads (/proc/<pid>/task) are the same within 3, and GET /health says no media socket and no
// SIP leg is left, with the same number of sessions (the page's own). The baseline is taken after
// four warm-up calls, so that what is created once on first use is not counted as a leak: the JIT,
// and fixed thread pools, which start one thread per task until they are full (the DTLS handshake
// pool has 4 threads: 1 after the first call, 4 after the fourth). The numbers before the warm-up,
// the RSS and the thread names whose counts changed are printed as diagnostics.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { useGateway, outDirFor } = require('../lib/gateway');
const { launchBrowser } = require('../lib/browser');

const FILE = '04-media-leaks';
const CALLS = 20;
const TOLERANCE = 3;
const WARM_UP = 4;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** "name a->b->c" for each thread name whose count differs between the snapshots. */
function threadDiff(snapshots) {
  const names = [...new Set(snapshots.flatMap((s) => Object.keys(s)))].sort();
  const changed = names.filter((n) => new Set(snapshots.map((s) => s[n] || 0)).size > 1);
  return changed.map((n) => `${n} ${snapshots.map((s) => s[n] || 0).join('->')}`).join(', ') || 'no change';
}

describe('media: no leak over 20 calls', () => {
  const ctx = useGateway({ name: FILE, users: { alice: 'secret' }, sets: { 'echo.enabled': 'true' } });
  let browser;
  before(async () => {
    browser = await launchBrowser({ outDir: outDirFor(FILE), toneHz: 440 });
  }, { timeout: 40000 });
  after(async () => { if (browser) await browser.close(); });

  /** Stats once the gateway is idle: /health counters at rest (polled up to 5 s), then /proc. */
  async function settled() {
    const deadline = Date.now() + 5000;
    let health = await ctx.gw.health();
    while ((health.mediaSockets !== 0 || health.sipLegs !== 0) && Date.now() < deadline) {
      await sleep(100);
      health = await ctx.gw.health();
    }
    await sleep(1000); // closes and thread exits that follow the counters
    return { health: await ctx.gw.health(), proc: ctx.gw.processStats() };
  }

  async function oneCall(phone, i) {
    const { reply } = await phone.call({ to: '1000', profile: 'echo' });
    assert.equal(reply.type, 'ack', `call ${i}: refused: ${JSON.stringify(reply)}`);
    await phone.waitForMessage('answered', { call: reply.call });
    assert.deepEqual(await phone.waitForAnswerApplied(), { ok: true }, `call ${i}`);
    await phone.waitForMedia({ timeout: 10000 });
    await phone.waitForRtp({ timeout: 5000 });
    assert.equal((await phone.hangup()).type, 'ack', `call ${i}: hangup`);
    const hangup = await phone.waitForMessage('hangup', { call: reply.call });
    assert.equal(hangup.code, 200, `call ${i}: ${JSON.stringify(hangup)}`);
    return reply.call;
  }

  test(`${CALLS} calls to echo from one page: fds and threads back to the baseline (±${TOLERANCE}), no media socket or SIP leg left`, { timeout: 120000 }, async (t) => {
    const phone = await browser.softphone();
    try {
      await phone.connect(ctx.gw.wsUrl);
      assert.equal((await phone.login('alice', 'secret')).type, 'ack');
      const cold = await settled();
      for (let i = 1; i <= WARM_UP; i++) await oneCall(phone, `warm-up ${i}`);
      const base = await settled();
      t.diagnostic(`before the warm-up calls: ${JSON.stringify({ ...cold, proc: { ...cold.proc, threadNames: undefined } })}`);
      t.diagnostic(`baseline: ${JSON.stringify({ ...base, proc: { ...base.proc, threadNames: undefined } })}`);

      const started = Date.now();
      const ids = [];
      for (let i = 1; i <= CALLS; i++) ids.push(await oneCall(phone, String(i)));
      t.diagnostic(`${CALLS} calls in ${((Date.now() - started) / 1000).toFixed(1)} s (${ids[0]}..${ids[ids.length - 1]})`);

      const end = await settled();
      t.diagnostic(`after: ${JSON.stringify({ ...end, proc: { ...end.proc, threadNames: undefined } })}`);
      t.diagnostic(`RSS ${(base.proc.rssKb / 1024).toFixed(1)} MiB -> ${(end.proc.rssKb / 1024).toFixed(1)} MiB`);
      t.diagnostic(`threads by name, cold -> baseline -> after: ${threadDiff([cold, base, end].map((x) => x.proc.threadNames))}`);
      // Every call ended on the far side too.
      const log = ctx.gw.logText();
      const echoEnded = (log.match(/EchoUserAgent - echo call \S+: ended \(BYE received\)/g) || []).length;
      assert.equal(echoEnded, WARM_UP + CALLS, `the echo service saw ${echoEnded} BYEs for ${WARM_UP + CALLS} calls`);

      assert.equal(end.health.mediaSockets, 0, `media sockets left: ${JSON.stringify(end.health)}`);
      assert.equal(end.health.sipLegs, 0, `SIP legs left: ${JSON.stringify(end.health)}`);
      assert.equal(end.health.sessions, base.health.sessions, `sessions: ${JSON.stringify(end.health)}`);
      assert.ok(Math.abs(end.proc.fds - base.proc.fds) <= TOLERANCE, `open fds ${base.proc.fds} -> ${end.proc.fds}`);
      assert.ok(Math.abs(end.proc.threads - base.proc.threads) <= TOLERANCE, `threads ${base.proc.threads} -> ${end.proc.threads}`);
    } catch (e) {
      process.stderr.write(`\n${await phone.describe()}\n`);
      throw e;
    }
  });
});
