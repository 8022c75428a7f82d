'use strict';
// What the benchmark scripts read from /proc and how they start their SIPp far end, in one place.

const fs = require('node:fs');
const { HOST } = require('../lib/ports');

const TICKS_PER_SECOND = 100; // USER_HZ, the unit of utime and stime in /proc/PID/stat

/** utime + stime of `pid`, in seconds. */
function cpuSeconds(pid) {
  const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND; // fields 14 and 15
}

/** Datagrams the kernel dropped at the UDP sockets `pid` holds (full receive buffers), from /proc/net/udp. */
function socketDrops(pid) {
  const inodes = new Set();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch { /* closed meanwhile */ }
  }
  let drops = 0;
  for (const line of fs.readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 13 && inodes.has(f[9])) drops += Number(f[12]);
  }
  return drops;
}

/** SIPp's built-in UAS (its 200 OK offers PCMU) with -rtp_echo on `mediaPort`: the far end of every benchmark. */
function sippEchoArgs({ sipPort, mediaPort, controlPort }) {
  return ['-sn', 'uas', '-rtp_echo', '-i', HOST, '-p', String(sipPort), '-mp', String(mediaPort),
    '-cp', String(controlPort), '-nostdin'];
}

module.exports = { cpuSeconds, socketDrops, sippEchoArgs };
