#!/usr/bin/env node
'use strict';
// The floor under the gateway's media path on this machine (docs/benchmarks.md, finding 8). Needs gcc, sipp, a JDK
// and the gateway's jar (JavaRelay.java compiles against its SRTP classes).
//
//   node testbeds/bench/floor/floor.js [--n 100,500,1000] [--window 20] [--warmup 3] [--far-end sipp|c] [--echoes 4]
//                                      [--repeat 3] [--syscalls 300000] [--gen-work-us 0] [--relays c,java[,java-srtp]]
//                                      [--out testbeds/out/floor]
//
// For each N and each repetition, each relay of --relays carries the gateway's packet pattern: a 172-byte RTP
// packet per call every 20 ms both ways, the calls in 20 slots of 1 ms, the far end --echoes SIPp UAS with
// -rtp_echo as in run.js (or relay-floor's own echo with --far-end c). The relays: relay-floor.c (the least a
// user-space relay does: epoll, recvfrom, sendto), JavaRelay.java (the same with the JDK's selector and
// DatagramChannel, as MediaLoop) and java-srtp (JavaRelay with the gateway's SrtpTransformer per packet). The
// relay's CPU comes from /proc/PID/stat over --window seconds after --warmup. The relays take turns, so all see the
// same machine (it drifts over hours).
// Then sendto against sendmmsg and recv against recvmmsg, --syscalls packets each, batches of 1, 8 and 32.
// Prints Markdown tables; writes <out>/results.json. Loopback only; every process is ended by its PID.

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { freePort, freeUdpRange, waitUntilBound } = require('../../lib/ports');
const { cpuSeconds, socketDrops, sippEchoArgs } = require('../proc');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 || process.argv[i + 1] === undefined ? fallback : process.argv[i + 1];
}
const HERE = __dirname;
const REPO = path.resolve(HERE, '..', '..', '..');
const NS = String(option('n', '100,500,1000')).split(',').map(Number).filter((n) => n > 0 && n <= 4096);
const WINDOW = Number(option('window', 20));
const WARMUP = Number(option('warmup', 3));
const ECHOES = Number(option('echoes', 4));
const FAR_END = option('far-end', 'sipp'); // sipp (the benchmark's far end) or c (relay-floor's own echo)
const REPEAT = Number(option('repeat', 3));
const SYSCALL_PACKETS = Number(option('syscalls', 300000));
// --gen-work-us U: the generator spends U µs of CPU per packet sent and received, as a heavier client would (the
// lean client spends about 18 µs per packet, relay-floor's generator about 9 without it).
const GEN_WORK_US = Number(option('gen-work-us', 0));
// --relays c,java[,java-srtp][,java-srtp-other]: java-srtp is the Java relay running the gateway's SrtpTransformer
// per packet; java-srtp-other is the same with the SrtpTransformer of the jar named by --other-jar (another
// build of the gateway), for an A/B of an SRTP change in one run, the two alternating.
const RELAYS = String(option('relays', 'c,java')).split(',');
const GATEWAY_JAR = path.join(REPO, 'gateway', 'target', 'pasarela.jar');
const OTHER_JAR = option('other-jar', null);
const RELAY_NAMES = {
  c: 'C (epoll)', java: 'Java (NIO selector)', 'java-srtp': 'Java + the gateway\'s SRTP',
  'java-srtp-other': `Java + SRTP of ${OTHER_JAR && path.basename(OTHER_JAR)}`,
};
const relayJar = (kind) => (kind === 'java-srtp-other' ? OTHER_JAR : GATEWAY_JAR);
const OUT = path.resolve(option('out', path.join(REPO, 'testbeds', 'out', 'floor')));
const PACKETS_PER_CALL = 100; // relayed per second: 50 each way
const LIFETIME = WARMUP + WINDOW + 30; // seconds; a relay or echo left behind ends by itself
for (const [what, ok] of [['--n (1..4096 calls, comma-separated)', NS.length > 0], ['--window', WINDOW > 0],
  ['--warmup', WARMUP >= 0], ['--echoes', ECHOES >= 1], ['--repeat', REPEAT >= 1], ['--syscalls', SYSCALL_PACKETS >= 1],
  ['--far-end (sipp or c)', FAR_END === 'sipp' || FAR_END === 'c'], ['--gen-work-us', GEN_WORK_US >= 0 && GEN_WORK_US < 1000],
  ['--relays (c, java, java-srtp, java-srtp-other)', RELAYS.length > 0 && RELAYS.every((k) => k in RELAY_NAMES)],
  ['gateway jar, which JavaRelay.java compiles against (mvn -q -B -DskipTests package)',
    RELAYS.every((k) => k === 'c' || k === 'java-srtp-other') || fs.existsSync(GATEWAY_JAR)],
  ['--other-jar (an existing jar, needed by java-srtp-other)',
    !RELAYS.includes('java-srtp-other') || (OTHER_JAR !== null && fs.existsSync(OTHER_JAR))]]) {
  if (!ok) { console.error(`floor.js: bad ${what}`); process.exit(2); }
}

