#!/usr/bin/env node
'use strict';
// The libwebrtc load client (Google's WebRTC through @roamhq/wrtc): N real RTCPeerConnections, each logging in
// on its own WebSocket, calling through the gateway, sending a 1 kHz tone (10 ms frames from one timer for all
// calls; the gateway's answer allows only PCMU, so libwebrtc encodes PCMU 20 ms) and receiving the echo.
// Prints "RESULT {json}" like benchmarks/loadgen. Used to validate the lean generator at 100-150 calls.
//
//   node testbeds/bench/wrtc-load.js --ws URL --profile sipp --calls 100 --rate 20 --window 20 --gw-pid PID
// Janus: --janus URL (its WebSocket API) instead of --ws, --sip-uri sip:1000@127.0.0.1:PORT.

const fs = require('node:fs');
const path = require('node:path');
const { RTCPeerConnection, nonstandard } = require('@roamhq/wrtc');
const WebSocket = require('ws');
const { janusCall } = require('./janus-client');
const { cpuSeconds, threadTotals, ratesByThread, socketDrops } = require('./proc');

const opt = (n, d) => { const i = process.argv.indexOf(`--${n}`); return i < 0 ? d : process.argv[i + 1]; };
const N = Number(opt('calls', 10));
const RATE = Number(opt('rate', 20));
const WINDOW = Number(opt('window', 20));
const SETTLE = Number(opt('settle', 5));
const GW_PID = Number(opt('gw-pid', 0));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function rssKb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}
const threads = (pid) => fs.readdirSync(`/proc/${pid}/task`).length;
const pct = (a, q) => (a.length ? a[Math.min(a.length - 1, Math.max(0, Math.ceil(q * a.length) - 1))] : -1);

// One 1 kHz tone, 10 ms at 48 kHz (wrtc resamples), pushed to every source from one timer.
const FRAME = new Int16Array(480);
for (let i = 0; i < FRAME.length; i++) FRAME[i] = Math.round(Math.sin((2 * Math.PI * 1000 * i) / 48000) * 10000);
const sources = new Set();
const pump = setInterval(() => {
  for (const s of sources) s.onData({ samples: FRAME, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
}, 10);

/** Pasarela: login + call on a WebSocket of its own, the answer applied, resolves when the pc is connected. */
const pick = (list, k) => String(list).split(',')[k % String(list).split(',').length];

async function pasarelaCall(pc, rec) {
  const ws = new WebSocket(opt('ws'));
  rec.ws = ws;
  const inbox = [];
  let waiter = null;
  ws.on('message', (d) => {
    const m = JSON.parse(String(d));
    if (m.type === 'hangup' && rec.connected && !rec.hangingUp) { rec.dropped = JSON.stringify(m); }
    inbox.push(m);
    if (waiter) waiter();
  });
  await new Promise((res, rej) => { ws.once('open', res); ws.once('error', rej); });
  const next = async (pred, what, ms = 15000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = inbox.findIndex(pred);
      if (i >= 0) return inbox.splice(i, 1)[0];
      const bad = inbox.find((m) => m.type === 'error' || m.type === 'hangup');
      if (bad) throw new Error(`waiting for ${what}: ${JSON.stringify(bad)}`);
      if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
      await new Promise((r) => { waiter = r; setTimeout(r, 100); });
    }
  };
  // the protocol's "ping" every 20 s: the gateway's 60 s idle close does not count WebSocket Pongs
  const keep = setInterval(() => { if (ws.readyState === 1) ws.send(JSON.stringify({ type: 'ping', id: 'k' })); }, 20000);
  ws.send(JSON.stringify({ type: 'login', id: 'l', user: 'alice', password: 'secret' }));
  await next((m) => m.type === 'ack' && m.id === 'l', 'login ack');
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  await waitGathered(pc);
  rec.t0 = process.hrtime.bigint();
  ws.send(JSON.stringify({ type: 'call', id: 'c', to: opt('to', '1000'), profile: pick(opt('profile', 'sipp'), rec.i), jsep: pc.localDescription.toJSON() }));
  const ack = await next((m) => m.type === 'ack' && m.id === 'c', 'call ack');
  rec.callId = ack.call;
  const answered = await next((m) => m.type === 'answered', 'answered');
  rec.answeredMs = Number(process.hrtime.bigint() - rec.t0) / 1e6;
  await pc.setRemoteDescription(answered.jsep);
  rec.hangup = async () => {
    rec.hangingUp = true;
    clearInterval(keep);
    ws.send(JSON.stringify({ type: 'hangup', call: rec.callId }));
    await next((m) => m.type === 'hangup', 'hangup', 5000).catch(() => {});
    ws.close();
  };
}

function waitGathered(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((res) => {
    const t = setTimeout(res, 3000);
    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') { clearTimeout(t); res(); } });
  });
}

async function oneCall(i, recs) {
  const rec = { i };
  recs.push(rec);
  const pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
  rec.pc = pc;
  const source = new nonstandard.RTCAudioSource();
  pc.addTrack(source.createTrack());
  sources.add(source);
  const connected = new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error('not connected within 20 s')), 20000);
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'connected') { clearTimeout(t); res(); }
      if (pc.connectionState === 'failed') { clearTimeout(t); rej(new Error('connection failed')); }
    });
  });
  if (opt('janus')) await janusCall(pc, rec, { url: opt('janus'), sipUri: pick(opt('sip-uri'), rec.i) });
  else await pasarelaCall(pc, rec);
  await connected;
  rec.setupMs = Number(process.hrtime.bigint() - rec.t0) / 1e6;
  rec.connected = true;
}

