'use strict';
// proc.js's socket drop counter against a real overflowing socket of each kind the benchmark meets: a Java
// DatagramChannel (an IPv6 socket, listed only in /proc/net/udp6, as the gateway's and the Java relay's are) and
// an IPv4 socket (SIPp's). Runs in CI; needs a JDK, which CI has.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const dgram = require('node:dgram');
const { spawn } = require('node:child_process');
const { socketDrops } = require('./proc');

// Binds a UDP socket with a small receive buffer, prints its port, and never reads it.
const SINK = `
import java.net.*;
import java.nio.channels.*;
public class Sink {
  public static void main(String[] a) throws Exception {
    DatagramChannel c = a[0].equals("ipv4") ? DatagramChannel.open(StandardProtocolFamily.INET) : DatagramChannel.open();
    c.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
    c.bind(new InetSocketAddress("127.0.0.1", 0));
    System.out.println(((InetSocketAddress) c.getLocalAddress()).getPort());
    Thread.sleep(60_000);
  }
}`;

async function startSink(family) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sink-'));
  const file = path.join(dir, 'Sink.java');
  fs.writeFileSync(file, SINK);
  const child = spawn('java', [file, family], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the Java sink printed no port within 30 s')), 30000);
    child.stdout.once('data', (d) => { clearTimeout(timer); resolve(Number(String(d).trim())); });
    child.once('exit', (code) => reject(new Error(`the Java sink exited with ${code}`)));
  });
  return { child, port, dir };
}

async function flood(port, count) {
  const socket = dgram.createSocket('udp4');
  const payload = Buffer.alloc(172);
  for (let i = 0; i < count; i++) {
    await new Promise((resolve, reject) => socket.send(payload, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  }
  socket.close();
}

for (const family of ['ipv6', 'ipv4']) {
  test(`drops at a full ${family === 'ipv6' ? 'Java default (IPv6)' : 'IPv4'} socket are counted`, async () => {
    const sink = await startSink(family);
    try {
      assert.equal(socketDrops(sink.child.pid), 0, 'nothing sent yet');
      await flood(sink.port, 400); // 400 × 172 bytes, far past a 4 KiB buffer
      const drops = socketDrops(sink.child.pid);
      assert.ok(drops > 100, `${drops} drops counted after 400 datagrams into a 4 KiB buffer nobody reads`);
      assert.ok(drops < 400, `${drops} drops: some datagrams must have been queued`);
    } finally {
      sink.child.kill('SIGKILL');
      fs.rmSync(sink.dir, { recursive: true, force: true });
    }
  });
}

test('threadTotals counts a thread\'s wake-ups and CPU, summed by name', async () => {
  const { threadTotals } = require('./proc');
  const before = threadTotals(process.pid);
  const main = (t) => t[Object.keys(t).find((name) => name.startsWith('node'))];
  assert.ok(main(before), `a thread named node* among ${Object.keys(before).join(', ')}`);
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5)); // 20 sleeps, 20 wake-ups
  const spin = Date.now() + 30;
  while (Date.now() < spin) { /* 30 ms on the CPU, so that utime moves by at least one tick */ }
  const after = threadTotals(process.pid);
  assert.ok(main(after).wakeUps - main(before).wakeUps >= 20, `${main(after).wakeUps - main(before).wakeUps} wake-ups`);
  assert.ok(main(after).cpuSeconds > main(before).cpuSeconds, 'CPU seconds grew');
  assert.ok(main(after).runQueueSeconds >= main(before).runQueueSeconds);
});

test('machineBusyPercent is elapsed time less idle, from two /proc/stat samples', () => {
  const { machineSample, machineBusyPercent } = require('./proc');
  // user nice system idle iowait irq softirq steal: the busy fields hardly move, as with timer-driven work the
  // tick misses; idle says 1.2 of 2 CPU-seconds were idle over one second, so 80 % of one CPU was busy
  const at = (idle, busy, nanos) => machineSample(`cpu  ${busy} 0 0 ${idle} 10 0 0 0 0 0\ncpu0 1 2 3\n`, nanos);
  const before = at(1000, 500, 0n);
  const after = at(1120, 501, 1_000_000_000n);
  assert.equal(Math.round(machineBusyPercent(before, after, 2)), 80);
  assert.equal(machineBusyPercent(before, before, 2), 0, 'no time passed');
  assert.equal(machineBusyPercent(before, at(1000, 500, 1_000_000_000n), 2), 200, 'never idle: both CPUs');
});

test('machineBusyPercent counts at least this process\'s own CPU, working on a timer', async () => {
  const { machineSample, machineBusyPercent, cpuSeconds } = require('./proc');
  const cpus = require('node:os').cpus().length;
  const before = machineSample();
  const self0 = cpuSeconds(process.pid);
  const end = Date.now() + 1500;
  while (Date.now() < end) { // 1 ms of work in every 2 ms, each piece starting on a timer
    const spin = process.hrtime.bigint() + 1_000_000n;
    while (process.hrtime.bigint() < spin) { /* work */ }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const after = machineSample();
  const seconds = Number(after.nanos - before.nanos) / 1e9;
  const self = (100 * (cpuSeconds(process.pid) - self0)) / seconds;
  // At least this process's own CPU (exact in /proc/PID/stat), less a tick of rounding per CPU
  assert.ok(machineBusyPercent(before, after, cpus) >= self - (100 * cpus) / (100 * seconds) - 2,
    `machine ${machineBusyPercent(before, after, cpus).toFixed(1)} % against this process's ${self.toFixed(1)} %`);
});

test('ratesByThread turns two samples into rates, largest first, small ones left out', () => {
  const { ratesByThread } = require('./proc');
  const before = { 'media-#': { wakeUps: 1000 }, 'lane-#': { wakeUps: 10 } };
  const after = { 'media-#': { wakeUps: 21000 }, 'lane-#': { wakeUps: 15 }, 'C# CompilerThre': { wakeUps: 400 } };
  assert.deepEqual(ratesByThread(before, after, 'wakeUps', 1 / 20, 10), { 'media-#': 1000, 'C# CompilerThre': 20 });
  assert.deepEqual(Object.keys(ratesByThread(before, after, 'wakeUps', 1 / 20, 0)), ['media-#', 'C# CompilerThre', 'lane-#']);
});

test('withReceiveBufferDefault gives sockets opened inside a larger buffer, and always puts the default back', async (t) => {
  const { withReceiveBufferDefault, udpReceiveBuffers } = require('./proc');
  const file = '/proc/sys/net/core/rmem_default';
  try {
    fs.accessSync(file, fs.constants.W_OK);
  } catch {
    t.skip('net.core.rmem_default is not writable here (not root)');
    return;
  }
  const before = Number(fs.readFileSync(file, 'utf8'));
  const wanted = before * 2;
  const open = () => new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  });
  const { result: inside, raisedTo } = await withReceiveBufferDefault(wanted, open);
  const after = await open();
  try {
    assert.equal(raisedTo, wanted);
    assert.equal(Number(fs.readFileSync(file, 'utf8')), before, 'the default is put back');
    const buffers = udpReceiveBuffers(process.pid);
    assert.ok(buffers.includes(wanted), `a socket with ${wanted} bytes among ${buffers}`);
    assert.ok(buffers.includes(before), `the socket opened after keeps ${before} bytes: ${buffers}`);
  } finally {
    inside.close();
    after.close();
  }
  await assert.rejects(withReceiveBufferDefault(wanted, async () => { throw new Error('start failed'); }), /start failed/);
  assert.equal(Number(fs.readFileSync(file, 'utf8')), before, 'put back after a failed start too');
});
