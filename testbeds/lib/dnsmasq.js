'use strict';
// Runs dnsmasq (Debian package dnsmasq-base) as a private DNS server on 127.0.0.1 for one test
// file: only the records given, nothing from /etc (no resolv.conf, no hosts, no config file, no
// pid file), no DHCP, in the foreground, stopped by PID.
//
//   const dns = await startDnsmasq({ outDir, local: ['guifi.test'],
//     srv: [{ name: '_sip._udp.guifi.test', target: 'sipp.guifi.test', port: 5062, priority: 10, weight: 10 }],
//     hosts: { 'sipp.guifi.test': '127.0.0.1' } });
//   dns.server  // '127.0.0.1:<port>', for sip.dns-server
//   await dns.stop();

const { spawn } = require('node:child_process');
const dgram = require('node:dgram');
const fs = require('node:fs');
const path = require('node:path');
const { HOST, freePort } = require('./ports');

const DNSMASQ = process.env.DNSMASQ || '/usr/sbin/dnsmasq';

/** A minimal DNS query for `name` type A; resolves with the response's RCODE, or null on timeout. */
function probe(port, name, timeoutMs = 300) {
  return new Promise((resolve) => {
    const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
    const query = Buffer.concat([
      Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]),
      ...labels, Buffer.from([0, 0, 1, 0, 1]),
    ]);
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => { socket.close(); resolve(null); }, timeoutMs);
    socket.on('message', (msg) => { clearTimeout(timer); socket.close(); resolve(msg[3] & 0x0f); });
    socket.on('error', () => { clearTimeout(timer); socket.close(); resolve(null); });
    socket.send(query, port, HOST);
  });
}

/**
 * @param {object} o
 * @param {string} o.outDir                 dnsmasq's log (every query) goes to <outDir>/dnsmasq.log
 * @param {string[]} [o.local]              domains answered only from here (NXDOMAIN for unknown names)
 * @param {object[]} [o.srv]                { name, target, port, priority, weight }
 * @param {object} [o.hosts]                { name: ipv4 } A records
 */
async function startDnsmasq(o) {
  if (!fs.existsSync(DNSMASQ)) {
    throw new Error(`${DNSMASQ} not found: install Debian's dnsmasq-base (testbeds/install.sh does)`);
  }
  const port = await freePort();
  fs.mkdirSync(o.outDir, { recursive: true });
  const logFile = path.join(o.outDir, 'dnsmasq.log');
  const args = [
    '--keep-in-foreground', '--no-daemon', '--conf-file=/dev/null', '--no-resolv', '--no-hosts',
    '--no-poll', '--pid-file=', `--listen-address=${HOST}`, '--bind-interfaces', `--port=${port}`,
    '--log-queries', '--log-facility=-',
  ];
  for (const domain of o.local || []) args.push(`--local=/${domain}/`);
  for (const r of o.srv || []) {
    args.push(`--srv-host=${r.name},${r.target},${r.port},${r.priority ?? 0},${r.weight ?? 0}`);
  }
  for (const [name, address] of Object.entries(o.hosts || {})) args.push(`--host-record=${name},${address}`);

  const log = fs.createWriteStream(logFile);
  log.write(`$ ${DNSMASQ} ${args.join(' ')}\n`);
  const child = spawn(DNSMASQ, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  let exit = null;
  const exited = new Promise((resolve) => {
    child.once('error', (e) => { exit = { code: -1, error: e }; resolve(exit); });
    child.once('exit', (code, signal) => { exit = { code, signal }; resolve(exit); });
  });

  const handle = {
    port,
    pid: child.pid,
    server: `${HOST}:${port}`,
    logFile,
    logText: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    /** SIGTERM by PID, SIGKILL after 3 s. */
    async stop() {
      if (!exit) {
        try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ }
        const killer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
        await exited;
        clearTimeout(killer);
      }
      await new Promise((r) => log.end(r));
      return exit;
    },
  };

  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`dnsmasq exited (${JSON.stringify(exit)}) before answering:\n${handle.logText()}`);
    if ((await probe(port, 'probe.invalid')) !== null) return handle;
    await new Promise((r) => setTimeout(r, 50));
  }
  await handle.stop();
  throw new Error(`dnsmasq did not answer on ${handle.server} within 5 s:\n${handle.logText()}`);
}

module.exports = { startDnsmasq };
