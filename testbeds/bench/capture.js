'use strict';
// What the gateway itself adds, read from packet captures on lo (issue 7): the kernel timestamps every packet in
// and out of the gateway, so neither the client's own work nor the far end's is counted.
//
// Call setup ("under 5 ms median and 20 ms p99 setup latency added by the gateway"). The client's setup time also
// holds the client's own DTLS work, SIPp's time to answer (~1.2 ms) and the client's thread hand-offs. Per call:
//
//   signaling = (INVITE out - `call` in) + (`answered` out - 200 OK in)
//   ICE       =  STUN response out - the client's USE-CANDIDATE check in
//   DTLS      = (last record of the server's first flight out - ClientHello in)
//             + (server Finished out - last record of the client's second flight in)
//   added     =  signaling + ICE + DTLS
//
// A call's WebSocket and its SIP dialog are joined by the SDP session id (o=): the gateway writes the same one into
// the INVITE's offer and the browser's answer. The DTLS/STUN flow is found by the gateway's browser-side port, the
// m= port of the answer.
//
// Media ("added one-way latency through the gateway under 1 ms p99"): the gateway relays RTP without touching its
// SSRC or sequence number, and SRTP leaves the header in clear, so each packet is matched by (SSRC, sequence) as it
// enters on one side and leaves on the other. SIPp's echo returns packets unchanged, so both directions match.
//
// Needs dumpcap and tshark (Debian `tshark`).

const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/**
 * dumpcap on lo with a capture filter, on CPU `cpu` if given (the load generators' side when the benchmark pins);
 * stop() ends it and returns the file. Bounded at 15 minutes.
 */
function startCapture(file, filter, cpu) {
  const args = ['-q', '-i', 'lo', '-f', filter, '-B', '64', '-a', 'duration:900', '-w', file];
  const [cmd, cmdArgs] = cpu === undefined ? ['dumpcap', args] : ['taskset', ['-c', cpu, 'dumpcap', ...args]];
  const p = spawn(cmd, cmdArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => p.once('exit', resolve));
  return {
    async stop() {
      if (p.exitCode === null) process.kill(p.pid, 'SIGTERM');
      await exited;
      if (!fs.existsSync(file)) throw new Error(`dumpcap wrote no capture: ${stderr.trim()}`);
      return file;
    },
  };
}

/** The gateway's WebSocket port, SIP port and RTP range; stop(lastCalls) returns the setup analysis. */
function startSetupCapture({ file, httpPort, sipPort, rtpMin, rtpMax, cpu }) {
  const c = startCapture(file, `tcp port ${httpPort} or udp port ${sipPort} or (udp portrange ${rtpMin}-${rtpMax})`, cpu);
  return {
    async stop(lastCalls) {
      await c.stop();
      return analyseSetups(await setupFields(file, httpPort, sipPort), rtpMin, rtpMax, lastCalls);
    },
  };
}

/**
 * The gateway's RTP range (both of its sides). stop() ends the capture; analyse() (later: tshark takes CPU) returns
 * one-way latency per direction: browser -> SIP ("up") and SIP -> browser ("down"). `farEndPorts` tells the SIP
 * side's peers from the browser side's.
 */
function startMediaCapture({ file, rtpMin, rtpMax, farEndPorts, cpu }) {
  const c = startCapture(file, `udp portrange ${rtpMin}-${rtpMax}`, cpu);
  return {
    stop: () => c.stop(),
    analyse: () => analyseMediaFile(file, farEndPorts),
  };
}

/** One-way latency per direction from a capture of the gateway's RTP range (see analyseMedia). */
async function analyseMediaFile(file, farEndPorts) {
  return analyseMedia(await tshark(file, ['-o', 'rtp.heuristic_rtp:TRUE', '-Y', 'rtp'], MEDIA_FIELDS),
    new Set(farEndPorts));
}

