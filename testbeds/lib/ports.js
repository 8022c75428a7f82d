'use strict';
// Free loopback ports for the processes a test starts. A port is "free" when we could bind it
// ourselves a moment ago; nothing reserves it afterwards, so every port handed out is also
// remembered here and never handed out twice in one test process.

const net = require('node:net');
const dgram = require('node:dgram');

const HOST = '127.0.0.1';
const given = new Set();

function bindTcp(port, host = HOST) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen({ host, port, exclusive: true }, () => {
      const bound = server.address().port;
      server.close(() => resolve(bound));
    });
  });
}

function bindUdp(port, host = HOST) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(null);
    });
    socket.bind({ address: host, port, exclusive: true }, () => {
      const bound = socket.address().port;
      socket.close(() => resolve(bound));
    });
  });
}

/** A port that is free for both TCP and UDP on 127.0.0.1 (SIP listens on both). */
async function freePort() {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = await bindTcp(0);
    if (port === null || given.has(port)) continue;
    if ((await bindUdp(port)) === port) {
      given.add(port);
      return port;
    }
  }
  throw new Error('no port free for both TCP and UDP on 127.0.0.1 after 200 attempts');
}

/** `count` consecutive UDP ports, all free, starting at an even port (RTP convention). */
async function freeUdpRange(count) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20000 + 2 * Math.floor(Math.random() * 10000);
    let ok = true;
    for (let p = base; p < base + count && ok; p++) {
      ok = !given.has(p) && (await bindUdp(p)) === p;
    }
    if (ok) {
      for (let p = base; p < base + count; p++) given.add(p);
      return { min: base, max: base + count - 1 };
    }
  }
  throw new Error(`no run of ${count} free UDP ports on 127.0.0.1 after 200 attempts`);
}

/** Resolves once something else has bound `port` on `host` (we can no longer bind it), or rejects. */
async function waitUntilBound(port, { udp = true, tcp = false, timeoutMs = 5000, what = 'process', host = HOST } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const udpTaken = !udp || (await bindUdp(port, host)) === null;
    const tcpTaken = !tcp || (await bindTcp(port, host)) === null;
    if (udpTaken && tcpTaken) return;
    if (Date.now() > deadline) {
      throw new Error(`${what} did not bind ${tcp ? 'TCP' : 'UDP'} port ${port} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

module.exports = { HOST, freePort, freeUdpRange, waitUntilBound };
