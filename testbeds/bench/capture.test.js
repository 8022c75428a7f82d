'use strict';
// The driver's reading of the lean client's capture line (capture.js). No capture is taken: milliseconds.
//
//   node --test testbeds/bench/capture.test.js

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { captureSpan, stalls } = require('./capture');

test('a capture line without ports means every call, one with a span means those ports only', () => {
  assert.equal(captureSpan('CAPTURE START'), null);
  assert.deepEqual(captureSpan('CAPTURE START 17000-17149'), { min: 17000, max: 17149 });
});

test('a capture line that is not one, or names an impossible span, is an error naming the line', () => {
  assert.throws(() => captureSpan('CAPTURE STARTED'), /not a capture start line: "CAPTURE STARTED"/);
  assert.throws(() => captureSpan('CAPTURE START 17149-17000'), /bad capture span/);
  assert.throws(() => captureSpan('CAPTURE START 0-10'), /bad capture span/);
  assert.throws(() => captureSpan('CAPTURE START 60000-70000'), /bad capture span/);
});

test('a tail made of one stalled stretch is told apart from one spread over the capture', () => {
  // 200 ms of packets every 1 ms, 0.1 ms through the gateway, except 30 ms of a stall from 60 to 90 ms.
  const arrivals = Array.from({ length: 200 }, (_, i) => 1000 + i);
  const stalled = arrivals.map((t) => (t >= 1060 && t < 1090 ? 20 : 0.1));
  assert.deepEqual(stalls(stalled, arrivals), { stretches: 4, stalled: 1 });
  const spread = arrivals.map((t, i) => (i % 25 === 0 ? 6 : 0.1));
  assert.deepEqual(stalls(spread, arrivals), { stretches: 4, stalled: 4 });
  assert.deepEqual(stalls([], []), { stretches: 0, stalled: 0 });
});