/**
 * The gateway gives each direction toward each leg its own SSRC and shifts sequence numbers by a constant per
 * source (media/RtpRewriter), and the client's ports and the gateway's may both lie in the RTP range, so packets
 * are matched in two steps. First each flow toward the far end is paired with a client-side flow whose packets
 * come just before its own (up), and each flow from the far end with one whose packets come just after (down).
 * The client sends its calls in 1 ms slots, so a few calls share a phase; among those the partner is the one whose
 * gateway port was bound just before this call's SIP-side port (transport/rtp/PortAllocator binds a call's
 * browser socket, then its RTP pair, from one cursor). Then, per pair, the sequence offset is the most common
 * difference between each packet and the one just before it, and every packet is matched through it.
 */
function analyseMedia(rows, farEnd) {
  const toFar = new Map();
  const fromFar = new Map();
  const clientSide = new Map();
  let first = Infinity;
  let last = -Infinity;
  for (const r of rows) {
    const src = Number(r['udp.srcport'][0]);
    const dst = Number(r['udp.dstport'][0]);
    const t = Number(r['frame.time_epoch'][0]) * 1000;
    first = Math.min(first, t);
    last = Math.max(last, t);
    const flows = farEnd.has(dst) ? toFar : farEnd.has(src) ? fromFar : clientSide;
    const key = `${src}>${dst}`;
    if (!flows.has(key)) flows.set(key, Object.assign([], { gatewayPort: flows === toFar ? src : dst }));
    flows.get(key).push({ t, seq: Number(r['rtp.seq'][0]) });
  }
  const timeline = [...clientSide].flatMap(([key, list]) => list.map((p) => ({ t: p.t, key }))).sort((a, b) => a.t - b.t);
  // Packets whose partner may fall outside the capture are not counted as lost.
  const edge = 200;
  const inside = (t) => t > first + edge && t < last - edge;
  const up = relay(toFar, clientSide, timeline, -1, inside);
  const down = relay(fromFar, clientSide, timeline, +1, inside);
  return { upMs: summary(up), downMs: summary(down) };
}

const PAIR_WINDOW_MS = 5;

/** For each far-end flow, its client-side partner and the delay of every packet across the gateway. */
function relay(farFlows, clientSide, timeline, direction, inside) {
  const delays = [];
  const arrivals = [];
  let packets = 0;
  let paired = 0;
  for (const farList of farFlows.values()) {
    const partner = pair(farList, timeline, direction, farList.gatewayPort);
    if (!partner) continue;
    paired++;
    const near = clientSide.get(partner);
    // The gateway's side of the pair is the far-end flow for up (out) and the client-side flow for down (out).
    const [inList, outList] = direction < 0 ? [near, farList] : [farList, near];
    const offset = seqOffset(inList, outList);
    const outBySeq = new Map(outList.map((p) => [p.seq, p.t]));
    for (const p of inList) {
      if (!inside(p.t)) continue;
      packets++;
      const out = outBySeq.get((p.seq + offset) & 0xffff);
      if (out !== undefined && out >= p.t && out - p.t < 1000) {
        delays.push(out - p.t);
        arrivals.push(p.t);
      }
    }
  }
  return { delays, arrivals, packets, flows: farFlows.size, paired };
}

const STRETCH_MS = 50;
const STALL_MS = 5;

/**
 * Whether a tail is one episode or spread out: the capture cut into stretches of STRETCH_MS by the packets' arrival
 * at the gateway, how many there were and in how many some packet waited more than STALL_MS. A 4 s capture holds
 * about 70 (the 200 ms at each edge are left out); one stalled stretch of 50 ms, whatever its cause, is 1.4 % of the
 * packets, enough to set the p99 by itself.
 */
function stalls(delays, arrivals) {
  if (!arrivals.length) return { stretches: 0, stalled: 0 };
  let start = Infinity;
  for (const t of arrivals) start = Math.min(start, t);
  const all = new Set();
  const stalled = new Set();
  for (let i = 0; i < arrivals.length; i++) {
    const k = Math.floor((arrivals[i] - start) / STRETCH_MS);
    all.add(k);
    if (delays[i] > STALL_MS) stalled.add(k);
  }
  return { stretches: all.size, stalled: stalled.size };
}

