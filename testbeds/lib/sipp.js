'use strict';
// Runs one SIPp process for one call (-m 1) with a scenario file and collects what it saw.
//
//   const uas = await startSipp({ scenario, port, outDir, transport: 'udp' });
//   ... make the gateway call it ...
//   const result = await uas.done;   // { code, messages, trace, errors, stdout }
//
// The promise resolves (never rejects) when SIPp exits; exit code 0 means every step of the
// scenario happened. SIPp's own -timeout ends it; if it still hangs, it is killed by PID.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { HOST, freePort, freeUdpRange, waitUntilBound } = require('./ports');
const { parseTrace } = require('./siptrace');

const SIPP = process.env.SIPP || 'sipp';

function seconds(timeout) {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(String(timeout));
  if (!m) throw new Error(`SIPp timeout must look like 20s or 1500ms, got ${timeout}`);
  return m[2] === 'ms' ? Number(m[1]) / 1000 : Number(m[1]);
}

/**
 * @param {object} o
 * @param {string} o.scenario   path of the scenario XML
 * @param {string} o.outDir     where the message trace, error trace and stdout go
 * @param {string} [o.name]     file prefix inside outDir (default: scenario basename)
 * @param {number} [o.port]     local SIP port (default: a free one)
 * @param {'udp'|'tcp'} [o.transport]
 * @param {string} [o.timeout]  SIPp's global -timeout (default 20s); reaching it fails the run
 * @param {object} [o.keys]     -key name value pairs, usable as [name] in the scenario
 * @param {string} [o.remote]   host:port to call (UAC scenarios only)
 * @param {string} [o.service]  -s user part of the request URI (UAC scenarios only)
 * @param {string} [o.host]     local address to send from (default 127.0.0.1; any 127.0.0.x works on lo)
 * @param {string[]} [o.args]   any further SIPp arguments
 */
async function startSipp(o) {
  const transport = (o.transport || 'udp').toLowerCase();
  if (!['udp', 'tcp'].includes(transport)) throw new Error(`transport must be udp or tcp, got ${o.transport}`);
  const port = o.port || (await freePort());
  const media = await freeUdpRange(4);
  const controlPort = await freePort();
  const name = o.name || path.basename(o.scenario, '.xml');
  fs.mkdirSync(o.outDir, { recursive: true });
  const messageFile = path.join(o.outDir, `${name}.messages.log`);
  const errorFile = path.join(o.outDir, `${name}.errors.log`);
  const stdoutFile = path.join(o.outDir, `${name}.stdout.log`);
  for (const f of [messageFile, errorFile]) fs.rmSync(f, { force: true });
  const timeout = o.timeout || '20s';

  const args = ['-sf', o.scenario];
  if (o.remote) args.push(o.remote);
  if (o.service) args.push('-s', o.service);
  args.push(
    '-i', o.host || HOST, '-p', String(port), '-mp', String(media.min), '-cp', String(controlPort),
    '-m', '1', '-timeout', timeout, '-timeout_error', '-nostdin',
    '-trace_msg', '-message_file', messageFile,
    '-trace_err', '-error_file', errorFile,
    '-t', transport === 'tcp' ? 't1' : 'u1',
  );
  for (const [k, v] of Object.entries(o.keys || {})) args.push('-key', k, String(v));
  args.push(...(o.args || []));

  const out = fs.createWriteStream(stdoutFile);
  out.write(`$ ${SIPP} ${args.join(' ')}\n`);
  const child = spawn(SIPP, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });

  const killAfterMs = seconds(timeout) * 1000 + 10000;
  const killer = setTimeout(() => {
    out.write(`\n[testbed] SIPp still running ${killAfterMs} ms after start: SIGKILL ${child.pid}\n`);
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }, killAfterMs);

  const done = new Promise((resolve) => {
    const finish = (code, signal, spawnError) => {
      clearTimeout(killer);
      out.end(() => {
        const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
        const trace = read(messageFile);
        resolve({
          code: spawnError ? -1 : code,
          signal,
          spawnError,
          trace,
          messages: parseTrace(trace),
          errors: read(errorFile),
          stdout: read(stdoutFile),
          files: { messageFile, errorFile, stdoutFile },
        });
      });
    };
    child.once('error', (e) => finish(null, null, e));
    child.once('exit', (code, signal) => finish(code, signal, null));
  });

  const handle = {
    port,
    transport,
    pid: child.pid,
    done,
    uri: `sip:${HOST}:${port}`,
    /** End SIPp now (by PID) and wait for its result. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return done;
      try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const t = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
      const r = await done;
      clearTimeout(t);
      r.stoppedByTest = true;
      return r;
    },
  };

  if (!o.remote) {
    // A UAS is useful only once it listens; SIPp says nothing when it does, so probe the port.
    const bound = waitUntilBound(port, { udp: transport === 'udp', tcp: transport === 'tcp', what: `SIPp (${name})` });
    const exitedEarly = done.then((r) => {
      throw new Error(`SIPp (${name}) exited with ${r.code} before listening:\n${r.stdout}${r.spawnError ? r.spawnError.message : ''}`);
    });
    await Promise.race([bound, exitedEarly]);
    exitedEarly.catch(() => {});
  }
  return handle;
}

/** A readable account of a SIPp run for assertion messages. */
function describeRun(result) {
  const flow = result.messages.map((m) => '  ' + m.summary()).join('\n') || '  (no SIP message)';
  const how = result.stoppedByTest ? ', stopped by the test before its scenario ended' : '';
  return `SIPp exit code ${result.code}${result.signal ? ` (signal ${result.signal})` : ''}${how}\n` +
    `messages:\n${flow}\n` +
    (result.errors ? `errors:\n${result.errors.trim()}\n` : '') +
    `trace: ${result.files ? result.files.messageFile : '(none)'}`;
}

module.exports = { startSipp, describeRun };
