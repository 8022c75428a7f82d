'use strict';
// What the benchmark scripts read from /proc and how they start their SIPp far end, in one place.

const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const { HOST } = require('../lib/ports');

const TICKS_PER_SECOND = 100; // USER_HZ, the unit of utime and stime in /proc/PID/stat

/** utime + stime, in seconds, from the text of a /proc/PID/stat or /proc/PID/task/TID/stat file. */
function statCpuSeconds(stat) {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND; // fields 14 and 15
}

/**
 * A sample of the whole machine's idle time (idle + iowait from the first line of /proc/stat, in seconds) and the
 * monotonic clock. Only the idle fields are read: the kernel keeps them exactly (tickless idle), while user and
 * system are sampled at each timer tick, so work that wakes on a timer and sleeps again before the next tick is
 * missed. On this machine a process working 1 ms in every 2 ms read 52 % of a core in its own /proc/PID/stat and 1 %
 * in /proc/stat's busy fields; busy taken as elapsed time less idle read 54 %.
 */
function machineSample(statText = fs.readFileSync('/proc/stat', 'utf8'), nanos = process.hrtime.bigint()) {
  const f = statText.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idleSeconds: (f[3] + f[4]) / TICKS_PER_SECOND, nanos };
}

/** Percent of one CPU the whole machine was busy between two machineSample()s: 200 is two CPUs never idle. */
function machineBusyPercent(before, after, cpus) {
  const seconds = Number(after.nanos - before.nanos) / 1e9;
  if (seconds <= 0) return 0;
  const busy = cpus * seconds - (after.idleSeconds - before.idleSeconds);
  return Math.max(0, Math.min(100 * cpus, (100 * busy) / seconds));
}

/** utime + stime of `pid`, in seconds. */
function cpuSeconds(pid) {
  return statCpuSeconds(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/**
 * Per thread of `pid`, summed by name with digits folded to '#' (as the lean client does): CPU seconds, seconds
 * runnable but waiting for a CPU (schedstat), and voluntary context switches, which for a media thread are its
 * wake-ups (one per blocking epoll_wait).
 */
function threadTotals(pid) {
  const byName = {};
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const dir = `/proc/${pid}/task/${tid}`;
    try {
      const name = fs.readFileSync(`${dir}/comm`, 'utf8').trim().replace(/\d+/g, '#');
      const cpu = statCpuSeconds(fs.readFileSync(`${dir}/stat`, 'utf8'));
      const waitNs = Number(fs.readFileSync(`${dir}/schedstat`, 'utf8').trim().split(' ')[1]);
      const wakeUps = Number(/^voluntary_ctxt_switches:\s*(\d+)/m.exec(fs.readFileSync(`${dir}/status`, 'utf8'))[1]);
      const t = byName[name] || (byName[name] = { cpuSeconds: 0, runQueueSeconds: 0, wakeUps: 0 });
      t.cpuSeconds += cpu;
      t.runQueueSeconds += waitNs / 1e9;
      t.wakeUps += wakeUps;
    } catch { /* the thread ended between list and read */ }
  }
  return byName;
}

/**
 * One field of two threadTotals samples as a rate per thread name: (after - before) × scale, rounded to two
 * decimals, the largest first, those under `min` left out. The lean client writes the same shape.
 */
function ratesByThread(before, after, field, scale, min) {
  return Object.fromEntries(Object.entries(after)
    .map(([name, t]) => [name, scale * (t[field] - (before[name] ? before[name][field] : 0))])
    .filter(([, v]) => v >= min)
    .sort((a, b) => b[1] - a[1])
    .map(([name, v]) => [name, Math.round(v * 100) / 100]));
}

/**
 * Datagrams the kernel dropped at the UDP sockets `pid` holds (full receive buffers), from /proc/net/udp and
 * /proc/net/udp6. Both: a Java DatagramChannel opened without a protocol family is an IPv6 socket, even bound to
 * 127.0.0.1, and is listed only in udp6 (reading udp alone once made every Java relay's drops read 0).
 */
function socketDrops(pid) {
  const inodes = new Set();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch { /* closed meanwhile */ }
  }
  let drops = 0;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    if (!fs.existsSync(file)) continue; // a kernel without IPv6
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length >= 13 && inodes.has(f[9])) drops += Number(f[12]);
    }
  }
  return drops;
}

const RMEM_DEFAULT = '/proc/sys/net/core/rmem_default';

/**
 * Runs `start` with the kernel's default socket receive buffer (net.core.rmem_default) raised to `bytes`, and puts
 * the old value back as soon as it settles, whatever happens (a signal to this process included). Sockets created
 * meanwhile keep the larger buffer; those created before or after keep theirs. For programs that cannot be told to
 * ask for a buffer themselves (SIPp's -rtp_echo socket). Needs root; without it, or when the default is already
 * that large, `start` runs unchanged. Resolves with { result, raisedTo } (null when the default was not raised).
 */
async function withReceiveBufferDefault(bytes, start) {
  let old = null;
  try {
    const current = Number(fs.readFileSync(RMEM_DEFAULT, 'utf8'));
    if (current < bytes) {
      fs.writeFileSync(RMEM_DEFAULT, String(bytes));
      old = current;
    }
  } catch { /* not root, or no /proc/sys: the kernel's default stays */ }
  if (old === null) return { result: await start(), raisedTo: null };
  // A machine-wide setting: put back on Ctrl-C or kill too, not only when `start` settles.
  const restore = () => fs.writeFileSync(RMEM_DEFAULT, String(old));
  const onSignal = (signal) => { restore(); process.kill(process.pid, signal); };
  process.once('exit', restore);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return { result: await start(), raisedTo: bytes };
  } finally {
    restore();
    process.removeListener('exit', restore);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/**
 * The receive buffer (bytes, as the kernel granted it) of every UDP socket `pid` holds, from `ss`: what
 * withReceiveBufferDefault gave a far end, checked rather than assumed.
 */
function udpReceiveBuffers(pid) {
  const out = execFileSync('ss', ['-uampnH'], { encoding: 'utf8' });
  const buffers = [];
  let mine = false;
  for (const line of out.split('\n')) {
    if (!/^\s/.test(line)) mine = line.includes(`pid=${pid},`); // a socket's line, then its skmem line
    else if (mine) {
      const m = /\brb(\d+)/.exec(line);
      if (m) buffers.push(Number(m[1]));
    }
  }
  return buffers;
}

/** SIPp's built-in UAS (its 200 OK offers PCMU) with -rtp_echo on `mediaPort`: the far end of every benchmark. */
function sippEchoArgs({ sipPort, mediaPort, controlPort }) {
  return ['-sn', 'uas', '-rtp_echo', '-i', HOST, '-p', String(sipPort), '-mp', String(mediaPort),
    '-cp', String(controlPort), '-nostdin'];
}

module.exports = { machineSample, machineBusyPercent, cpuSeconds, threadTotals, ratesByThread, socketDrops,
  withReceiveBufferDefault, udpReceiveBuffers, sippEchoArgs };