/**
 * The client-side flow whose packets are within PAIR_WINDOW_MS before (direction -1) or after (+1) at least half of
 * these; of several, the one whose gateway port is the highest below `sipPort`.
 */
function pair(list, timeline, direction, sipPort) {
  const sample = list.filter((_, i) => i % Math.max(1, Math.floor(list.length / 40)) === 0);
  const votes = new Map();
  for (const p of sample) {
    const from = direction < 0 ? p.t - PAIR_WINDOW_MS : p.t;
    const to = direction < 0 ? p.t : p.t + PAIR_WINDOW_MS;
    const seen = new Set();
    for (let i = lowerBound(timeline, from); i < timeline.length && timeline[i].t <= to; i++) seen.add(timeline[i].key);
    for (const k of seen) votes.set(k, (votes.get(k) || 0) + 1);
  }
  let best = null;
  for (const [k, v] of votes) {
    if (v < sample.length / 2) continue;
    const [src, dst] = k.split('>').map(Number);
    const port = direction < 0 ? dst : src;
    if (port < sipPort && (!best || port > best.port)) best = { k, port };
  }
  return best ? best.k : null;
}

/** The most common (out.seq - in.seq) mod 2^16 between each out packet and the in packet just before it. */
function seqOffset(inList, outList) {
  const counts = new Map();
  let i = 0;
  for (const o of outList) {
    while (i + 1 < inList.length && inList[i + 1].t <= o.t) i++;
    if (inList[i] && inList[i].t <= o.t) {
      const d = (o.seq - inList[i].seq) & 0xffff;
      counts.set(d, (counts.get(d) || 0) + 1);
    }
  }
  let best = 0;
  let n = -1;
  for (const [d, c] of counts) if (c > n) { best = d; n = c; }
  return best;
}

function lowerBound(sorted, t) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].t < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function summary({ delays, arrivals, packets, flows, paired }) {
  let max = 0;
  for (const d of delays) max = Math.max(max, d);
  return { flows, paired, packets, relayed: delays.length, ...percentiles(delays, [0.5, 0.99, 0.999]), max: +max.toFixed(3),
    ...stalls(delays, arrivals) };
}

const MEDIA_FIELDS = ['frame.time_epoch', 'udp.srcport', 'udp.dstport', 'rtp.ssrc', 'rtp.seq'];

/** { median, p99, ... } of `values` in ms, two decimals. */
function percentiles(values, qs = [0.5, 0.95, 0.99]) {
  const v = [...values].sort((a, b) => a - b);
  const at = (q) => +(v[Math.min(v.length - 1, Math.floor(q * v.length))] || 0).toFixed(3);
  return Object.fromEntries(qs.map((q) => [q === 0.5 ? 'median' : `p${String(q * 100).replace('.', '')}`, at(q)]));
}

const FIELDS = ['frame.time_epoch', 'tcp.stream', 'udp.srcport', 'udp.dstport', 'websocket.payload.text', 'sip.Call-ID',
  'sip.Method', 'sip.Status-Code', 'sip.CSeq.method', 'sdp.owner.sessionid', 'dtls.handshake.type', 'stun.type'];
const AGG = '\u001e'; // between several values of one field in one packet (JSON and SDP never hold it)

/** tshark -T fields over `file`: one object per packet, each field a list of its values in that packet. */
function tshark(file, options, fields) {
  const args = ['-r', file, '-n', ...options, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a',
    '-E', `aggregator=${AGG}`, ...fields.flatMap((f) => ['-e', f])];
  return new Promise((resolve, reject) => {
    execFile('tshark', args, { maxBuffer: 1 << 30 }, (err, stdout) => {
      if (err) reject(new Error(`tshark -r ${file}: ${err.message}`));
      else resolve(stdout.split('\n').filter(Boolean).map((l) => {
        const v = l.split('\t');
        return Object.fromEntries(fields.map((f, i) => [f, (v[i] || '').split(AGG).filter(Boolean)]));
      }));
    });
  });
}

