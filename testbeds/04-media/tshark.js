'use strict';
// A packet capture on the loopback interface with tshark (Debian package `tshark`), for what the
// SIP side of the relay put on the wire. Needs root (or a dumpcap allowed to capture).
//
//   const cap = await startCapture({ outDir, filter: `udp portrange ${a}-${b}` });
//   ... traffic ...
//   await cap.stop();                       // SIGINT by PID: tshark writes out the pcap and exits
//   const rows = cap.rtp(`${a}-${b}`);      // decoded as RTP: [{ src, dst, seq, ts, marker, pt, eventId, end, duration }]

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const TSHARK = process.env.TSHARK || 'tshark';

/**
 * @param {object} o
 * @param {string} o.outDir
 * @param {string} o.filter              a capture (BPF) filter, keeping the capture to the call's ports
 * @param {string} [o.name='capture']    -> outDir/<name>.pcap and <name>.log (tshark's stderr)
 * @param {number} [o.readyTimeoutMs=10000]
 */
async function startCapture({ outDir, filter, name = 'capture', readyTimeoutMs = 10000 }) {
  const pcap = path.join(outDir, `${name}.pcap`);
  const logFile = path.join(outDir, `${name}.log`);
  fs.rmSync(pcap, { force: true });
  const args = ['-i', 'lo', '-f', filter, '-w', pcap, '-q'];
  const child = spawn(TSHARK, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let exit = null;
  const exited = new Promise((resolve) => {
    child.once('error', (e) => { exit = { code: -1, error: e }; resolve(exit); });
    child.once('exit', (code, signal) => { exit = { code, signal }; resolve(exit); });
  });
  child.stderr.on('data', (d) => { stderr += d.toString(); });

  const cap = {
    pid: child.pid,
    pcap,
    /**
     * SIGINT by PID (tshark then flushes the file), SIGKILL after 5 s. libpcap hands packets over
     * in blocks, up to a second late, and a block still pending at the signal is lost: so first
     * wait `drainMs`.
     */
    async stop({ drainMs = 1500 } = {}) {
      if (!exit) {
        await new Promise((r) => setTimeout(r, drainMs));
        try { process.kill(child.pid, 'SIGINT'); } catch { /* gone */ }
        const killer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
        await exited;
        clearTimeout(killer);
      }
      fs.writeFileSync(logFile, `$ ${TSHARK} ${args.join(' ')}\n${stderr}`);
      return exit;
    },
    /**
     * The captured UDP packets on `ports` ("A-B" or "P") decoded as RTP, in capture order. eventId,
     * end and duration are set for RFC 4733 telephone-events, null otherwise.
     */
    rtp(ports) {
      // Without the call's SDP, tshark knows telephone-event only at payload types 100 and 101:
      // decode every dynamic payload type seen on these ports as RTP events.
      const pts = execFileSync(TSHARK, ['-r', pcap, '-d', `udp.port==${ports},rtp`, '-Y', 'rtp', '-T', 'fields', '-e', 'rtp.p_type'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const dynamic = [...new Set(pts.split('\n').filter(Boolean).map(Number))].filter((pt) => pt >= 96 && pt <= 127);
      const fields = ['ip.src', 'udp.srcport', 'ip.dst', 'udp.dstport', 'rtp.seq', 'rtp.timestamp', 'rtp.marker', 'rtp.p_type',
        'rtpevent.event_id', 'rtpevent.end_of_event', 'rtpevent.duration'];
      const out = execFileSync(TSHARK, ['-r', pcap, '-d', `udp.port==${ports},rtp`, ...dynamic.flatMap((pt) => ['-d', `rtp.pt==${pt},rtpevent`]), '-Y', 'rtp',
        '-o', 'rtp.heuristic_rtp:FALSE', '-T', 'fields', '-E', 'separator=\t', ...fields.flatMap((f) => ['-e', f])],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return out.split('\n').filter(Boolean).map((line) => {
        const v = line.split('\t');
        const num = (x) => (x === undefined || x === '' ? null : Number(x));
        return {
          src: `${v[0]}:${v[1]}`,
          dst: `${v[2]}:${v[3]}`,
          seq: num(v[4]),
          ts: num(v[5]),
          marker: v[6] === '1' || v[6] === 'True',
          pt: num(v[7]),
          eventId: num(v[8]),
          end: v[9] === '' || v[9] === undefined ? null : v[9] === '1' || v[9] === 'True',
          duration: num(v[10]),
        };
      });
    },
  };

  // Ready once tshark says it is capturing (dumpcap has opened lo with the filter).
  const deadline = Date.now() + readyTimeoutMs;
  while (!/Capturing on/.test(stderr)) {
    if (exit || Date.now() > deadline) {
      await cap.stop();
      const why = exit && exit.error && exit.error.code === 'ENOENT'
        ? `${TSHARK} not found (apt-get install tshark, or run testbeds/install.sh)`
        : `not capturing within ${readyTimeoutMs} ms (exit ${JSON.stringify(exit)})`;
      throw new Error(`tshark: ${why}\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return cap;
}

module.exports = { startCapture };