async function totals(recs) {
  let sent = 0; let received = 0; let lostReported = 0;
  for (const r of recs) {
    if (!r.connected) continue;
    const stats = await r.pc.getStats();
    stats.forEach((s) => {
      if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.packetsSent || 0;
      if (s.type === 'inbound-rtp' && s.kind === 'audio') { received += s.packetsReceived || 0; lostReported += s.packetsLost || 0; }
    });
  }
  return { sent, received, lostReported };
}

async function main() {
  const recs = [];
  const failures = [];
  const start = Date.now();
  const rssIdle = GW_PID ? rssKb(GW_PID) : 0;
  const pending = [];
  for (let i = 0; i < N; i++) {
    const due = start + (i * 1000) / RATE;
    if (due > Date.now()) await sleep(due - Date.now());
    pending.push(oneCall(i, recs).catch((e) => failures.push(`call ${i}: ${e.message}`)));
  }
  await Promise.race([Promise.all(pending), sleep(60000 + (N / RATE) * 1000)]);
  const ok = recs.filter((r) => r.connected);
  const setup = ok.map((r) => r.setupMs).sort((a, b) => a - b);
  const answered = ok.map((r) => r.answeredMs).sort((a, b) => a - b);
  const r = { mode: 'wrtc', calls: N, rate: RATE, connected: ok.length, failed: N - ok.length, failures: failures.slice(0, 10),
    setupMedianMs: pct(setup, 0.5), setupP95Ms: pct(setup, 0.95), setupP99Ms: pct(setup, 0.99),
    answeredMedianMs: pct(answered, 0.5), answeredP99Ms: pct(answered, 0.99) };
  await sleep(SETTLE * 1000);
  const a = await totals(recs);
  const c0 = GW_PID ? cpuSeconds(GW_PID) : 0;
  const threads0 = GW_PID ? threadTotals(GW_PID) : {};
  const drops0 = { gateway: GW_PID ? socketDrops(GW_PID) : 0, client: socketDrops(process.pid) };
  const s0 = cpuSeconds(process.pid);
  const t0 = Date.now();
  await sleep(WINDOW * 1000);
  const seconds = (Date.now() - t0) / 1000;
  const cpu = GW_PID ? cpuSeconds(GW_PID) - c0 : 0;
  const threads1 = GW_PID ? threadTotals(GW_PID) : {};
  const drops1 = { gateway: GW_PID ? socketDrops(GW_PID) : 0, client: socketDrops(process.pid) };
  const self = cpuSeconds(process.pid) - s0;
  const b = await totals(recs);
  Object.assign(r, {
    activeCalls: ok.length, droppedCalls: recs.filter((x) => x.dropped).length, windowSeconds: seconds,
    cpuPercent: (100 * cpu) / seconds, cpuPercentPerCall: (100 * cpu) / seconds / Math.max(1, ok.length),
    loadgenCpuPercent: (100 * self) / seconds, loadgenCpuPercentPerCall: (100 * self) / seconds / Math.max(1, ok.length),
    // the same per-thread figures as the lean client's, so the two clients' runs compare thread by thread
    cpuPercentByThread: ratesByThread(threads0, threads1, 'cpuSeconds', 100 / seconds, 0.5),
    runQueuePercentByThread: ratesByThread(threads0, threads1, 'runQueueSeconds', 100 / seconds, 0.5),
    wakeUpsPerSecondByThread: ratesByThread(threads0, threads1, 'wakeUps', 1 / seconds, 10),
    // datagrams the kernel dropped in the window at full receive buffers: the gateway's sockets, libwebrtc's
    windowDropsGateway: drops1.gateway - drops0.gateway, windowDropsClient: drops1.client - drops0.client,
    rssKb: GW_PID ? rssKb(GW_PID) : 0, rssIdleKb: rssIdle, threads: GW_PID ? threads(GW_PID) : 0,
    // in the window: what libwebrtc sent, and what came back (its own RTCP-based loss figure beside it)
    sent: b.sent - a.sent, received: b.received - a.received, lostReported: b.lostReported - a.lostReported,
  });
  r.rssPerCallKb = (r.rssKb - r.rssIdleKb) / Math.max(1, N);
  r.lost = r.sent - r.received;
  r.lossPercent = r.sent ? (100 * r.lost) / r.sent : 0;
  clearInterval(pump);
  for (const x of recs) sources.clear();
  await Promise.all(recs.filter((x) => x.hangup).map((x) => x.hangup().catch(() => {})));
  for (const x of recs) x.pc.close();
  console.log(`RESULT ${JSON.stringify(r)}`);
  setTimeout(() => process.exit(0), 500);
}

main().catch((e) => { console.error(e); process.exit(1); });
