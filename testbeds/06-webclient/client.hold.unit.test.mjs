// Unit tests of hold, unhold and transfer in the client library (pasarela.js) against the scripted fake
// WebSocket: what goes on the wire, when the promises settle, which events fire.
//
//   node --test testbeds/06-webclient/client.hold.unit.test.mjs

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fakePlatform, settle } from './fakes.mjs';
import { PasarelaClient, PasarelaError, describeOutcome } from '../../gateway/src/main/resources/web/pasarela.js';

async function answeredCall() {
  const f = fakePlatform();
  const client = new PasarelaClient({ url: 'ws://127.0.0.1:8080/ws', user: 'alice', password: 'secret', platform: f.platform });
  const connected = client.connect();
  const ws = f.WebSocket.sockets.at(-1);
  ws.accept();
  await settle();
  ws.receive({ type: 'ack', id: ws.last('login').id, profiles: ['trunk'], defaultProfile: 'trunk' });
  await connected;
  const call = client.call('1000');
  await settle();
  ws.receive({ type: 'ack', id: ws.last('call').id, call: 'c1' });
  await settle();
  ws.receive({ type: 'answered', call: 'c1', jsep: { type: 'answer', sdp: 'v=0\r\n' } });
  await settle();
  const events = [];
  for (const type of ['hold', 'transferring', 'transfer-failed', 'ended']) {
    call.addEventListener(type, (e) => events.push({ type, ...e.detail }));
  }
  return { client, f, ws, call, events };
}

describe('hold and unhold', () => {
  test('hold sends {type:hold, call} and resolves, marking the call held, only on the ack', async () => {
    const c = await answeredCall();
    let settled = false;
    const held = c.call.hold().then(() => { settled = true; });
    await settle();
    const request = c.ws.last('hold');
    assert.deepEqual(request, { type: 'hold', id: request.id, call: 'c1' });
    assert.equal(settled, false);
    assert.equal(c.call.held, false);
    c.ws.receive({ type: 'ack', id: request.id, call: 'c1' });
    await held;
    assert.equal(c.call.held, true);
    assert.deepEqual(c.events, [{ type: 'hold', held: true }]);

    const resumed = c.call.unhold();
    await settle();
    const unhold = c.ws.last('unhold');
    assert.deepEqual(unhold, { type: 'unhold', id: unhold.id, call: 'c1' });
    c.ws.receive({ type: 'ack', id: unhold.id, call: 'c1' });
    await resumed;
    assert.equal(c.call.held, false);
    assert.deepEqual(c.events.at(-1), { type: 'hold', held: false });
  });

  test('a refused hold rejects with the SIP code and leaves the call as it was', async () => {
    const c = await answeredCall();
    const held = c.call.hold();
    await settle();
    c.ws.receive({ type: 'error', id: c.ws.last('hold').id, call: 'c1', code: 491,
      reason: 'hold: the far end answered the re-INVITE with 491 Request Pending twice' });
    await assert.rejects(held, (e) => e instanceof PasarelaError && e.kind === 'refused' && e.code === 491);
    assert.equal(c.call.held, false);
    assert.equal(c.call.state, 'answered');
    assert.deepEqual(c.events, []);
  });

  test('hold waits at least 40 s for the SIP side, longer than a plain request', async () => {
    const c = await answeredCall();
    const held = c.call.hold();
    await settle();
    await c.f.timers.advance(30000);
    c.ws.receive({ type: 'ack', id: c.ws.last('hold').id, call: 'c1' });
    await held;
    assert.equal(c.call.held, true);
  });

  test('hold before the answer is refused locally without a request', async () => {
    const f = fakePlatform();
    const client = new PasarelaClient({ url: 'ws://x/ws', user: 'a', password: 'b', platform: f.platform });
    const connected = client.connect();
    const ws = f.WebSocket.sockets.at(-1);
    ws.accept();
    await settle();
    ws.receive({ type: 'ack', id: ws.last('login').id });
    await connected;
    const call = client.call('1000');
    await settle();
    await assert.rejects(call.hold(), (e) => e.kind === 'state');
    assert.equal(ws.last('hold'), undefined);
  });
});

describe('transfer', () => {
  test('transfer sends the target, resolves on the ack, and the call ends as transferred', async () => {
    const c = await answeredCall();
    const transferring = c.call.transfer(' +34 911 234 567 ');
    await settle();
    const request = c.ws.last('transfer');
    assert.deepEqual(request, { type: 'transfer', id: request.id, call: 'c1', to: '+34 911 234 567' });
    c.ws.receive({ type: 'ack', id: request.id, call: 'c1' });
    await transferring;
    c.ws.receive({ type: 'hangup', call: 'c1', code: 200, reason: 'transferred' });
    const outcome = await c.call.ended;
    assert.equal(outcome.message, 'The call was transferred.');
    assert.deepEqual(c.events.map((e) => e.type), ['transferring', 'ended']);
  });

  test('a failed transfer fires transfer-failed with a sentence and the call goes on', async () => {
    const c = await answeredCall();
    const transferring = c.call.transfer('1002');
    await settle();
    c.ws.receive({ type: 'ack', id: c.ws.last('transfer').id, call: 'c1' });
    await transferring;
    c.ws.receive({ type: 'transfer-failed', call: 'c1', code: 486, reason: 'Busy Here' });
    await settle();
    const failed = c.events.find((e) => e.type === 'transfer-failed');
    assert.equal(failed.code, 486);
    assert.match(failed.message, /did not reach its target; the call goes on/);
    assert.equal(c.call.state, 'answered');
  });

  test('a refused transfer rejects with the gateway code (403 by the toll-fraud rules)', async () => {
    const c = await answeredCall();
    const transferring = c.call.transfer('+449012345678');
    await settle();
    c.ws.receive({ type: 'error', id: c.ws.last('transfer').id, call: 'c1', code: 403,
      reason: 'transfer: +449012345678 matches premium-rate prefix +449 (not allowed for group basic)' });
    await assert.rejects(transferring, (e) => e.kind === 'refused' && e.code === 403);
    assert.equal(c.call.state, 'answered');
  });

  test('an empty target is refused locally', async () => {
    const c = await answeredCall();
    await assert.rejects(c.call.transfer('  '), (e) => e.kind === 'state');
    assert.equal(c.ws.last('transfer'), undefined);
  });

  test('describeOutcome says transferred for the transfer hangup', () => {
    assert.equal(describeOutcome(200, 'transferred'), 'The call was transferred.');
  });
});
