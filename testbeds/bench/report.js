#!/usr/bin/env node
'use strict';
// Turns <out>/results.json (written by run.js) into <out>/table.md and <out>/chart.png (gnuplot):
//   node testbeds/bench/report.js [--out testbeds/out/bench]

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const i = process.argv.indexOf('--out');
const OUT = path.resolve(i > 0 ? process.argv[i + 1] : path.join(__dirname, '..', 'out', 'bench'));
const res = JSON.parse(fs.readFileSync(path.join(OUT, 'results.json'), 'utf8'));

const f = (v, d = 1) => (v === undefined || v === null || v < 0 || Number.isNaN(v) ? '–' : Number(v).toFixed(d));
const ratio = (a, b) => (a > 0 && b > 0 ? `${(a / b).toFixed(2)}×` : '–');

const g = (v, d = 2) => (v === undefined || v === null || Number.isNaN(v) ? '–' : Number(v).toFixed(d));

// Load generators without per-thread CPU (before it was added) read SIPp's socket drop counter as it stood, and
// SIPp lives for the whole run: their echo drops are the increase over the previous lean row of the same run.
let echoSoFar = 0;
function echoDrops(r) {
  if (r.cpuPercentByThread !== undefined) return r.dropsEcho;
  const d = r.dropsEcho - echoSoFar;
  echoSoFar = r.dropsEcho;
  return Math.max(0, Math.min(d, r.lost));
}

function upDown(r) {
  if (r.dropsEcho === undefined) {
    const where = r.windowDropsGateway === undefined ? ''
      : ` (dropped at full sockets: gw ${r.windowDropsGateway}, client ${r.windowDropsClient})`;
    return { up: `${r.sent}`, down: `${r.received}`, lost: `${r.lost} (${f(r.lossPercent, 3)} %)${where}` };
  }
  const dropsEcho = echoDrops(r);
  const upLost = r.dropsGatewayBrowserSide + dropsEcho;
  const downLost = r.dropsGatewaySipSide + r.dropsClient;
  const other = r.lost - upLost - downLost;
  return {
    up: `${r.sent} sent, ${upLost} lost (gw ${r.dropsGatewayBrowserSide}, echo ${dropsEcho})`,
    down: `${r.sent - upLost} echoed, ${r.received} received, ${downLost} lost (gw ${r.dropsGatewaySipSide}, client ${r.dropsClient})${other ? `, ${other} elsewhere` : ''}`,
    // since run 16 also the loss of the packets sent within the window: N calls held, without the ramp's
    lost: `${r.lost} (${f(r.lossPercent, 3)} %)${r.windowLossPercent !== undefined ? `; in the window ${r.windowLost} of ${r.windowSent} (${f(r.windowLossPercent, 3)} %)` : ''}`,
  };
}

function janusFor(n, kind) {
  const list = (res.janus && res.janus[kind]) || [];
  return list.find((x) => x.calls === n);
}

/** ' (lowest–highest of K runs)' for a run repeated with --repeat K; its own figures are the median run's. */
function spread(r) {
  if (!r.repeats) return '';
  const cpu = r.repeats.map((x) => x.cpuPercent);
  return ` (${f(Math.min(...cpu))}–${f(Math.max(...cpu))}, ${cpu.length} runs)`;
}

