'use strict';
// The systemd unit shipped as etc/pasarela.service: systemd accepts it as written, and the JVM options on its
// ExecStart line do what its comments say: the media threads run at the higher priority they ask for, which on a
// busy machine keeps their packets from waiting for a CPU (docs/benchmarks.md, finding 14). Without those options
// the gateway says, once, how to get it.
//
//   node --test testbeds/11-service/service.test.js

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { startGateway, REPO } = require('../lib/gateway');

const UNIT = path.join(REPO, 'etc', 'pasarela.service');
const ADVICE = /media threads run at nice (-?\d+), the process's own/;
const CAP_SYS_NICE = 23;

/** The options between the java binary and -jar on the unit's ExecStart line. */
function execStartJvmOptions(unitText) {
  const line = unitText.split('\n').find((l) => l.startsWith('ExecStart='));
  assert.ok(line, 'the unit has an ExecStart line');
  const words = line.slice('ExecStart='.length).split(/\s+/);
  assert.match(words[0], /\/java$/, 'ExecStart runs java');
  const jar = words.indexOf('-jar');
  assert.ok(jar > 0, 'ExecStart runs java -jar');
  return words.slice(1, jar);
}

/** Whether this process holds CAP_SYS_NICE (root in a container may not): what raising a thread's priority needs. */
function mayRaisePriority() {
  const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return capEff !== null && ((BigInt(`0x${capEff[1]}`) >> BigInt(CAP_SYS_NICE)) & 1n) === 1n;
}

async function withGateway(javaOptions, fn) {
  const saved = process.env.PASARELA_JAVA_OPTS;
  process.env.PASARELA_JAVA_OPTS = javaOptions.join(' ');
  let gw;
  try {
    gw = await startGateway({ name: '11-service' });
  } finally {
    if (saved === undefined) delete process.env.PASARELA_JAVA_OPTS; else process.env.PASARELA_JAVA_OPTS = saved;
  }
  try {
    await fn(gw);
  } catch (e) {
    gw.dumpLog(e.message, 60);
    throw e;
  } finally {
    await gw.stop();
  }
}

test('systemd accepts the unit as written, without a warning', () => {
  const verify = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8', timeout: 30000 });
  assert.equal(verify.error, undefined, `systemd-analyze: ${verify.error}`);
  assert.equal(verify.stderr, '', 'systemd-analyze verify printed warnings');
  assert.equal(verify.status, 0);
});

test("with the unit's JVM options the media threads run at nice -5, and the gateway gives no advice", async (t) => {
  const options = execStartJvmOptions(fs.readFileSync(UNIT, 'utf8'));
  assert.ok(options.includes('-XX:ThreadPriorityPolicy=1'), `ExecStart's JVM options: ${options.join(' ')}`);
  if (!mayRaisePriority()) {
    t.skip('this process lacks CAP_SYS_NICE, which the unit grants (AmbientCapabilities)');
    return;
  }
  await withGateway(options, async (gw) => {
    const { mediaNice } = await gw.health();
    assert.ok(mediaNice.length >= 1, `mediaNice: ${JSON.stringify(mediaNice)}`);
    assert.deepEqual(mediaNice, mediaNice.map(() => -5));
    assert.doesNotMatch(gw.logText(), ADVICE);
  });
});

test('without them the media threads keep the process nice value, and the gateway says how to raise it', async () => {
  await withGateway([], async (gw) => {
    const advice = await gw.waitForLog(ADVICE, { timeout: 10000 });
    const { mediaNice } = await gw.health();
    assert.deepEqual(mediaNice, mediaNice.map(() => Number(advice[1])));
    assert.match(gw.logText(), /-XX:ThreadPriorityPolicy=1, as root or with CAP_SYS_NICE/);
    assert.equal(gw.logText().match(new RegExp(ADVICE.source, 'g')).length, 1, 'one advice line, not one per media thread');
  });
});
