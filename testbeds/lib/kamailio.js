'use strict';
// Kamailio (Debian package kamailio) as a registrar for the testbeds: the config kept in a testbed
// folder is copied to testbeds/out/<name>/ with @PORT@ and @CTL@ filled in, and run in the
// foreground (-DD -E: log to stderr, which goes to a file). Started and stopped by PID.
// `vars` fills further @NAME@ placeholders; `defines` are passed as -A NAME (for #!ifdef NAME blocks).
//
//   const kam = await startKamailio({ cfg, name, port });
//   const kam = await startKamailio({ cfg, name, port, vars: { TLSPORT: 5061 }, defines: ['WITH_TLS'] });
//   kam.registers({ user })  -> the REGISTER-SEEN lines the cfg logs, parsed (proto: if the cfg logs it)
//   await kam.contacts('alice') -> contact URIs usrloc holds for that AOR (kamcmd ul.dump)
//   await kam.stop(); await kam.restart();

const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { outDirFor } = require('./gateway');

function kamcmd(socket, ...args) {
  return new Promise((resolve, reject) => {
    execFile('kamcmd', ['-s', `unix:${socket}`, ...args], { timeout: 5000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kamcmd ${args.join(' ')}: ${err.message} ${stderr}`));
      else resolve(stdout);
    });
  });
}

async function startKamailio({ cfg, name, port, vars = {}, defines = [] }) {
  const dir = outDirFor(name, 'kamailio');
  const ctl = path.join(dir, 'ctl.sock');
  const cfgCopy = path.join(dir, 'kamailio.cfg');
  let text = fs.readFileSync(cfg, 'utf8').replaceAll('@PORT@', String(port)).replaceAll('@CTL@', ctl);
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`@${k}@`, String(v));
  fs.writeFileSync(cfgCopy, text);
  const logFile = path.join(dir, 'kamailio.log');
  fs.writeFileSync(logFile, '');
  let child = null;

  const kam = {
    port, logFile, dir,
    logText: () => fs.readFileSync(logFile, 'utf8'),
    /** REGISTER-SEEN lines: { user, callid, cseq, expires, auth (bool), proto (or null), contact, at (index in log) }. */
    registers({ user } = {}) {
      const out = [];
      const re = /REGISTER-SEEN user=(\S*) callid=(\S*) cseq=(\d+) expires=(\S*) auth=(\S*)(?: proto=(\S*))? contact=(.*)$/gm;
      for (let m; (m = re.exec(kam.logText()));) {
        const r = { user: m[1], callid: m[2], cseq: Number(m[3]), expires: m[4], auth: m[5] !== '<null>' && m[5] !== '0', proto: m[6] || null, contact: m[7], at: m.index };
        if (!user || r.user === user) out.push(r);
      }
      return out;
    },
    /** Contact URIs usrloc holds for `aor` (user part), [] if none. */
    async contacts(aor) {
      const dump = await kamcmd(ctl, 'ul.dump');
      const out = [];
      // ul.dump prints AoR blocks: "AoR: alice" ... "Address: sip:..." lines until the next AoR.
      for (const block of dump.split(/AoR: /).slice(1)) {
        const name = block.split(/\s/)[0];
        if (name !== aor) continue;
        for (const m of block.matchAll(/Address: (\S+)/g)) out.push(m[1]);
      }
      return out;
    },
    /** Kamailio's TCP and TLS connections (kamcmd core.tcp_list), each block's "key: value" lines as an object. */
    async connections() {
      const out = await kamcmd(ctl, 'core.tcp_list');
      return out.split(/\n\s*\{|\}\s*\n/).map((block) => Object.fromEntries(
        [...block.matchAll(/^\s*([a-z_]+):\s*(.*?)\s*$/gm)].map((m) => [m[1], m[2]]))).filter((c) => Object.keys(c).length);
    },
    async waitForContacts(aor, predicate, { timeout = 10000 } = {}) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const list = await kam.contacts(aor);
        if (predicate(list)) return list;
        if (Date.now() > deadline) throw new Error(`kamailio: contacts of ${aor} are ${JSON.stringify(list)} after ${timeout} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async start() {
      const log = fs.openSync(logFile, 'a');
      child = spawn('kamailio', ['-f', cfgCopy, '-DD', '-E', '-Y', dir, '-m', '32', '-M', '8', ...defines.flatMap((d) => ['-A', d])], { stdio: ['ignore', log, log] });
      fs.closeSync(log);
      const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      child.exited = exited;
      const deadline = Date.now() + 10000;
      for (;;) {
        try { await kamcmd(ctl, 'core.version'); return; } catch (e) { /* not up yet */ }
        const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 200))]);
        if (early) throw new Error(`kamailio exited (${JSON.stringify(early)})\n${kam.logText().slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`kamailio: no answer on ${ctl} within 10 s\n${kam.logText().slice(-3000)}`);
      }
    },
    /** SIGTERM to the PID we started; SIGKILL after 5 s. */
    async stop() {
      if (!child) return;
      const c = child;
      child = null;
      if (c.exitCode !== null || c.signalCode !== null) return;
      c.kill('SIGTERM');
      const done = await Promise.race([c.exited, new Promise((r) => setTimeout(() => r(null), 5000))]);
      if (!done) { c.kill('SIGKILL'); await c.exited; }
    },
    async restart() { await kam.stop(); await kam.start(); },
  };
  await kam.start();
  return kam;
}

module.exports = { startKamailio, kamcmd };
