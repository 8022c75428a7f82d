'use strict';
// Proves the SIPp callee scenarios of 01-outbound-signaling are sound without the gateway:
// each is driven by a SIPp caller (uac/*.xml) that does what the gateway is required to do.
// If one of these fails, the scenario is broken; if these pass and 01 fails, the gateway is.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { startSipp, describeRun } = require('../lib/sipp');
const { outDirFor } = require('../lib/gateway');
const { checkCredentials } = require('../lib/digest');

const UAS = path.join(__dirname, '..', '01-outbound-signaling', 'sipp');
const UAC = path.join(__dirname, 'uac');

async function pair(t, { uas, uac, transport = 'udp', uasKeys = {}, uacArgs = [] }) {
  const outDir = outDirFor('00-sipp-selfcheck', t.name);
  const callee = await startSipp({ scenario: path.join(UAS, uas), outDir, transport, keys: uasKeys, timeout: '10s' });
  const caller = await startSipp({
    scenario: path.join(UAC, uac), outDir, transport, timeout: '10s',
    remote: `127.0.0.1:${callee.port}`, service: '1000', args: uacArgs,
  });
  const [c, u] = await Promise.all([caller.done, callee.done]);
  return { caller: c, callee: u };
}

function received(run, predicate) {
  return run.messages.filter((m) => m.direction === 'received' && predicate(m));
}

describe('SIPp callee scenarios against a SIPp caller in the gateway role', () => {
  test('uas-answer completes a call the caller ends with BYE (UDP)', async (t) => {
    const { caller, callee } = await pair(t, { uas: 'uas-answer.xml', uac: 'uac-call-and-bye.xml' });
    assert.equal(callee.code, 0, describeRun(callee));
    assert.equal(caller.code, 0, describeRun(caller));
    assert.deepEqual(received(callee, () => true).map((m) => m.method), ['INVITE', 'ACK', 'BYE']);
  });

  test('uas-answer completes a call over TCP', async (t) => {
    const { caller, callee } = await pair(t, { uas: 'uas-answer.xml', uac: 'uac-call-and-bye.xml', transport: 'tcp' });
    assert.equal(callee.code, 0, describeRun(callee));
    assert.equal(caller.code, 0, describeRun(caller));
    assert.ok(callee.messages.every((m) => m.transport === 'TCP'), describeRun(callee));
  });

  test('uas-busy refuses with 486 and completes on the ACK', async (t) => {
    const { caller, callee } = await pair(t, { uas: 'uas-busy.xml', uac: 'uac-refused.xml' });
    assert.equal(callee.code, 0, describeRun(callee));
    assert.equal(caller.code, 0, describeRun(caller));
  });

  test('uas-ring-cancel answers CANCEL with 200 and the INVITE with 487', async (t) => {
    const { caller, callee } = await pair(t, { uas: 'uas-ring-cancel.xml', uac: 'uac-cancel.xml' });
    assert.equal(callee.code, 0, describeRun(callee));
    assert.equal(caller.code, 0, describeRun(caller));
    const sent = callee.messages.filter((m) => m.direction === 'sent').map((m) => `${m.status} ${m.cseqMethod}`);
    assert.deepEqual(sent, ['180 INVITE', '200 CANCEL', '487 INVITE']);
  });

  test('uas-remote-bye hangs up itself and completes on the 200 to its BYE', async (t) => {
    const { caller, callee } = await pair(t, { uas: 'uas-remote-bye.xml', uac: 'uac-remote-bye.xml' });
    assert.equal(callee.code, 0, describeRun(callee));
    assert.equal(caller.code, 0, describeRun(caller));
    const bye = callee.messages.find((m) => m.direction === 'sent' && m.method === 'BYE');
    const invite = received(callee, (m) => m.method === 'INVITE')[0];
    assert.equal(bye.callId, invite.callId);
    assert.match(bye.header('to'), /tag=/, 'the BYE must carry the caller tag');
  });

  test('uas-auth-407 accepts the right Proxy-Authorization, which the digest checker confirms', async (t) => {
    const { caller, callee } = await pair(t, {
      uas: 'uas-auth-407.xml', uac: 'uac-auth.xml',
      uasKeys: { expected_user: 'trunk-user' }, uacArgs: ['-au', 'trunk-user', '-ap', 'trunk-pass'],
    });
    assert.equal(callee.code, 0, describeRun(callee));
    assert.equal(caller.code, 0, describeRun(caller));
    const retry = received(callee, (m) => m.method === 'INVITE')[1];
    assert.deepEqual(checkCredentials(retry.header('proxy-authorization'), {
      method: 'INVITE', username: 'trunk-user', password: 'trunk-pass', realm: 'pasarela.test', nonce: '8f3c1e6b2a9d4f70', qop: 'auth',
    }), []);
    assert.notDeepEqual(checkCredentials(retry.header('proxy-authorization'), {
      method: 'INVITE', username: 'trunk-user', password: 'wrong', realm: 'pasarela.test', nonce: '8f3c1e6b2a9d4f70', qop: 'auth',
    }), [], 'the digest checker must reject a wrong password');
  });

  test('uas-auth-407 refuses a wrong username with 403 and fails', async (t) => {
    const { caller, callee } = await pair(t, {
      uas: 'uas-auth-407.xml', uac: 'uac-auth.xml',
      uasKeys: { expected_user: 'trunk-user' }, uacArgs: ['-au', 'somebody-else', '-ap', 'trunk-pass'],
    });
    assert.notEqual(callee.code, 0, describeRun(callee));
    assert.equal(caller.code, 0, describeRun(caller));
    assert.ok(callee.messages.some((m) => m.direction === 'sent' && m.status === 403), describeRun(callee));
  });

  test('uas-auth-401 verifies the Authorization digest itself and accepts the right password', async (t) => {
    const { caller, callee } = await pair(t, {
      uas: 'uas-auth-401.xml', uac: 'uac-auth.xml',
      uasKeys: { expected_user: 'trunk-user', expected_pass: 'trunk-pass' }, uacArgs: ['-au', 'trunk-user', '-ap', 'trunk-pass'],
    });
    assert.equal(callee.code, 0, describeRun(callee));
    assert.equal(caller.code, 0, describeRun(caller));
  });

  test('uas-auth-401 refuses a wrong password with 403 and fails', async (t) => {
    const { caller, callee } = await pair(t, {
      uas: 'uas-auth-401.xml', uac: 'uac-auth.xml',
      uasKeys: { expected_user: 'trunk-user', expected_pass: 'trunk-pass' }, uacArgs: ['-au', 'trunk-user', '-ap', 'wrong'],
    });
    assert.notEqual(callee.code, 0, describeRun(callee));
    assert.equal(caller.code, 0, describeRun(caller));
    assert.ok(callee.messages.some((m) => m.direction === 'sent' && m.status === 403), describeRun(callee));
  });
});