function setupFields(file, httpPort, sipPort) {
  return tshark(file, ['-o', 'tcp.desegment_tcp_streams:TRUE', '-d', `tcp.port==${httpPort},http`,
    '-d', `udp.port==${sipPort},sip`, '-Y', 'websocket.payload.text or sip or dtls or stun'], FIELDS);
}

const first = (obj, key, t) => { if (obj[key] === undefined) obj[key] = t; };

/** Per call, the gateway's own share of the setup; percentiles over the last `lastCalls` calls that connected. */
function analyseSetups(rows, rtpMin, rtpMax, lastCalls) {
  const inRange = (p) => p >= rtpMin && p <= rtpMax;
  const sockets = new Map(); // WebSocket (tcp stream) -> { callIn, answeredOut, session, browserPort }
  const dialogs = new Map(); // SIP Call-ID -> { inviteOut, okIn, session }
  const flows = new Map(); // gateway browser-side port -> its STUN/DTLS packets in order
  for (const r of rows) {
    const t = Number(r['frame.time_epoch'][0]) * 1000;
    if (r['websocket.payload.text'].length) {
      const s = sockets.get(r['tcp.stream'][0]) || {};
      for (const text of r['websocket.payload.text']) {
        let m;
        try { m = JSON.parse(text); } catch { continue; }
        if (m.type === 'call') first(s, 'callIn', t);
        if (m.type === 'answered' && s.answeredOut === undefined) {
          s.answeredOut = t;
          const sdp = (m.jsep && m.jsep.sdp) || '';
          s.session = (/^o=\S+ (\d+) /m.exec(sdp) || [])[1];
          s.browserPort = Number((/^m=audio (\d+) /m.exec(sdp) || [])[1]);
        }
      }
      sockets.set(r['tcp.stream'][0], s);
    } else if (r['sip.Call-ID'].length) {
      if (!r['sip.CSeq.method'].includes('INVITE')) continue;
      const d = dialogs.get(r['sip.Call-ID'][0]) || {};
      if (r['sip.Method'][0] === 'INVITE') { first(d, 'inviteOut', t); first(d, 'session', r['sdp.owner.sessionid'][0]); }
      if (r['sip.Status-Code'][0] === '200') first(d, 'okIn', t);
      dialogs.set(r['sip.Call-ID'][0], d);
    } else {
      const src = Number(r['udp.srcport'][0]);
      const dst = Number(r['udp.dstport'][0]);
      const port = inRange(src) ? src : inRange(dst) ? dst : 0;
      if (!port) continue;
      const list = flows.get(port) || [];
      list.push({ t, out: port === src, hs: r['dtls.handshake.type'].map(Number), stun: r['stun.type'][0] || '' });
      flows.set(port, list);
    }
  }
  const bySession = new Map([...dialogs.values()].filter((d) => d.session).map((d) => [d.session, d]));
  const calls = [];
  for (const s of sockets.values()) {
    const d = bySession.get(s.session);
    const flow = flows.get(s.browserPort);
    if (s.callIn === undefined || !d || d.okIn === undefined || !flow) continue;
    const media = mediaShare(flow.filter((p) => p.t > s.answeredOut));
    if (!media) continue;
    const signaling = (d.inviteOut - s.callIn) + (s.answeredOut - d.okIn);
    calls.push({ at: s.callIn, signaling, farEnd: d.okIn - d.inviteOut, ...media, added: signaling + media.ice + media.dtls });
  }
  calls.sort((a, b) => a.at - b.at);
  const last = calls.slice(-lastCalls);
  const stats = (key) => percentiles(last.map((c) => c[key]));
  return { calls: last.length, addedMs: stats('added'), signalingMs: stats('signaling'), iceMs: stats('ice'),
    dtlsMs: stats('dtls'), farEndAnswerMs: stats('farEnd') };
}

/**
 * The gateway's time in ICE and DTLS from one call's packets on its browser-side port (first try of each; a
 * retransmitted flight would count the wait, which is the gateway's only if it was the gateway's loss).
 */
