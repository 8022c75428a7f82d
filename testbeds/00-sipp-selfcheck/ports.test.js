'use strict';
// The harness hands out the ports SIPp, baresip, coturn and the gateway listen on. They must
// come from outside the kernel's ephemeral range: any client socket in the run (a WebSocket
// to the gateway, the gateway's own outbound SIP over TCP) takes its port from that range,
// and can take a port we checked free a moment before the peer binds it.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { execFile } = require('node:child_process');
const { freePort, freeUdpRange, ephemeralRange, reservePorts } = require('../lib/ports');

test('free ports and UDP ranges lie outside the ephemeral range, distinct, and bindable', async () => {
  const { low, high } = ephemeralRange();
  const outside = (p) => p >= 10000 && p <= 65535 && (p < low || p > high);
  const seen = new Set();
  for (let i = 0; i < 200; i++) {
    const port = await freePort();
    assert.ok(outside(port), `freePort gave ${port}, inside the ephemeral range ${low}-${high}`);
    assert.ok(!seen.has(port), `freePort gave ${port} twice`);
    seen.add(port);
  }
  for (let i = 0; i < 50; i++) {
    const { min, max } = await freeUdpRange(4);
    assert.equal(max - min, 3);
    assert.equal(min % 2, 0, `range ${min}-${max} starts at an odd port`);
    for (let p = min; p <= max; p++) {
      assert.ok(outside(p), `freeUdpRange gave ${p}, inside the ephemeral range ${low}-${high}`);
      assert.ok(!seen.has(p), `port ${p} handed out twice`);
      seen.add(p);
    }
  }
  const port = await freePort();
  await new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => server.close(resolve));
  });
});

test('ephemeralRange reads the kernel file and falls back to Linux defaults', () => {
  assert.deepEqual(ephemeralRange('/nonexistent/ip_local_port_range'), { low: 32768, high: 60999 });
  const { low, high } = ephemeralRange();
  assert.ok(low <= high && low >= 1 && high <= 65535);
});

// Last in this file: reservations last for the process. The benchmark reserves the gateway's RTP range,
// which the gateway binds from at will while SIPp's ports are still being handed out.
test('waitUntilBound sees a socket bound later and never holds the port itself', async () => {
  const { waitUntilBound } = require('../lib/ports');
  const dgram = require('node:dgram');
  const bindOnce = (port) => new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => { s.close(); resolve(null); });
    s.bind({ address: '127.0.0.1', port, exclusive: true }, () => resolve(s));
  });
  const port = await freePort();
  const waiting = waitUntilBound(port, { udp: true, timeoutMs: 5000, what: 'the test socket' });
  // While it polls, the port must stay free for another process to take at any moment, as a starting SIPp does: a
  // probe that bound the port to see whether it was taken made SIPp fail with "Unable to bind main socket, errno =
  // 98" (2026-11-22). Another process binds and closes it as fast as it can for 1 s and counts refusals.
  const script = `const d = require('node:dgram'); let refused = 0; const until = Date.now() + 1000;
    const once = () => new Promise((r) => { const s = d.createSocket('udp4');
      s.once('error', () => { s.close(); refused++; r(); });
      s.bind({ address: '127.0.0.1', port: ${port}, exclusive: true }, () => s.close(r)); });
    (async () => { while (Date.now() < until) await once(); console.log(refused); })();`;
  const refused = await new Promise((resolve, reject) => execFile(process.execPath, ['-e', script],
    (error, stdout) => (error ? reject(error) : resolve(Number(stdout.trim()))))); // async: the probe keeps polling
  assert.equal(refused, 0, `another process found the port busy ${refused} times while waitUntilBound polled it`);
  const held = await bindOnce(port);
  assert.ok(held, 'bound after polling');
  try {
    await waiting;
  } finally {
    held.close();
  }

  const tcpPort = await freePort();
  const server = net.createServer();
  await new Promise((r) => server.listen({ host: '127.0.0.1', port: tcpPort }, r));
  try {
    await waitUntilBound(tcpPort, { udp: false, tcp: true, timeoutMs: 1000, what: 'the test listener' });
  } finally {
    await new Promise((r) => server.close(r));
  }
  await assert.rejects(waitUntilBound(await freePort(), { udp: true, timeoutMs: 200, what: 'nobody' }),
    /nobody did not bind UDP port \d+ within 200 ms/);
});

// Runs last: its reservations leave this process few ports to hand out.
test('reserved spans are never handed out, and ranges stay inside the hole left between them', async () => {
  assert.throws(() => reservePorts(20, 10), /not a port range/);
  assert.throws(() => reservePorts(1, 70000), /not a port range/);
  const { low } = ephemeralRange();
  const hole = low - 21 - ((low - 21) % 2 === 0 ? 1 : 0); // odd, so an even range must start one above
  assert.ok(hole > 10000, `the ephemeral range starts at ${low}, too low for this test`);
  reservePorts(10000, hole - 1);
  reservePorts(hole + 10, 65535);
  const inHole = (p) => p >= hole && p < hole + 10;
  const { min, max } = await freeUdpRange(4);
  assert.ok(inHole(min) && inHole(max), `freeUdpRange gave ${min}-${max}, outside ${hole}-${hole + 9}`);
  assert.equal(min % 2, 0);
  for (let i = 0; i < 4; i++) {
    const port = await freePort();
    assert.ok(inHole(port), `freePort gave ${port}, outside the only free hole ${hole}-${hole + 9}`);
  }
  await assert.rejects(freeUdpRange(12), /no 12 ports outside/);
});