const rows = [];
rows.push('| gateway | client | N | CPU % of a core | CPU/call % | vs Janus | RSS MiB | RSS/call KiB | threads | up (browser→SIP) | down (SIP→browser) | lost | added RTT median / p99 ms | setup median / p95 / p99 ms | machine busy % |');
rows.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const [gw, kinds] of [['Pasarela', res.pasarela], ['Janus', res.janus]]) {
  for (const kind of ['lean', 'wrtc']) {
    for (const r of (kinds && kinds[kind]) || []) {
      const j = gw === 'Pasarela' ? janusFor(r.calls, kind) : null;
      const ud = upDown(r);
      rows.push(`| ${gw} | ${kind === 'lean' ? 'lean Java' : 'libwebrtc'} | ${r.calls}${r.connected !== r.calls ? ` (${r.connected} up)` : ''}${r.droppedCalls ? `, ${r.droppedCalls} dropped` : ''} | ${f(r.cpuPercent)}${spread(r)} | ${f(r.cpuPercentPerCall, 3)} | ${j ? ratio(r.cpuPercentPerCall, j.cpuPercentPerCall) : '–'} | ${f(r.rssKb / 1024, 0)} | ${f(r.rssPerCallKb, 0)} | ${r.threads} | ${ud.up} | ${ud.down} | ${ud.lost} | ${r.addedRttMedianMs !== undefined ? `${g(r.addedRttMedianMs)} / ${g(r.addedRttP99Ms)}` : '–'} | ${f(r.setupMedianMs, 0)} / ${f(r.setupP95Ms, 0)} / ${f(r.setupP99Ms, 0)} | ${f(r.machineBusyPercent, 0)} |`);
    }
  }
}
let text = `${rows.join('\n')}\n`;
const s = res.pasarela.setups;
if (s) {
  text += `\nSetup rate (Pasarela, lean client, no media): ${s.calls} calls offered at ${s.rate}/s: ${s.connected} connected, `
    + `${f(s.setupsPerSecond, 1)} setups/s sustained; setup median ${f(s.setupMedianMs, 0)} ms, p95 ${f(s.setupP95Ms, 0)} ms, p99 ${f(s.setupP99Ms, 0)} ms `
    + `(answered alone: median ${f(s.answeredMedianMs, 0)} ms, p99 ${f(s.answeredP99Ms, 0)} ms); gateway CPU while ramping ${f(s.rampCpuPercent, 0)} % of a core`
    + `${s.clientRampCpuPercent !== undefined ? `, the client ${f(s.clientRampCpuPercent, 0)} %` : ''}`
    + `${res.warmUpCalls ? `; after ${res.warmUpCalls} warm-up calls from the same client` : ''}.\n`;
}
for (const m of res.pasarela.moreSetups || []) {
  text += `Offered ${m.rate}/s (${m.calls} calls): ${m.connected} connected, ${f(m.setupsPerSecond, 1)} setups/s; setup median `
    + `${f(m.setupMedianMs, 1)} ms, p99 ${f(m.setupP99Ms, 1)} ms${m.insideGateway ? `; inside the gateway median ${g(m.insideGateway.addedMs.median)} ms, `
    + `p99 ${g(m.insideGateway.addedMs.p99)} ms` : ''}; gateway CPU ${f(m.rampCpuPercent, 0)} %, client ${f(m.clientRampCpuPercent, 0)} % of a core.\n`;
}
if (s && s.insideGateway) {
  const x = s.insideGateway;
  const m = (v) => `${g(v.median)} / ${g(v.p95)} / ${g(v.p99)}`;
  text += `\nInside the gateway (capture on lo, last ${x.calls} setups), median / p95 / p99 ms: added ${m(x.addedMs)}; `
    + `signaling ${m(x.signalingMs)}, ICE ${m(x.iceMs)}, DTLS ${m(x.dtlsMs)}; SIPp's own answer ${m(x.farEndAnswerMs)}.\n`;
}
if (s && s.rampCpuMsPerSetupByThread) {
  text += `\nGateway CPU per setup by thread, ms: ${Object.entries(s.rampCpuMsPerSetupByThread).map(([k, v]) => `${k} ${v}`).join(', ')}.\n`;
}
const through = [];
for (const r of res.pasarela.lean || []) {
  if (!r.throughGateway) continue;
  const { upMs: u, downMs: d } = r.throughGateway;
  // Captures analysed before run 17 have no max or stretch counts.
  const stalled = u.stretches === undefined ? '–' : `${u.stalled} / ${d.stalled} of ${u.stretches}`;
  through.push(`| ${r.calls} | ${u.relayed} of ${u.packets} | ${g(u.median, 3)} / ${g(u.p99, 3)} / ${g(u.p999, 3)} | `
    + `${d.relayed} of ${d.packets} | ${g(d.median, 3)} / ${g(d.p99, 3)} / ${g(d.p999, 3)} | ${stalled} |`);
}
if (through.length) {
  text += '\nOne-way latency through the gateway (capture on lo, flows paired per call, packets matched by sequence offset):\n\n'
    + '| N | up: packets relayed | up (browser→SIP) median / p99 / p99.9 ms | down: packets relayed | down (SIP→browser) median / p99 / p99.9 ms | 50 ms stretches with a packet over 5 ms, up / down |\n'
    + `|---|---|---|---|---|---|\n${through.join('\n')}\n`;
}
// --churn: the calls set up and hung up while the N calls carried media (finding 15).
const churned = (res.pasarela.lean || []).filter((r) => r.churn);
if (churned.length) {
  text += '\nCalls set up while the N calls carried media (`--churn`; held without media, then hung up; the client\'s '
    + 'setup time, from `call` sent to DTLS connected; the CPU figures above include these calls\'):\n\n'
    + '| N | offered / s | connected of offered | setup median / p95 / p99 / max ms | one-way max up / down ms |\n|---|---|---|---|---|\n'
    + churned.map((r) => {
      const c = r.churn;
      const t = r.throughGateway;
      return `| ${r.calls} | ${f(c.offered / c.seconds, 1)} | ${c.connected} of ${c.offered}${c.unfinished ? ` (${c.unfinished} unfinished)` : ''} | `
        + `${f(c.setupMedianMs, 1)} / ${f(c.setupP95Ms, 1)} / ${f(c.setupP99Ms, 1)} / ${f(c.setupMaxMs, 1)} | `
        + `${t ? `${g(t.upMs.max, 3)} / ${g(t.downMs.max, 3)}` : '–'} |`;
    }).join('\n') + '\n';
}
// What a held call keeps on the heap, by class (finding 15): the last run that took histograms.
const withHistogram = (res.pasarela.lean || []).filter((r) => r.liveHeapPerCallByClass).pop();
if (withHistogram) {
  const rowsByClass = Object.entries(withHistogram.liveHeapPerCallByClass)
    .map(([k, v]) => `| \`${k}\` | ${f(v.bytes, 0)} | ${f(v.instances, 2)} |`);
  text += `\nLive heap per held call by class, ${withHistogram.calls} calls (class histograms before the ramp and after the `
    + `window; ${f(withHistogram.liveHeapPerCallKb, 1)} KiB per call in all; both hold what calls ended shortly before `
    + `leave behind, the warm-up's${withHistogram.churn ? ' and the churn\'s' : ''}):\n\n| class | bytes per call | instances per call |\n|---|---|---|\n`
    + `${rowsByClass.join('\n')}\n`;
}
// How many packets each wake-up of a media thread serves, and what a packet costs the thread (finding 11): a row
// for each run that counted wake-ups (both clients since run 14).
const threadRows = [];
for (const [gw, kinds] of [['Pasarela', res.pasarela], ['Janus', res.janus]]) {
  for (const kind of ['lean', 'wrtc']) {
    for (const r of (kinds && kinds[kind]) || []) {
      const wakes = r.wakeUpsPerSecondByThread && r.wakeUpsPerSecondByThread['media-#'];
      if (!wakes) continue;
      const cpu = r.cpuPercentByThread || {};
      const perSecond = 100 * (r.activeCalls || r.connected); // PCMU at 20 ms: 50 packets a second each way per call
      threadRows.push(`| ${gw} | ${kind === 'lean' ? 'lean Java' : 'libwebrtc'} | ${r.calls} | ${f(cpu['media-#'])} | `
        + `${f((r.runQueuePercentByThread || {})['media-#'])} | ${f(wakes, 0)} | ${f(perSecond / wakes, 2)} | `
        + `${f((10000 * (cpu['media-#'] || 0)) / perSecond, 1)} | ${f(cpu['C# CompilerThre'] || 0)} |`);
    }
  }
}
if (threadRows.length) {
  text += '\nMedia threads over the window (the JIT compiler beside them):\n\n'
    + '| gateway | client | N | media CPU % of a core | waiting for a CPU % | wake-ups/s | packets received per wake-up | media CPU µs per packet | JIT compiler % |\n'
    + `|---|---|---|---|---|---|---|---|---|\n${threadRows.join('\n')}\n`;
}
fs.writeFileSync(path.join(OUT, 'table.md'), text);
process.stdout.write(text);