const log = (...a) => console.error(`[floor ${new Date().toISOString().slice(11, 19)}]`, ...a);

function build() {
  fs.mkdirSync(OUT, { recursive: true });
  const source = path.join(HERE, 'relay-floor.c');
  const binary = path.join(OUT, 'relay-floor');
  if (!fs.existsSync(binary) || fs.statSync(binary).mtimeMs < fs.statSync(source).mtimeMs) {
    execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-o', binary, source, '-lpthread'], { stdio: 'inherit' });
  }
  return binary;
}

/** Spawns a process; `ports` resolves with what it printed after `ports ` (the relay's and echo's sockets). */
function start(cmd, args, label) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LIFETIME: String(LIFETIME), GEN_WORK_US: String(GEN_WORK_US) } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const lines = readline.createInterface({ input: child.stdout });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ports = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label}: no ports within 30 s; stderr: ${stderr}`)), 30000);
    lines.on('line', (line) => {
      if (line.startsWith('ports ')) { clearTimeout(timer); resolve(line.slice(6)); }
    });
    exited.then((code) => { clearTimeout(timer); reject(new Error(`${label} exited (${code}) before its ports; stderr: ${stderr}`)); });
  });
  ports.catch(() => {}); // the generator prints no ports; for the others, awaiting `ports` raises the error
  return {
    child, ports, exited, lines,
    stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
      return exited;
    },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The far end: relay-floor's echo with --echoes sockets, or (--far-end sipp) as many SIPp UAS with -rtp_echo, the
 * benchmark's far end, started as run.js starts them. `ports` resolves with their echo ports.
 */
async function startFarEnd(binary) {
  if (FAR_END !== 'sipp') {
    const echo = start(binary, ['echo', String(ECHOES)], 'echo');
    return { pids: [echo.child.pid], ports: await echo.ports, stop: () => echo.stop() };
  }
  const sipps = [];
  const stopAll = () => Promise.all(sipps.map((x) => x.stop()));
  try {
    for (let k = 0; k < ECHOES; k++) {
      const media = await freeUdpRange(4);
      const sip = await freePort();
      const sipp = start('sipp', [...sippEchoArgs({ sipPort: sip, mediaPort: media.min, controlPort: await freePort() }),
        '-timeout', String(LIFETIME)], `sipp ${k}`);
      sipps.push(sipp);
      await waitUntilBound(sip, { udp: true, tcp: false, what: 'SIPp UAS' });
      sipp.mediaPort = media.min;
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  return { pids: sipps.map((x) => x.child.pid), ports: sipps.map((x) => x.mediaPort).join(','), stop: stopAll };
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);

async function relayRun(binary, kind, n) {
  const far = await startFarEnd(binary);
  const relay = kind === 'c'
    ? start(binary, ['relay', far.ports, String(n)], 'relay')
    : start('java', ['-Xms64m', '-Xmx256m', '-cp', relayJar(kind), path.join(HERE, 'JavaRelay.java'), far.ports,
      String(n), String(LIFETIME), kind.startsWith('java-srtp') ? 'srtp' : 'plain'], kind);
  let gen = null;
  try {
    gen = start(binary, ['gen', await relay.ports, String(WARMUP + WINDOW + 1)], 'gen');
    const counted = new Promise((resolve) => gen.lines.on('line', (line) => {
      const m = /^sent (\d+) received (\d+)/.exec(line);
      if (m) resolve({ sent: Number(m[1]), received: Number(m[2]) });
    }));
    await sleep(WARMUP * 1000);
    const groups = { relay: [relay.child.pid], echo: far.pids, gen: [gen.child.pid] };
    const ticks = () => Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, sum(pids.map(cpuSeconds))]));
    const before = ticks();
    await sleep(WINDOW * 1000);
    const after = ticks();
    const cpu = Object.fromEntries(Object.keys(groups).map((k) => [k, (100 * (after[k] - before[k])) / WINDOW]));
    const drops = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, sum(pids.map(socketDrops))]));
    const { sent, received } = await Promise.race([counted, gen.exited.then(() => ({ sent: 0, received: 0 }))]);
    await gen.exited;
    const relaySeconds = (cpu.relay / 100) * WINDOW;
    return {
      n, kind, cpu, perCall: cpu.relay / n,
      microsPerPacket: (relaySeconds * 1e6) / (n * PACKETS_PER_CALL * WINDOW),
      sent, received, loss: sent ? 1 - received / sent : null, drops,
    };
  } finally {
    if (gen) await gen.stop();
    await relay.stop();
    await far.stop();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function syscallRun(binary, batch) {
  const out = execFileSync(binary, ['syscalls', String(SYSCALL_PACKETS), String(batch)], { encoding: 'utf8', timeout: 120000 });
  const m = /send_us ([\d.]+) receive_us ([\d.]+)/.exec(out);
  if (!m) throw new Error(`syscalls ${batch}: unexpected output ${out}`);
  return { batch, send: Number(m[1]), receive: Number(m[2]) };
}

async function main() {
  const binary = build();
  const runs = [];
  for (let r = 0; r < REPEAT; r++) {
    for (const n of NS) {
      // the kinds in turn, starting one later each repetition, so that none always runs first
      for (const kind of RELAYS.map((_, k) => RELAYS[(k + r) % RELAYS.length])) {
        log(`run ${r + 1}/${REPEAT}: ${kind} relay, ${n} calls`);
        const run = { ...(await relayRun(binary, kind, n)), repetition: r + 1 };
        log(`  relay ${run.cpu.relay.toFixed(1)} % (${run.microsPerPacket.toFixed(2)} µs/packet), loss ${(100 * run.loss).toFixed(3)} %`);
        runs.push(run);
      }
    }
  }
  const syscalls = [];
  for (let r = 0; r < REPEAT; r++) for (const batch of [1, 8, 32]) syscalls.push(syscallRun(binary, batch));

  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ date: new Date().toISOString(), window: WINDOW, farEnd: FAR_END, echoes: ECHOES, genWorkUs: GEN_WORK_US, runs, syscalls }, null, 2));
  const pct = (x) => `${x.toFixed(1)} %`;
  console.log(`| N | relay | relay CPU, % of a core (median of ${REPEAT}; range) | per call | µs per relayed packet | loss | dropped at relay / echo / generator | echo CPU | generator CPU |`);
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const n of NS) {
    for (const kind of RELAYS) {
      const rs = runs.filter((x) => x.n === n && x.kind === kind);
      const cpus = rs.map((x) => x.cpu.relay);
      const m = rs.find((x) => x.cpu.relay === median(cpus));
      console.log(`| ${n} | ${RELAY_NAMES[kind]} | ${pct(m.cpu.relay)} (${Math.min(...cpus).toFixed(1)}–${Math.max(...cpus).toFixed(1)}) | ${(m.perCall).toFixed(3)} % | ${m.microsPerPacket.toFixed(2)} | ${(100 * m.loss).toFixed(3)} % | ${m.drops.relay} / ${m.drops.echo} / ${m.drops.gen} | ${pct(m.cpu.echo)} | ${pct(m.cpu.gen)} |`);
    }
  }
  console.log('');
  console.log(`| packets per system call | sendto/sendmmsg, µs of CPU per packet (median of ${REPEAT}) | recv/recvmmsg, µs per packet |`);
  console.log('|---|---|---|');
  for (const batch of [1, 8, 32]) {
    const rs = syscalls.filter((x) => x.batch === batch);
    console.log(`| ${batch} | ${median(rs.map((x) => x.send)).toFixed(2)} | ${median(rs.map((x) => x.receive)).toFixed(2)} |`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
