'use strict';
// The harness hands out the ports SIPp, baresip, coturn and the gateway listen on. They must
// come from outside the kernel's ephemeral range: any client socket in the run (a WebSocket
// to the gateway, the gateway's own outbound SIP over TCP) takes its port from that range,
// and can take a port we checked free a moment before the peer binds it.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { freePort, freeUdpRange, ephemeralRange } = require('../lib/ports');

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