// chart: CPU % of a core and loss % against N, one line per gateway and client
const series = [];
for (const [gw, kinds] of [['Pasarela', res.pasarela], ['Janus', res.janus]]) {
  for (const kind of ['lean', 'wrtc']) {
    const list = ((kinds && kinds[kind]) || []).filter((r) => r.cpuPercent !== undefined).sort((a, b) => a.calls - b.calls);
    if (!list.length) continue;
    const file = path.join(OUT, `chart-${gw}-${kind}.dat`);
    fs.writeFileSync(file, list.map((r) => `${r.calls} ${r.cpuPercent} ${Math.max(r.lossPercent, 0.0001)}`).join('\n') + '\n');
    series.push({ file, title: `${gw}, ${kind === 'lean' ? 'lean Java client' : 'libwebrtc client'}` });
  }
}
const plot = (col) => series.map((x) => `'${x.file}' using 1:${col} with linespoints lw 2 pt 7 title '${x.title}'`).join(', ');
const script = `set terminal pngcairo size 1200,500 font 'sans,11'
set output '${path.join(OUT, 'chart.png')}'
set multiplot layout 1,2 title 'Pasarela vs Janus 1.1.2 SIP plugin, PCMU 20 ms both ways, DTLS-SRTP, SIPp RTP echo far end (${res.machine.cpu})'
set xlabel 'concurrent calls N'
set grid
set key top left
set ylabel 'gateway CPU, % of one core'
plot ${plot(2)}
set ylabel 'packet loss, % (round trip; 0 plotted as 1e-4)'
set logscale y
plot ${plot(3)}
unset multiplot
`;
fs.writeFileSync(path.join(OUT, 'chart.gp'), script);
execFileSync('gnuplot', [path.join(OUT, 'chart.gp')]);
console.log(`wrote ${path.join(OUT, 'table.md')} and ${path.join(OUT, 'chart.png')}`);
