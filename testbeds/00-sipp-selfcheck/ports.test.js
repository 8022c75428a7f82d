'use strict';
// The harness hands out the ports SIPp, baresip, coturn and the gateway listen on. They must
// come from outside the kernel's ephemeral range: any client socket in the run (a WebSocket
// to the gateway, the gateway's own outbound SIP over TCP) takes its port from that range,
// and can take a port we checked free a moment before the peer binds it.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
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
