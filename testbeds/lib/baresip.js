'use strict';
// A real SIP phone on the far end: baresip (Debian package, v1.0.0 on bookworm), headless, on
// 127.0.0.1 only, answering every call at once, playing a tone WAV as its microphone and dumping
// what it receives to a WAV file.
//
//   const far = await startBaresip({ outDir, user: '1000', toneHz: 1000 });
//   profile: { proxy: `sip:127.0.0.1:${far.port}`, codecs: 'PCMU,PCMA', domain: '127.0.0.1' }
//   ... the gateway calls 1000 ...
//   await far.waitFor('established'); await far.waitFor('closed');
//   far.recordings()  -> { received: '.../dump-...-dec.wav' | null, sent: '.../dump-...-enc.wav' | null }
//   await far.stop();
//
// How it is set up (generated config dir, `baresip -f DIR`):
// - modules: g711 (PCMU, PCMA), aufile (audio source from a WAV file: 8 kHz mono s16, as G.711
//   needs), sndfile (an audio filter that writes dump-<time>-dec.wav with the decoded audio it
//   received and dump-<time>-enc.wav with what it sent, in snd_path), account. No UI module
//   (nothing reads a tty), no stun/turn/ice/contact/presence/ctrl: nothing but SIP and RTP on
//   127.0.0.1. In 1.0.0 aufile is a source only (no player); sndfile is the recorder.
// - one account <sip:USER@127.0.0.1>;regint=0 (never registers);answermode=auto. baresip
//   matches an incoming INVITE to an account by the request URI's user ("UA not found: 1000"
//   and a 404 otherwise), so USER must be the number the gateway dials.
// - sip_listen 127.0.0.1:PORT (UDP and TCP), net_interface 127.0.0.1, rtp_ports from a free range.
// - `-s` prints the SIP trace to stdout, `-t SECONDS` ends a forgotten process. It ends on SIGTERM
//   ("terminated by signal 15"); stop() sends that to its PID.
// Events are read from its stdout (baresip.log in outDir).

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { HOST, freePort, freeUdpRange, waitUntilBound } = require('./ports');
const { makeTone } = require('./audio');

const BARESIP = process.env.BARESIP || 'baresip';
const MODULE_PATH = process.env.BARESIP_MODULES || '/usr/lib/baresip/modules';

// stdout line -> event type. Wording of baresip 1.0.0 (src/ua.c, src/call.c, modules/sndfile).
const EVENTS = [
  [/call: answering call on line \d+ from (\S+) with (\d+)/, 'answering'],
  [/Call established: (\S+)/, 'established'],
  [/session closed: (.*)$/, 'closed'],
  [/Call with (\S+) terminated \(duration: (\d+) secs?\)/, 'terminated'],
  [/sndfile: dumping decode audio to (\S+)/, 'recording'],
  [/UA not found: (\S+)/, 'ua-not-found'],
  [/audio: Set audio decoder: (\S+)/, 'decoder'],
  // An RFC 4733 telephone-event received (src/call.c): once when it starts, once at its end.
  [/received event: '(.)' \(end=(\d)\)/, 'dtmf'],
];

function stripAnsi(s) {
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}

/**
 * @param {object} o
 * @param {string} o.outDir            config, tone, recordings and baresip.log go here
 * @param {string} [o.user='1000']     the account user: the number the gateway will dial
 * @param {number} [o.port]            SIP port on 127.0.0.1 (default: a free one)
 * @param {number} [o.toneHz=1000]     the microphone tone (8 kHz mono, 60 s)
 * @param {string[]} [o.codecs]        default ['PCMU', 'PCMA']
 * @param {number} [o.maxSeconds=120]  baresip -t: quits by itself after this long
 * @param {number} [o.readyTimeoutMs=10000]
 * @param {boolean} [o.control=false]  also load menu (its commands: hangup, ...) and ctrl_tcp on a free
 *                                     127.0.0.1 port, so that far.command('hangup') works
 */
