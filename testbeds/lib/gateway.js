'use strict';
// Starts the real gateway (java -jar gateway/target/pasarela.jar) on free loopback ports with
// empty config/profile/data dirs, everything else given with --set, and waits for /health.
//
//   const gw = await startGateway({ name: '01-outbound-signaling', profiles: { busy: {...} } });
//   gw.wsUrl, gw.httpPort, gw.sipPort, gw.logFile; await gw.stop();
//   gw.wssUrl, gw.httpsPort, gw.certificateFile (the self-signed certificate it made, while it runs)
//
// or, inside a describe(): const ctx = useGateway({...}); ... ctx.gw ...
// which starts it once before the tests, stops it after them, and prints its log if a test failed.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { HOST, freePort, freeUdpRange } = require('./ports');

const TESTBEDS = path.resolve(__dirname, '..');
const REPO = path.resolve(TESTBEDS, '..');
const DEFAULT_JAR = path.join(REPO, 'gateway', 'target', 'pasarela.jar');

/** testbeds/out/<name>/, created on demand. */
function outDirFor(...parts) {
  const safe = parts.map((p) => String(p).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, ''));
  const dir = path.join(TESTBEDS, 'out', ...safe);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** { a: { b: 1, c: { d: 2 } } } -> [['a.b', '1'], ['a.c.d', '2']] */
function flatten(obj, prefix = '') {
  const out = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(...flatten(v, key));
    else out.push([key, Array.isArray(v) ? v.join(',') : String(v)]);
  }
  return out;
}

function getHealth(host, port) {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: '/health', timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(null));
  });
}

/** A logback.xml like the embedded one, with the given logger levels added. */
function logbackXml(levels) {
  const loggers = { 'gov.nist': 'ERROR', 'javax.sip': 'WARN', 'io.netty': 'WARN', ...levels };
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<configuration>',
    '  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">',
    '    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>',
    '  </appender>',
    ...Object.entries(loggers).map(([name, level]) => `  <logger name="${name}" level="${level}"/>`),
    '  <root level="INFO"><appender-ref ref="STDOUT"/></root>', '</configuration>', ''].join('\n');
}

/** Open file descriptors, threads (and their names) and resident memory of a Linux process, from /proc/<pid>. */
function processStats(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) : null;
  };
  const tasks = fs.readdirSync(`/proc/${pid}/task`);
  // Thread names (the kernel keeps 15 characters), counted, with digits folded: "lane-2" -> "lane-#".
  const threadNames = {};
  for (const tid of tasks) {
    let name;
    try { name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim().replace(/\d+/g, '#'); } catch { continue; }
    threadNames[name] = (threadNames[name] || 0) + 1;
  }
  return {
    fds: fs.readdirSync(`/proc/${pid}/fd`).length,
    threads: tasks.length,
    rssKb: kb('VmRSS'),
    threadNames,
  };
}

function tail(text, lines) {
  const all = text.split('\n');
  return (all.length > lines ? `[... ${all.length - lines} earlier lines in the log file]\n` : '') + all.slice(-lines).join('\n');
}

/**
 * @param {object} o
 * @param {string} o.name                 names the output dir testbeds/out/<name>/
 * @param {object} [o.users]              { alice: 'secret' } -> users.alice.password=secret
 * @param {object} [o.profiles]           { sipp: { proxy, transport, codecs, domain, auth: { username, password } } }
 * @param {object} [o.sets]               any further key=value settings (override the defaults)
 * @param {number} [o.startTimeoutMs]     how long to wait for /health (default 60 s)
 * @param {object} [o.logLevels]          { 'org.pasarela.transport.rtp': 'DEBUG' }: written as the config
 *                                        dir's logback.xml (same pattern and defaults as the embedded one)
 */
