#!/usr/bin/env node
'use strict';
// Hot spots of a JFR recording (JDK 17's `jfr` tool has no "view"): execution samples by thread, by top frame
// (self time) and by frame anywhere on the stack (total time), plus allocation by top frame and thread states.
//   node testbeds/bench/jfr-top.js gateway-500.jfr [--thread media] [--top 25]

const { execFileSync } = require('node:child_process');

const file = process.argv[2];
const opt = (n, d) => { const i = process.argv.indexOf(`--${n}`); return i < 0 ? d : process.argv[i + 1]; };
const TOP = Number(opt('top', 25));
const THREAD = opt('thread', null);

// `jfr print --json` writes tens of KB per event with deep stacks: a setup run's allocation samples at depth 64 came
// to more than the 512 MB a Node string can hold. The allocation table reads three frames, so it asks for eight.
function events(name, depth = 64) {
  const json = execFileSync('jfr', ['print', '--json', '--stack-depth', String(depth), '--events', name, file], { maxBuffer: 1 << 30 }).toString();
  return JSON.parse(json).recording.events;
}
const frameName = (f) => `${f.method.type.name}.${f.method.name}`;
const threadName = (e) => (e.values.sampledThread || e.values.eventThread || {}).javaName || '?';
const fold = (name) => name.replace(/-\d+$/, '-#').replace(/\d+$/, '#');

function table(title, counts, total) {
  console.log(`\n## ${title} (${total} samples)`);
  [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP)
    .forEach(([k, v]) => console.log(`${((100 * v) / total).toFixed(1).padStart(6)} %  ${v.toString().padStart(6)}  ${k}`));
}

const samples = events('jdk.ExecutionSample');
const byThread = new Map();
const self = new Map();
const total = new Map();
let n = 0;
for (const e of samples) {
  const t = fold(threadName(e));
  byThread.set(t, (byThread.get(t) || 0) + 1);
  if (THREAD && !t.startsWith(THREAD)) continue;
  n++;
  const frames = (e.values.stackTrace && e.values.stackTrace.frames) || [];
  if (frames.length) self.set(frameName(frames[0]), (self.get(frameName(frames[0])) || 0) + 1);
  const seen = new Set(frames.map(frameName));
  for (const f of seen) total.set(f, (total.get(f) || 0) + 1);
}
table('CPU samples by thread', byThread, samples.length);
table(`self (top frame)${THREAD ? ` in ${THREAD}*` : ''}`, self, n);
table(`total (anywhere on the stack)${THREAD ? ` in ${THREAD}*` : ''}`, total, n);

const alloc = events('jdk.ObjectAllocationSample', 8);
const allocBy = new Map();
let bytes = 0;
for (const e of alloc) {
  const t = fold(threadName(e));
  if (THREAD && !t.startsWith(THREAD)) continue;
  const frames = (e.values.stackTrace && e.values.stackTrace.frames) || [];
  const w = e.values.weight || 0;
  bytes += w;
  const key = `${e.values.objectClass.name} @ ${frames.slice(0, 3).map(frameName).join(' < ')}`;
  allocBy.set(key, (allocBy.get(key) || 0) + w);
}
console.log(`\n## allocation (sampled weight, ${(bytes / 2 ** 20).toFixed(0)} MiB${THREAD ? ` in ${THREAD}*` : ''})`);
[...allocBy.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP)
  .forEach(([k, v]) => console.log(`${((100 * v) / bytes).toFixed(1).padStart(6)} %  ${(v / 2 ** 20).toFixed(1).padStart(8)} MiB  ${k}`));