async function startBaresip({ outDir, user = '1000', port, toneHz = 1000, codecs = ['PCMU', 'PCMA'], maxSeconds = 120, readyTimeoutMs = 10000, control = false }) {
  const sipPort = port || (await freePort());
  const controlPort = control ? await freePort() : null;
  const rtp = await freeUdpRange(20);
  const configDir = path.join(outDir, 'baresip-config');
  const recordDir = path.join(outDir, 'baresip-recordings');
  fs.rmSync(configDir, { recursive: true, force: true });
  fs.rmSync(recordDir, { recursive: true, force: true });
  fs.mkdirSync(configDir, { recursive: true });
  fs.mkdirSync(recordDir, { recursive: true });
  const toneFile = makeTone({ file: path.join(outDir, `baresip-mic-${toneHz}hz-8k.wav`), freq: toneHz, rate: 8000, seconds: 60 });

  const config = [
    'poll_method\tepoll',
    `sip_listen\t${HOST}:${sipPort}`,
    `net_interface\t${HOST}`,
    `rtp_ports\t${rtp.min}-${rtp.max}`,
    'call_local_timeout\t120',
    'call_max_calls\t4',
    `audio_source\taufile,${toneFile}`,
    'audio_level\tno',
    'rtp_stats\tno',
    `snd_path\t${recordDir}`,
    `module_path\t${MODULE_PATH}`,
    'module\tg711.so',
    'module\taufile.so',
    'module\tsndfile.so',
    'module_tmp\taccount.so',
    // Commands over TCP: ctrl_tcp carries them, menu registers them (hangup, dial, ...).
    ...(control ? ['module\tmenu.so', 'module\tctrl_tcp.so', `ctrl_tcp_listen\t${HOST}:${controlPort}`, 'ringback_disabled\tyes'] : []),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(configDir, 'config'), config);
  fs.writeFileSync(path.join(configDir, 'accounts'),
    `<sip:${user}@${HOST}>;regint=0;answermode=auto;audio_codecs=${codecs.join(',')}\n`);
  fs.writeFileSync(path.join(configDir, 'contacts'), '');

  const logFile = path.join(outDir, 'baresip.log');
  const log = fs.createWriteStream(logFile);
  const args = ['-f', configDir, '-s', '-t', String(maxSeconds)];
  log.write(`$ ${BARESIP} ${args.join(' ')}\n`);
  // baresip logs with stdio, so into a pipe its stdout is block-buffered: the last lines of a
  // call (e.g. "terminated") could wait in its buffer for seconds. stdbuf makes it line-buffered.
  const stdbuf = ['/usr/bin/stdbuf', '/bin/stdbuf'].find((f) => fs.existsSync(f));
  const child = stdbuf
    ? spawn(stdbuf, ['-oL', '-eL', BARESIP, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: outDir })
    : spawn(BARESIP, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: outDir });

  const lines = [];
  const events = [];
  let waiters = [];
  const wake = () => { const w = waiters; waiters = []; for (const f of w) f(); };
  let partial = '';
  const onData = (chunk) => {
    log.write(chunk);
    partial += stripAnsi(chunk.toString('utf8'));
    const parts = partial.split(/\r?\n/);
    partial = parts.pop();
    for (const line of parts) {
      lines.push(line);
      for (const [re, type] of EVENTS) {
        const m = re.exec(line);
        if (m) events.push({ at: Date.now(), type, detail: m.slice(1), line });
      }
    }
    wake();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  let exit = null;
  const exited = new Promise((resolve) => {
    child.once('error', (e) => { exit = { code: -1, signal: null, error: e }; wake(); resolve(exit); });
    child.once('exit', (code, signal) => { exit = { code, signal }; wake(); resolve(exit); });
  });

  const taken = new Set();
  const far = {
    pid: child.pid,
    port: sipPort,
    user,
    uri: `sip:${user}@${HOST}:${sipPort}`,
    rtp,
    controlPort,
    configDir,
    recordDir,
    toneFile,
    logFile,
    events,
    exited,
    /** baresip's output so far (colour codes removed). */
    output: () => lines.join('\n') + (partial ? `\n${partial}` : ''),
    /**
     * The SIP messages of the -s trace, in order: { transport, from, to, startLine, method, status }
     * (from/to as "ip:port"; method for requests, status for responses).
     */
    /**
     * Resolves once the call is over for baresip: its "Call ... terminated" line, or, since that line has been
     * seen to lag behind or never come while the SIP trace already shows it, a received BYE it answered 200.
     */
    async waitForCallEnd({ timeout = 10000 } = {}) {
      const deadline = Date.now() + timeout;
      while (Date.now() < deadline) {
        if (events.some((e) => e.type === 'terminated')) return 'terminated';
        const trace = far.sipTrace();
        const bye = trace.findIndex((m) => m.method === 'BYE');
        if (bye >= 0 && trace.slice(bye + 1).some((m) => m.status === 200)) return 'BYE answered 200';
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`baresip: the call did not end within ${timeout} ms\n${far.describe()}`);
    },
    sipTrace() {
      const out = [];
      for (let i = 0; i + 1 < lines.length; i++) {
        const hop = /^(UDP|TCP|TLS) (\S+) -> (\S+)$/.exec(lines[i]);
        if (!hop) continue;
        const startLine = lines[i + 1];
        const req = /^([A-Z]+) \S+ SIP\/2\.0$/.exec(startLine);
        const res = /^SIP\/2\.0 (\d{3}) /.exec(startLine);
        if (!req && !res) continue;
        out.push({ transport: hop[1], from: hop[2], to: hop[3], startLine, method: req ? req[1] : null, status: res ? Number(res[1]) : null });
      }
      return out;
    },
    /**
     * The next event of `type` not returned before; rejects after `timeout` ms or when baresip
     * exits, with its output.
     */
    waitFor(type, { timeout = 10000 } = {}) {
      return new Promise((resolve, reject) => {
        let timer = null;
        const check = () => {
          const i = events.findIndex((e, k) => e.type === type && !taken.has(k));
          if (i >= 0) {
            clearTimeout(timer);
            taken.add(i);
            resolve(events[i]);
          } else if (exit) {
            clearTimeout(timer);
            reject(new Error(`baresip exited (${JSON.stringify(exit)}) without "${type}"\n${far.describe()}`));
          } else {
            waiters.push(check);
          }
        };
        timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== check);
          reject(new Error(`baresip: no "${type}" within ${timeout} ms\n${far.describe()}`));
        }, timeout);
        check();
      });
    },
    /** The sndfile dumps of the last call: received = decoded audio from the gateway, sent = the tone. */
    recordings() {
      const files = fs.existsSync(recordDir) ? fs.readdirSync(recordDir).sort() : [];
      const last = (suffix) => {
        const f = files.filter((x) => x.endsWith(suffix)).pop();
        return f ? path.join(recordDir, f) : null;
      };
      return { received: last('-dec.wav'), sent: last('-enc.wav') };
    },
    /**
     * Runs a baresip command over ctrl_tcp (needs control: true), e.g. command('hangup'):
     * sends {"command","params","token"} as a netstring and resolves with the JSON response
     * ({ response: true, ok, data, token }); events arriving on the connection are skipped.
     */
    command(name, params = '', { timeout = 5000 } = {}) {
      if (!controlPort) return Promise.reject(new Error('baresip was started without control: true'));
      const net = require('node:net');
      const token = `t${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
      return new Promise((resolve, reject) => {
        const sock = net.connect(controlPort, HOST);
        let buf = Buffer.alloc(0);
        const fail = (e) => { clearTimeout(timer); sock.destroy(); reject(e); };
        const timer = setTimeout(() => fail(new Error(`baresip: no response to "${name}" within ${timeout} ms`)), timeout);
        sock.on('error', (e) => fail(new Error(`baresip ctrl_tcp ${HOST}:${controlPort}: ${e.message}`)));
        sock.on('connect', () => {
          const body = Buffer.from(JSON.stringify({ command: name, params, token }));
          sock.write(Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]));
        });
        sock.on('data', (d) => {
          buf = Buffer.concat([buf, d]);
          for (;;) {
            const colon = buf.indexOf(':');
            if (colon < 0) return;
            const len = Number(buf.subarray(0, colon).toString());
            if (buf.length < colon + 1 + len + 1) return;
            const msg = JSON.parse(buf.subarray(colon + 1, colon + 1 + len).toString());
            buf = buf.subarray(colon + 1 + len + 1);
            if (msg.response) {
              clearTimeout(timer);
              sock.end();
              resolve(msg);
              return;
            }
          }
        });
      });
    },
    describe(lastLines = 80) {
      const all = far.output().split('\n');
      return `===== baresip (${far.uri}, pid ${child.pid}) output: ${logFile} =====\n${all.slice(-lastLines).join('\n')}\n===== end of baresip output =====`;
    },
    /** SIGTERM by PID, SIGKILL after 5 s; resolves { code, signal }. */
    async stop() {
      if (!exit) {
        try { process.kill(child.pid, 'SIGTERM'); } catch { /* gone */ }
        const killer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
        await exited;
        clearTimeout(killer);
      }
      await new Promise((r) => log.end(r));
      return exit;
    },
  };

  // Ready once it printed "baresip is ready." and holds its SIP port.
  const deadline = Date.now() + readyTimeoutMs;
  while (!lines.some((l) => l.includes('baresip is ready.'))) {
    if (exit || Date.now() > deadline) {
      await far.stop();
      const why = exit && exit.error && exit.error.code === 'ENOENT'
        ? `${BARESIP} not found (apt-get install baresip, or run testbeds/install.sh)`
        : `not ready within ${readyTimeoutMs} ms (exit: ${JSON.stringify(exit)})`;
      throw new Error(`baresip: ${why}\n${far.describe()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await waitUntilBound(sipPort, { udp: true, timeoutMs: 2000, what: 'baresip' });
  return far;
}

module.exports = { startBaresip };
