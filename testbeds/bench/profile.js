'use strict';
// async-profiler for the benchmark: CPU samples of the running gateway with Java and kernel frames in one
// stack, which neither JFR (Java frames only, and too few samples of a thread that lives in system calls) nor
// perf (Java frames only through a perf map, and it raised a relay's CPU from 10.7 to 16.5 % of a core) gave.
// The library comes from Maven Central (tools.profiler:async-profiler) and is attached to the gateway's JVM with
// `jcmd PID JVMTI.agent_load` for the measured window only.
//   node testbeds/bench/profile.js summary FILE.collapsed [--thread media-]   a table of where a thread's time goes

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const VERSION = '4.1';

/** The path of libasyncProfiler.so for this machine, fetched into the local Maven repository once. */
function asyncProfilerLibrary(dir = path.join(os.tmpdir(), `async-profiler-${VERSION}`)) {
  const lib = path.join(dir, 'linux-x64', 'libasyncProfiler.so');
  if (fs.existsSync(lib)) return lib;
  if (process.arch !== 'x64' || process.platform !== 'linux') {
    throw new Error(`async-profiler: only linux-x64 is set up here, not ${process.platform}-${process.arch}`);
  }
  execFileSync('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=tools.profiler:async-profiler:${VERSION}`,
    '-Dtransitive=false'], { stdio: 'inherit' });
  const jar = path.join(os.homedir(), '.m2', 'repository', 'tools', 'profiler', 'async-profiler', VERSION,
    `async-profiler-${VERSION}.jar`);
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('jar', ['xf', jar, 'linux-x64/libasyncProfiler.so'], { cwd: dir });
  if (!fs.existsSync(lib)) throw new Error(`async-profiler: ${jar} holds no linux-x64/libasyncProfiler.so`);
  return lib;
}

/**
 * Runs one async-profiler command inside the JVM `pid`. jcmd splits its arguments at commas unless they are
 * quoted, hence the quotes around the command.
 */
function profilerCommand(pid, lib, command) {
  const out = execFileSync('jcmd', [String(pid), 'JVMTI.agent_load', lib, `"${command}"`]).toString();
  if (!/return code: 0/.test(out)) throw new Error(`async-profiler "${command}" in ${pid}: ${out.trim()}`);
}

/** Starts sampling CPU time (perf_events cpu-clock, every 1 ms of a thread's CPU), kernel frames included. */
function startProfile(pid, lib) {
  profilerCommand(pid, lib, 'start,event=cpu,interval=1ms,threads'); // threads: only known at the start
}

/** Stops sampling and writes collapsed stacks, one line per stack, the thread's name first. */
function stopProfile(pid, lib, file) {
  profilerCommand(pid, lib, `stop,collapsed,file=${file}`);
}

// Where a sample of the media thread is, tested in this order on its stack. The system calls first: their
// stacks hold Java frames too. Then any other sample in the kernel (an interrupt, a page fault). For the rest, the
// frame nearest the leaf that matches one of the Java groups decides, so that the JCE code under SRTP counts as
// SRTP and JIT stubs count with the code that called them.
const SYSCALLS = [
  { what: 'sendto', frames: ['__x64_sys_sendto_[k]', 'sendto'] },
  { what: 'epoll_wait', frames: ['__x64_sys_epoll_wait_[k]', 'epoll_wait'] },
  { what: 'recvfrom', frames: ['__x64_sys_recvfrom_[k]', '__recvfrom', 'recvfrom'] },
];
const WITHIN = {
  sendto: [
    { what: 'delivering the packet to the receiving socket (softirq on loopback)', frame: 'net_rx_action_[k]' },
    { what: 'preempted on the way back to user space', frame: 'exit_to_user_mode_loop_[k]' },
  ],
  epoll_wait: [{ what: 'sleeping and waking', frame: 'schedule_[k]' }],
};
const JAVA_GROUPS = [
  { what: 'SRTP (AES, HMAC-SHA1, JCE)', test: (f) => f.startsWith('org/pasarela/srtp/') },
  { what: "Pasarela's media code (rewriting, latching, ICE, timers)", test: (f) => f.startsWith('org/pasarela/') },
  { what: "the JDK's selector and channels (locks, copies, address conversion)",
    test: (f) => /^(sun\/nio\/|java\/nio\/|java\/util\/concurrent\/locks\/)/.test(f) },
];
const OTHER_KERNEL = 'other kernel (interrupts, page faults)';
const OTHER = 'other (JVM, JIT code)';
/** The level 0 rows in the order of the table; each row's parts (WITHIN) follow it. */
const ORDER = [...SYSCALLS.map((s) => s.what), ...JAVA_GROUPS.map((g) => g.what), OTHER_KERNEL, OTHER];

/**
 * Where the samples of the threads whose name starts with `threadPrefix` went: rows of { what, samples, percent,
 * level } (level 1 rows are parts of the level 0 row above them), from async-profiler's collapsed output with
 * `threads` (the first frame of each stack is `[name tid=N]`).
 */
function summarise(collapsed, threadPrefix = 'media-') {
  const counts = new Map();
  const add = (key, n) => counts.set(key, (counts.get(key) || 0) + n);
  let total = 0;
  for (const line of collapsed.split('\n')) {
    const m = /^(.*) (\d+)$/.exec(line.trim());
    if (!m) continue;
    const frames = m[1].split(';');
    if (!frames[0].startsWith(`[${threadPrefix}`)) continue;
    const n = Number(m[2]);
    total += n;
    const onStack = new Set(frames);
    const syscall = SYSCALLS.find((s) => s.frames.some((f) => onStack.has(f)));
    if (syscall) {
      add(syscall.what, n);
      for (const part of WITHIN[syscall.what] || []) {
        if (onStack.has(part.frame)) add(`${syscall.what}/${part.what}`, n);
      }
      continue;
    }
    if (frames[frames.length - 1].endsWith('_[k]')) { // in the kernel, but not in one of the system calls above
      add(OTHER_KERNEL, n);
      continue;
    }
    let group = null;
    for (let i = frames.length - 1; i > 0 && !group; i--) group = JAVA_GROUPS.find((g) => g.test(frames[i])) || null;
    add(group ? group.what : OTHER, n);
  }
  const rows = [];
  const row = (key, what, level) => {
    if (counts.has(key)) rows.push({ what, samples: counts.get(key), percent: (100 * counts.get(key)) / total, level });
  };
  for (const what of ORDER) {
    if (!counts.has(what)) continue;
    row(what, what, 0);
    for (const part of WITHIN[what] || []) row(`${what}/${part.what}`, part.what, 1);
  }
  return { thread: threadPrefix, samples: total, rows };
}

/** The summary as a Markdown table. */
function summaryTable({ thread, samples, rows }) {
  const lines = [`| where the ${thread}* threads' CPU went (${samples} samples of 1 ms) | share |`, '|---|---|'];
  for (const r of rows) lines.push(`| ${r.level ? '… of which ' : ''}${r.what} | ${r.percent.toFixed(1)} % |`);
  return lines.join('\n');
}

module.exports = { asyncProfilerLibrary, startProfile, stopProfile, summarise, summaryTable };

if (require.main === module) {
  const [verb, file] = process.argv.slice(2);
  const i = process.argv.indexOf('--thread');
  if (verb !== 'summary' || !file) {
    console.error('usage: node testbeds/bench/profile.js summary FILE.collapsed [--thread media-]');
    process.exit(2);
  }
  console.log(summaryTable(summarise(fs.readFileSync(file, 'utf8'), i > 0 ? process.argv[i + 1] : 'media-')));
}
