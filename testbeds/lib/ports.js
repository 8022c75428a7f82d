'use strict';
// Free loopback ports for the processes a test starts. A port is "free" when we could bind it
// ourselves a moment ago; nothing reserves it afterwards, so every port handed out is also
// remembered here and never handed out twice in one test process.
//
// Ports are drawn from outside the kernel's ephemeral range (ip_local_port_range). Every
// connect() and every bind to port 0 — the test's own WebSocket clients, the gateway's outbound
// SIP connections, Chromium's ICE sockets — takes a port from that range, so a port picked there
// can be taken between our check and the process binding it (a CI run lost SIPp's listening
// port that way: "Unable to bind main socket, errno = 98").

const fs = require('node:fs');
const net = require('node:net');
const dgram = require('node:dgram');

const HOST = '127.0.0.1';
const given = new Set();
const LOWEST = 10000;
/** Spans [min, max] another process of the run binds at will (a gateway's RTP range): never handed out. */
const reserved = [];

/** The kernel's ephemeral range, [low, high]; Linux's default when /proc cannot be read. */
function ephemeralRange(file = '/proc/sys/net/ipv4/ip_local_port_range') {
  try {
    const [low, high] = fs.readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low <= high) return { low, high };
  } catch { /* not Linux, or no /proc: use the default */ }
  return { low: 32768, high: 60999 };
}
const EPHEMERAL = ephemeralRange();

/**
 * Keeps [min, max] out of every later freePort/freeUdpRange: for a port range that a process of the run
 * allocates from by itself (the gateway's or Janus's RTP range), which our bind check cannot see in advance.
 */
function reservePorts(min, max) {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min > max || min < 1 || max > 65535) {
    throw new Error(`reservePorts: ${min}-${max} is not a port range`);
  }
  reserved.push([min, max]);
}

/** [a, b) minus every reserved span. */
function withoutReserved([a, b]) {
  let spans = [[a, b]];
  for (const [min, max] of reserved) {
    spans = spans.flatMap(([x, y]) => [[x, Math.min(y, min)], [Math.max(x, max + 1), y]]).filter(([x, y]) => y > x);
  }
  return spans;
}

/**
 * A random port in [LOWEST, 65535] such that the `count` ports from it all lie outside the
 * ephemeral range and every reserved span; `step` 2 gives even ports.
 */
function randomCandidate(count = 1, step = 1) {
  const { low, high } = EPHEMERAL;
  // Spans [first, end) of usable first ports, stepping by `step` from an even port when step is 2; the
  // `count` ports from any of them stay inside the span they came from.
  const spans = [[LOWEST, low], [high + 1, 65536]].flatMap(withoutReserved)
    .map(([a, b]) => [step === 2 ? a + (a % 2) : a, b - count + 1])
    .map(([first, end]) => ({ first, choices: Math.max(0, Math.ceil((end - first) / step)) }))
    .filter((span) => span.choices > 0);
  if (spans.length === 0) {
    throw new Error(`no ${count} ports outside the ephemeral range ${low}-${high} and the reserved ones above ${LOWEST}`);
  }
  const total = spans.reduce((sum, span) => sum + span.choices, 0);
  let pick = Math.floor(Math.random() * total);
  for (const { first, choices } of spans) {
    if (pick < choices) return first + pick * step;
    pick -= choices;
  }
  throw new Error('unreachable: pick is below the total of the spans');
}

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
    const candidate = randomCandidate();
    if (given.has(candidate)) continue;
    const port = await bindTcp(candidate);
    if (port === null) continue;
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
    const base = randomCandidate(count, 2);
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

/**
 * Ports with a socket bound in this network namespace, on any address, IPv4 or IPv6, from /proc/net: UDP sockets
 * in any state, TCP sockets listening (state 0A).
 */
function boundPorts(protocol) {
  const ports = new Set();
  for (const table of [`/proc/net/${protocol}`, `/proc/net/${protocol}6`]) {
    let lines;
    try {
      lines = fs.readFileSync(table, 'utf8').split('\n').slice(1);
    } catch {
      continue; // a kernel without IPv6
    }
    for (const line of lines) {
      const f = line.trim().split(/\s+/); // sl local_address rem_address st ...
      if (f.length < 4 || (protocol === 'tcp' && f[3] !== '0A')) continue;
      ports.add(parseInt(f[1].slice(f[1].lastIndexOf(':') + 1), 16));
    }
  }
  return ports;
}

/**
 * Resolves once some process has bound `port` (UDP) or listens on it (TCP), or rejects after `timeoutMs`. It looks
 * in /proc/net and never binds the port itself: a probe that did (bind, see it fail, close) held the port for an
 * instant every 50 ms, and a SIPp starting in that instant failed with "Unable to bind main socket, errno = 98".
 */
async function waitUntilBound(port, { udp = true, tcp = false, timeoutMs = 5000, what = 'process' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const udpTaken = !udp || boundPorts('udp').has(port);
    const tcpTaken = !tcp || boundPorts('tcp').has(port);
    if (udpTaken && tcpTaken) return;
    if (Date.now() > deadline) {
      throw new Error(`${what} did not bind ${tcp ? 'TCP' : 'UDP'} port ${port} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

module.exports = { HOST, freePort, freeUdpRange, waitUntilBound, ephemeralRange, reservePorts };