async function startGateway(o) {
  const jar = process.env.PASARELA_JAR || DEFAULT_JAR;
  if (!process.env.PASARELA_CMD && !fs.existsSync(jar)) {
    throw new Error(`gateway jar not found: ${jar}\nbuild it first: mvn -q -B -DskipTests package (at ${REPO})`);
  }
  const outDir = outDirFor(o.name);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pasarela-testbed-'));
  const dirs = { config: path.join(tmp, 'config'), profiles: path.join(tmp, 'profiles'), data: path.join(tmp, 'data') };
  for (const d of Object.values(dirs)) fs.mkdirSync(d);

  if (o.logLevels) fs.writeFileSync(path.join(dirs.config, 'logback.xml'), logbackXml(o.logLevels));

  const httpPort = await freePort();
  const httpsPort = await freePort();
  const sipPort = await freePort();
  const rtp = await freeUdpRange(40);
  const settings = new Map([
    ['http.address', HOST],
    ['http.port', String(httpPort)],
    ['https.port', String(httpsPort)],
    ['sip.address', HOST],
    ['sip.port', String(sipPort)],
    ['media.address', HOST],
    ['rtp.port.min', String(rtp.min)],
    ['rtp.port.max', String(rtp.max)],
    ['data.dir', dirs.data],
    ['echo.enabled', 'false'],
    ['call.no-answer-timeout', '10s'],
    // The softphone page (lib/browser.js) is served from its own port, a different origin than the
    // gateway's; 07-security sets its own allowlist to test the Origin check itself.
    ['http.allowed-origins', '*'],
  ]);
  for (const [user, password] of Object.entries(o.users || { alice: 'secret' })) {
    settings.set(`users.${user}.password`, password);
  }
  for (const [name, profile] of Object.entries(o.profiles || {})) {
    for (const [k, v] of flatten(profile)) settings.set(`profile.${name}.${k}`, v);
  }
  for (const [k, v] of Object.entries(o.sets || {})) settings.set(k, String(v));
  if (settings.get('echo.enabled') === 'true' && !settings.has('echo.port')) settings.set('echo.port', String(await freePort()));

  // PASARELA_CMD replaces "java [PASARELA_JAVA_OPTS] -jar <jar>" (e.g. to run from target/classes
  // or under a debugger); the gateway arguments follow it unchanged.
  const javaOpts = (process.env.PASARELA_JAVA_OPTS || '').split(/\s+/).filter(Boolean);
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const command = process.env.PASARELA_CMD
    ? process.env.PASARELA_CMD.split(/\s+/).filter(Boolean)
    : [java, ...javaOpts, '-jar', jar];
  const args = [...command.slice(1), '--config', dirs.config, '--profiles', dirs.profiles];
  for (const [k, v] of settings) args.push('--set', `${k}=${v}`);

  // Where Node reaches the plain HTTP/WS listener: 127.0.0.1 unless a test moved it (09-turn's NAT
  // test binds it to the address its network namespaces route to).
  const httpHost = settings.get('http.address');

  const logFile = path.join(outDir, 'gateway.log');
  const log = fs.createWriteStream(logFile);
  log.write(`$ ${command[0]} ${args.join(' ')}\n`);
  const child = spawn(command[0], args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmp });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });

  let exit = null;
  const exited = new Promise((resolve) => {
    child.once('error', (e) => { exit = { code: -1, signal: null, error: e }; resolve(exit); });
    child.once('exit', (code, signal) => { exit = { code, signal }; resolve(exit); });
  });

  const gw = {
    pid: child.pid,
    httpPort,
    sipPort,
    rtp,
    settings,
    logFile,
    outDir,
    tmpDir: tmp,
    httpsPort,
    wsUrl: `ws://${httpHost}:${httpPort}/ws`,
    wssUrl: `wss://${HOST}:${httpsPort}/ws`,
    certificateFile: path.join(dirs.data, 'https-certificate.pem'),
    healthUrl: `http://${httpHost}:${httpPort}/health`,
    logText: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    /** Writes the log (last `lines` lines) to stderr with a header saying why. */
    dumpLog(why, lines = 300) {
      process.stderr.write(`\n===== gateway log (${why}): ${logFile} =====\n${tail(gw.logText(), lines)}\n===== end of gateway log =====\n`);
    },
    /**
     * GET /health, parsed: { status, sessions, sipLegs, sipInboundLegs, registrations, incomingCalls, mediaSockets,
     * udpSocketDrops }.
     */
    async health() {
      // A loaded machine (CI on 2 cores, a browser running) can miss one short poll: try for 10 s.
      let h = null;
      for (let i = 0; i < 10 && !(h && h.status === 200); i++) {
        h = await getHealth(httpHost, httpPort);
        if (!(h && h.status === 200)) await new Promise((r) => setTimeout(r, 500));
      }
      if (!h || h.status !== 200) throw new Error(`GET /health: ${h ? `${h.status} ${h.body}` : 'no answer'}`);
      return JSON.parse(h.body);
    },
    /** { fds, threads, rssKb, threadNames } of the gateway process (child.pid is the java process: spawned without a shell). */
    processStats: () => processStats(child.pid),
    /**
     * Waits until the log, from character `from` on (default 0), matches `re`; resolves the match.
     * Rejects after `timeout` ms with the log's last lines.
     */
    async waitForLog(re, { timeout = 5000, from = 0 } = {}) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const m = re.exec(gw.logText().slice(from));
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`gateway log: no ${re} within ${timeout} ms\n${tail(gw.logText().slice(from), 40)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** SIGTERM by PID, SIGKILL after 5 s; resolves with { code, signal }. */
    async stop() {
      if (!exit) {
        try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ }
        const killer = setTimeout(() => {
          log.write('\n[testbed] gateway still running 5 s after SIGTERM: SIGKILL\n');
          try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
        }, 5000);
        await exited;
        clearTimeout(killer);
      }
      await new Promise((r) => log.end(r));
      fs.rmSync(tmp, { recursive: true, force: true });
      return exit;
    },
    exited,
  };

  const timeoutMs = o.startTimeoutMs || 60000;
  const deadline = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < deadline) {
    if (exit) {
      await gw.stop();
      throw new Error(`gateway exited (code ${exit.code}${exit.signal ? `, signal ${exit.signal}` : ''}${exit.error ? `, ${exit.error.message}` : ''}) before /health answered\n${tail(gw.logText(), 80)}`);
    }
    last = await getHealth(httpHost, httpPort);
    if (last && last.status === 200) {
      let ok = false;
      try { ok = JSON.parse(last.body).status === 'ok'; } catch { /* not JSON yet */ }
      if (ok) return gw;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await gw.stop();
  throw new Error(`gateway /health not ok within ${timeoutMs} ms (last answer: ${last ? `${last.status} ${last.body}` : 'none'})\n${tail(gw.logText(), 80)}`);
}

/**
 * Registers before/afterEach/after hooks in the current describe(): one gateway for all its
 * tests. `options` is startGateway's, or an async function returning them (to allocate ports
 * for profiles first). The returned object's `gw` is set once before() ran. If any test
 * failed, the gateway log is printed after the last test.
 */
function useGateway(options) {
  const { before, after, afterEach } = require('node:test');
  const ctx = { gw: null, failed: [] };
  before(async () => {
    ctx.gw = await startGateway(typeof options === 'function' ? await options() : options);
  }, { timeout: 70000 });
  afterEach((t) => { if (!t.passed) ctx.failed.push(t.name); });
  after(async () => {
    if (!ctx.gw) return;
    const result = await ctx.gw.stop();
    if (ctx.failed.length) ctx.gw.dumpLog(`failed: ${ctx.failed.join('; ')}`);
    else if (result && result.signal === 'SIGKILL') ctx.gw.dumpLog('did not stop within 5 s of SIGTERM');
  });
  return ctx;
}

module.exports = { startGateway, useGateway, outDirFor, processStats, REPO, TESTBEDS };