function mediaShare(packets) {
  const check = packets.find((p) => !p.out && p.stun === '0x0001');
  const checkAnswer = check && packets.find((p) => p.out && p.stun === '0x0101' && p.t >= check.t);
  const hello = packets.find((p) => !p.out && p.hs.includes(1));
  if (!checkAnswer || !hello) return null;
  const helloDone = packets.find((p) => p.out && p.hs.includes(14) && p.t >= hello.t);
  if (!helloDone) return null;
  // The client's second flight: Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec and the
  // encrypted Finished; its last packet is the last one in before the server's first packet after it.
  const i = packets.indexOf(helloDone);
  const reply = packets.findIndex((p, k) => k > i && p.out);
  if (reply < 0) return null;
  const secondFlightEnd = packets.slice(i + 1, reply).filter((p) => !p.out).pop();
  if (!secondFlightEnd) return null;
  const lastOfFinal = lastOfBurst(packets, reply);
  return { ice: checkAnswer.t - check.t, dtls: (helloDone.t - hello.t) + (lastOfFinal.t - secondFlightEnd.t) };
}

/** The last packet of the gateway's burst that starts at index `from` (ChangeCipherSpec then Finished). */
function lastOfBurst(packets, from) {
  let k = from;
  while (k + 1 < packets.length && packets[k + 1].out && !packets[k + 1].stun && packets[k + 1].t - packets[k].t < 5) k++;
  return packets[k];
}

/**
 * The port span on the lean client's "CAPTURE START" line ("CAPTURE START 17000-17149" with --capture-calls), as
 * {min, max}, or null when the line names none (capture every call).
 */
function captureSpan(line) {
  const m = /^CAPTURE START(?: (\d+)-(\d+))?$/.exec(line);
  if (!m) throw new Error(`not a capture start line: ${JSON.stringify(line)}`);
  if (m[1] === undefined) return null;
  const span = { min: Number(m[1]), max: Number(m[2]) };
  if (span.min < 1 || span.max > 65535 || span.min > span.max) throw new Error(`bad capture span in ${JSON.stringify(line)}`);
  return span;
}

/**
 * Analyses kept media captures again, e.g. after this file changed:
 *   node capture.js media FILE FAR_END_PORT[,PORT...]     prints the analysis of one capture
 *   node capture.js results OUT                           redoes throughGateway of every lean row in OUT/results.json
 *                                                         from its own run's OUT/lean-N[-rK].pcapng (far-end ports
 *                                                         from OUT/sipp*.log)
 */
async function main() {
  const [what, target, ports] = process.argv.slice(2);
  if (what === 'media' && target && ports) {
    console.log(JSON.stringify(await analyseMediaFile(target, ports.split(',').map(Number))));
  } else if (what === 'results' && target) {
    const farEnd = fs.readdirSync(target).filter((f) => /^sipp\d+\.log$/.test(f))
      .map((f) => Number((/-mp (\d+)/.exec(fs.readFileSync(path.join(target, f), 'utf8')) || [])[1]))
      .filter(Boolean).flatMap((p) => [p, p + 2]);
    const file = path.join(target, 'results.json');
    const res = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const row of res.pasarela.lean) {
      // With run.js --repeat the row is the median run, whose capture is lean-N-rK.pcapng unless it was the first.
      const pcap = path.join(target, `lean-${row.calls}${row.repetition > 1 ? `-r${row.repetition}` : ''}.pcapng`);
      if (!fs.existsSync(pcap)) continue;
      row.throughGateway = await analyseMediaFile(pcap, farEnd);
      console.log(row.calls, JSON.stringify(row.throughGateway));
    }
    fs.writeFileSync(file, `${JSON.stringify(res, null, 2)}\n`);
  } else {
    throw new Error('usage: node capture.js media FILE FAR_END_PORT[,PORT...] | results OUT_DIR');
  }
}

if (require.main === module) main().catch((e) => { console.error(e.message); process.exit(1); });

module.exports = { startSetupCapture, startMediaCapture, captureSpan, stalls };
