'use strict';
// coturn (Debian package coturn) as the TURN server for the testbeds: a fresh turnserver.conf in
// testbeds/out/<name>/coturn/ (127.0.0.1 only, or the one `address` given: 09-turn's NAT test binds
// it to the address its network namespaces route to; TURN REST API auth: use-auth-secret +
// static-auth-secret, no TLS, no CLI, its own user database file), run in the foreground, no daemon
// and no system service; started and stopped by PID.
//
//   const turn = await startCoturn({ name, secret });
//   turn.port, turn.realm, turn.logText()
//   await turn.stop();

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { outDirFor } = require('./gateway');
const { HOST, freePort, freeUdpRange, waitUntilBound } = require('./ports');

/**
 * @param {object} o
 * @param {string} o.name     names the output dir testbeds/out/<name>/coturn/
 * @param {string} o.secret   static-auth-secret
 * @param {string} [o.realm]
 * @param {string} [o.address=127.0.0.1]  listening and relay address (09-turn's NAT test: the address its
 *                            network namespaces route to); the ports are checked free on 127.0.0.1
 */
async function startCoturn({ name, secret, realm = 'pasarela.test', address = HOST }) {
  const dir = outDirFor(name, 'coturn');
  const port = await freePort();
  const relay = await freeUdpRange(20);
  const logFile = path.join(dir, 'turnserver.log');
  const conf = path.join(dir, 'turnserver.conf');
  fs.writeFileSync(conf, [
    `listening-ip=${address}`,
    `relay-ip=${address}`,
    `listening-port=${port}`,
    `min-port=${relay.min}`,
    `max-port=${relay.max}`,
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    `realm=${realm}`,
    'fingerprint',
    'no-cli',
    'no-tls',
    'no-dtls',
    'no-tcp-relay',
    'allow-loopback-peers',
    'no-multicast-peers',
    `userdb=${path.join(dir, 'turndb.sqlite')}`,
    `pidfile=${path.join(dir, 'turnserver.pid')}`,
    `log-file=${logFile}`,
    'simple-log',
    'verbose',
    '',
  ].join('\n'));
  fs.writeFileSync(logFile, '');
  const out = fs.openSync(path.join(dir, 'turnserver.stdout'), 'w');
  const child = spawn('turnserver', ['-c', conf], { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const turn = {
    port, realm, address, dir, logFile, pid: child.pid,
    logText: () => fs.readFileSync(logFile, 'utf8') + fs.readFileSync(path.join(dir, 'turnserver.stdout'), 'utf8'),
    /** SIGTERM to the PID we started; SIGKILL after 5 s. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 5000))]);
      if (!done) { child.kill('SIGKILL'); await exited; }
    },
  };
  try {
    await Promise.race([
      waitUntilBound(port, { udp: true, tcp: true, timeoutMs: 10000, what: 'turnserver' }),
      exited.then((e) => { throw new Error(`turnserver exited at start (${JSON.stringify(e)})`); }),
    ]);
  } catch (e) {
    await turn.stop();
    throw new Error(`${e.message}\n${turn.logText().slice(-3000)}`);
  }
  return turn;
}

module.exports = { startCoturn };
