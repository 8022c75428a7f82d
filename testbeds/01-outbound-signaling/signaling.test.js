'use strict';
// Outbound calls through the real gateway: a scripted browser on the WebSocket, SIPp as the
// SIP callee. Each case checks what BOTH sides saw: the exact JSON sequence on the WebSocket
// and the SIP messages in SIPp's trace (plus SIPp's exit code: 0 = every scenario step happened).
//
// One gateway for the whole file; one SIPp port per case, each reached through its own profile.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { useGateway, outDirFor } = require('../lib/gateway');
const { freePort } = require('../lib/ports');
const { startSipp, describeRun } = require('../lib/sipp');
const { WsClient } = require('../lib/wsclient');
const { chromiumAudioOffer, videoOnlyOffer, parseSdp } = require('../lib/sdp');
const { checkCredentials } = require('../lib/digest');

const FILE = '01-outbound-signaling';
const SCENARIOS = path.join(__dirname, 'sipp');
const USER = 'alice';
const PASSWORD = 'secret';
const CODECS = ['PCMU', 'PCMA', 'telephone-event'];
const TRUNK = { username: 'pasarela-trunk', password: 'trunk-s3cret' };
const DOMAIN = '127.0.0.1';

// profile name -> transport; each gets its own SIPp port, allocated before the gateway starts.
const PROFILES = {
  answer: 'UDP', busy: 'UDP', auth407: 'UDP', auth401: 'UDP', cancel: 'UDP',
  remotebye: 'UDP', malformed: 'UDP', badsdp: 'UDP', wsclose: 'UDP', tcp: 'TCP', dtmfinfo: 'UDP',
  hold: 'UDP', refer: 'UDP', refer603: 'UDP',
};
// Per-profile settings beyond the common ones.
const EXTRA = { dtmfinfo: { dtmf: 'info' } };
const sippPorts = {};

const ctx = useGateway(async () => {
  const profiles = {};
  for (const [name, transport] of Object.entries(PROFILES)) {
    sippPorts[name] = await freePort();
    profiles[name] = {
      proxy: `sip:127.0.0.1:${sippPorts[name]}`,
      transport,
      codecs: CODECS.join(','),
      domain: DOMAIN,
      auth: TRUNK,
      ...(EXTRA[name] || {}),
    };
  }
  // One user places a dozen calls within a minute here: no per-minute toll-fraud limit (07-security tests it).
  return { name: FILE, users: { [USER]: PASSWORD }, profiles,
    sets: { 'call.no-answer-timeout': '10s', 'call.max-per-minute-per-user': '0' } };
});

// ---------- helpers ----------

async function loggedIn({ user = USER, password = PASSWORD } = {}) {
  const client = await WsClient.connect(ctx.gw.wsUrl);
  const id = client.request({ type: 'login', user, password });
  const reply = await client.response(id);
  assert.equal(reply.type, 'ack', `login refused: ${JSON.stringify(reply)}\n${client.transcript()}`);
  return client;
}

/** Starts a SIPp callee for `profile` (its port and transport) and returns its handle. */
function callee(t, profile, scenario, keys = {}) {
  return startSipp({
    scenario: path.join(SCENARIOS, scenario),
    outDir: outDirFor(FILE, t.name),
    port: sippPorts[profile],
    transport: PROFILES[profile].toLowerCase(),
    timeout: '15s',
    keys,
  }).then((sipp) => {
    t.after(async () => {
      const run = await sipp.stop();
      if (!t.passed) process.stderr.write(`\n===== SIPp side of "${t.name}" =====\n${describeRun(run)}\n`);
    });
    return sipp;
  });
}

/** Sends a call request and returns { id, call } once it is acked. */
async function placeCall(client, profile, { to = '1000', sdp = chromiumAudioOffer() } = {}) {
  const id = client.request({ type: 'call', to, profile, jsep: { type: 'offer', sdp } });
  const reply = await client.response(id);
  assert.equal(reply.type, 'ack', `call refused: ${JSON.stringify(reply)}\n${client.transcript()}`);
  assert.equal(typeof reply.call, 'string', `the call's ack must carry the call id: ${JSON.stringify(reply)}`);
  assert.ok(reply.call.length > 0);
  return { id, call: reply.call };
}

/**
 * The messages of one call, in arrival order: everything naming the call, plus the replies to
 * the given request ids; trickled candidates left out (the gateway may send any number).
 */
function callSequence(client, call, ids) {
  return client.messages()
    .filter((m) => m.type !== 'candidate' && (m.call === call || ids.includes(m.id)))
    .map((m) => (m.type === 'hangup' ? `hangup ${m.code}` : m.type));
}

/** Waits a little, then checks the call's sequence is exactly `expected` (one hangup, nothing after). */
async function assertSequence(client, call, ids, expected) {
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(callSequence(client, call, ids), expected, client.transcript());
  for (const m of client.messages({ call }).filter((x) => x.type === 'candidate')) {
    assert.ok(m.candidate === null || typeof m.candidate.candidate === 'string', `bad candidate message ${JSON.stringify(m)}`);
  }
}

async function sippOk(sipp) {
  const run = await sipp.done;
  assert.equal(run.code, 0, `SIPp scenario did not complete\n${describeRun(run)}`);
  return run;
}

const got = (run, method) => run.messages.filter((m) => m.direction === 'received' && m.method === method);

/** What the gateway must put on the SIP side: a plain RTP/AVP audio offer for the profile. */
function assertPlainRtpInvite(invite, { transport = 'UDP' } = {}) {
  const where = `in INVITE:\n${invite.raw}`;
  assert.match(invite.requestUri, /^sip:1000@127\.0\.0\.1(:\d+)?(;[^;]+)*$/, `request URI ${where}`);
  assert.match(invite.header('from'), new RegExp(`sip:${USER}@`), `From user must be the logged-in user ${where}`);
  assert.match(invite.header('via'), new RegExp(`^SIP/2\\.0/${transport}\\b`, 'i'), `Via transport ${where}`);
  assert.match(invite.header('content-type') || '', /^application\/sdp/i, `Content-Type ${where}`);

  const sdp = parseSdp(invite.body);
  assert.equal(sdp.media.length, 1, `exactly one m= line ${where}`);
  const [audio] = sdp.media;
  assert.equal(audio.kind, 'audio', where);
  assert.equal(audio.proto, 'RTP/AVP', `plain RTP, no SRTP/DTLS profile ${where}`);
  const min = ctx.gw.rtp.min;
  const max = ctx.gw.rtp.max;
  assert.ok(audio.port >= min && audio.port <= max, `RTP port ${audio.port} outside rtp.port.min..max ${min}..${max} ${where}`);
  const c = [...audio.fields('c'), ...sdp.sessionField('c')];
  assert.ok(c.length > 0, `a c= line ${where}`);
  assert.equal(c[0], 'IN IP4 127.0.0.1', `c= must be media.address ${where}`);
  const codecs = audio.codecs();
  assert.equal(codecs[0].name.toUpperCase(), 'PCMU/8000', `PCMU first, as in the profile's codecs ${where}`);
  for (const { pt, name } of codecs) {
    const encoding = name.split('/')[0];
    assert.ok(CODECS.some((x) => x.toLowerCase() === encoding.toLowerCase()), `payload ${pt} (${name}) is not in the profile's codecs ${where}`);
    if (encoding.toLowerCase() === 'telephone-event') assert.equal(name, 'telephone-event/8000', `DTMF must be 8 kHz for PCMU ${where}`);
  }
  for (const webrtcOnly of ['ice-ufrag', 'ice-pwd', 'ice-options', 'candidate', 'end-of-candidates', 'fingerprint', 'setup', 'group', 'msid', 'extmap', 'rtcp-fb', 'ssrc']) {
    assert.equal(audio.has(webrtcOnly) || sdp.sessionAttributes(webrtcOnly).length > 0, false, `a=${webrtcOnly} must not reach SIP ${where}`);
  }
}

/** What the browser must get back: a WebRTC answer it can apply to the Chromium offer. */
function assertWebRtcAnswer(jsep, offerSdp) {
  assert.equal(jsep && jsep.type, 'answer', `jsep.type ${JSON.stringify(jsep)}`);
  const where = `in answer:\n${jsep.sdp}`;
  const offer = parseSdp(offerSdp);
  const answer = parseSdp(jsep.sdp);
  assert.equal(answer.media.length, offer.media.length, `one m= line per offered one ${where}`);
  const [audio] = answer.media;
  assert.equal(audio.kind, 'audio', where);
  assert.equal(audio.proto, 'UDP/TLS/RTP/SAVPF', where);
  assert.equal(audio.attribute('mid'), offer.media[0].attribute('mid'), `a=mid must match the offer ${where}`);
  const either = (name) => audio.attribute(name) ?? answer.sessionAttributes(name)[0];
  assert.match(either('ice-ufrag') || '', /^[A-Za-z0-9+/]{4,256}$/, `a=ice-ufrag ${where}`);
  assert.match(either('ice-pwd') || '', /^[A-Za-z0-9+/]{22,256}$/, `a=ice-pwd ${where}`);
  assert.match(either('fingerprint') || '', /^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$/i, `a=fingerprint:sha-256 ${where}`);
  assert.match(either('setup') || '', /^(active|passive)$/, `a=setup must be active or passive in an answer (RFC 5763) ${where}`);
  assert.ok(audio.has('rtcp-mux'), `a=rtcp-mux (Chromium requires it) ${where}`);
  assert.ok(audio.attributes('candidate').length > 0, `at least one a=candidate ${where}`);
  const offered = new Set(offer.media[0].formats);
  for (const pt of audio.formats) assert.ok(offered.has(pt), `answered payload type ${pt} was not offered ${where}`);
  assert.ok(audio.formats.includes('0'), `PCMU (0), which the SIP side chose, must be in the answer ${where}`);
}

// ---------- cases ----------

describe('outbound signaling: browser on WebSocket -> gateway -> SIPp callee', () => {
  test('(1) an answered call: ringing, a WebRTC answer, and the browser hangup becomes BYE (UDP)', async (t) => {
    const sipp = await callee(t, 'answer', 'uas-answer.xml');
    const client = await loggedIn();
    t.after(() => client.close());
    const offer = chromiumAudioOffer();
    const { id, call } = await placeCall(client, 'answer', { sdp: offer });
    client.send({ type: 'candidate', call, candidate: null });
    await client.next('ringing', { where: (m) => m.call === call });
    const answered = await client.next('answered', { where: (m) => m.call === call });
    assertWebRtcAnswer(answered.jsep, offer);
    const hangupId = client.request({ type: 'hangup', call });
    const end = await client.next('hangup', { where: (m) => m.call === call });
    assert.equal(end.code, 200, JSON.stringify(end));
    await assertSequence(client, call, [id, hangupId], ['ack', 'ringing', 'answered', 'ack', 'hangup 200']);

    const run = await sippOk(sipp);
    const [invite] = got(run, 'INVITE');
    assertPlainRtpInvite(invite);
    assert.equal(got(run, 'BYE')[0].callId, invite.callId, describeRun(run));
  });

  test('(2) a busy callee: 486 reaches the browser as hangup 486, and the 486 is ACKed', async (t) => {
    const sipp = await callee(t, 'busy', 'uas-busy.xml');
    const client = await loggedIn();
    t.after(() => client.close());
    const { id, call } = await placeCall(client, 'busy');
    const end = await client.next('hangup', { where: (m) => m.call === call });
    assert.equal(end.code, 486, JSON.stringify(end));
    assert.equal(end.reason, 'Busy Here', JSON.stringify(end));
    await assertSequence(client, call, [id], ['ack', 'hangup 486']);

    const run = await sippOk(sipp);
    const [invite] = got(run, 'INVITE');
    assertPlainRtpInvite(invite);
    const [ack] = got(run, 'ACK');
    assert.equal(ack.header('cseq').split(/\s+/)[0], invite.header('cseq').split(/\s+/)[0], 'ACK of a non-2xx keeps the INVITE CSeq number');
  });

  test('(3a) a 407 challenge is answered once with Proxy-Authorization from the profile', async (t) => {
    const sipp = await callee(t, 'auth407', 'uas-auth-407.xml', { expected_user: TRUNK.username });
    const client = await loggedIn();
    t.after(() => client.close());
    const offer = chromiumAudioOffer();
    const { id, call } = await placeCall(client, 'auth407', { sdp: offer });
    const answered = await client.next('answered', { where: (m) => m.call === call });
    assertWebRtcAnswer(answered.jsep, offer);
    const hangupId = client.request({ type: 'hangup', call });
    await client.next('hangup', { where: (m) => m.call === call });
    await assertSequence(client, call, [id, hangupId], ['ack', 'answered', 'ack', 'hangup 200']);

    const run = await sippOk(sipp);
    const [first, retry] = got(run, 'INVITE');
    assert.equal(first.header('proxy-authorization'), undefined, 'no credentials before the challenge');
    assertPlainRtpInvite(retry);
    assert.equal(retry.callId, first.callId, 'the retry keeps the Call-ID (RFC 3261 22.2)');
    assert.ok(Number(retry.header('cseq').split(' ')[0]) > Number(first.header('cseq').split(' ')[0]), 'the retry has a higher CSeq');
    assert.deepEqual(checkCredentials(retry.header('proxy-authorization'), {
      method: 'INVITE', username: TRUNK.username, password: TRUNK.password, realm: 'pasarela.test', nonce: '8f3c1e6b2a9d4f70', qop: 'auth',
    }), [], `Proxy-Authorization: ${retry.header('proxy-authorization')}`);
  });

  test('(3b) a 401 challenge is answered once with Authorization, verified by SIPp itself', async (t) => {
    const sipp = await callee(t, 'auth401', 'uas-auth-401.xml', { expected_user: TRUNK.username, expected_pass: TRUNK.password });
    const client = await loggedIn();
    t.after(() => client.close());
    const { id, call } = await placeCall(client, 'auth401');
    await client.next('answered', { where: (m) => m.call === call });
    const hangupId = client.request({ type: 'hangup', call });
    await client.next('hangup', { where: (m) => m.call === call });
    await assertSequence(client, call, [id, hangupId], ['ack', 'answered', 'ack', 'hangup 200']);

    const run = await sippOk(sipp);
    const [first, retry] = got(run, 'INVITE');
    assert.equal(first.header('authorization'), undefined, 'no credentials before the challenge');
    assert.equal(retry.callId, first.callId, 'the retry keeps the Call-ID (RFC 3261 22.2)');
    assert.deepEqual(checkCredentials(retry.header('authorization'), {
      method: 'INVITE', username: TRUNK.username, password: TRUNK.password, realm: 'pasarela.test', nonce: '5d1b7e0c93a24f18',
    }), []);
  });

  test('(4) hangup while ringing becomes CANCEL; the browser gets hangup 487', async (t) => {
    const sipp = await callee(t, 'cancel', 'uas-ring-cancel.xml');
    const client = await loggedIn();
    t.after(() => client.close());
    const { id, call } = await placeCall(client, 'cancel');
    await client.next('ringing', { where: (m) => m.call === call });
    const hangupId = client.request({ type: 'hangup', call });
    const end = await client.next('hangup', { where: (m) => m.call === call });
    assert.equal(end.code, 487, JSON.stringify(end));
    await assertSequence(client, call, [id, hangupId], ['ack', 'ringing', 'ack', 'hangup 487']);

    const run = await sippOk(sipp);
    const [invite] = got(run, 'INVITE');
    const [cancel] = got(run, 'CANCEL');
    assert.equal(cancel.callId, invite.callId);
    assert.equal(cancel.requestUri, invite.requestUri, 'CANCEL Request-URI equals the INVITE one (RFC 3261 9.1)');
    assert.equal(cancel.header('via'), invite.header('via'), 'CANCEL has the INVITE top Via, same branch (RFC 3261 9.1)');
    assert.equal(got(run, 'ACK').length, 1, 'the 487 is ACKed');
  });

  test('(5) the callee hangs up: the gateway answers the BYE with 200 and tells the browser', async (t) => {
    const sipp = await callee(t, 'remotebye', 'uas-remote-bye.xml');
    const client = await loggedIn();
    t.after(() => client.close());
    const { id, call } = await placeCall(client, 'remotebye');
    await client.next('answered', { where: (m) => m.call === call });
    const end = await client.next('hangup', { where: (m) => m.call === call, timeout: 5000 });
    assert.equal(end.code, 200, JSON.stringify(end));
    assert.match(end.reason || '', /remote|callee|far.end|peer|other (side|party)|bye/i, `the reason must say the remote side hung up: ${JSON.stringify(end)}`);
    await assertSequence(client, call, [id], ['ack', 'ringing', 'answered', 'hangup 200']);

    const run = await sippOk(sipp);
    const ok = run.messages.find((m) => m.direction === 'received' && m.status === 200 && m.cseqMethod === 'BYE');
    assert.ok(ok, `SIPp got a 200 for its BYE\n${describeRun(run)}`);
  });

  test('(5b) dtmf on a dtmf=info profile becomes one SIP INFO per digit, in order', async (t) => {
    const sipp = await callee(t, 'dtmfinfo', 'uas-dtmf-info.xml');
    const client = await loggedIn();
    t.after(() => client.close());
    const { id, call } = await placeCall(client, 'dtmfinfo');
    await client.next('answered', { where: (m) => m.call === call });
    const dtmf = client.request({ type: 'dtmf', call, digits: '1#', durationMs: 80 });
    const reply = await client.response(dtmf);
    assert.equal(reply.type, 'ack', JSON.stringify(reply));
    await new Promise((r) => setTimeout(r, 700)); // two digits of 80 ms plus gaps
    const hangup = client.request({ type: 'hangup', call });
    await client.next('hangup', { where: (m) => m.call === call });
    await assertSequence(client, call, [id, dtmf, hangup], ['ack', 'ringing', 'answered', 'ack', 'ack', 'hangup 200']);

    const run = await sippOk(sipp);
    const infos = got(run, 'INFO');
    assert.equal(infos.length, 2, describeRun(run));
    assert.ok(Number(infos[1].header('cseq').split(' ')[0]) > Number(infos[0].header('cseq').split(' ')[0]),
      'the second digit is a later request in the dialog');
  });

  test('(6a) malformed JSON gets error 400 and the session keeps working', async (t) => {
    const sipp = await callee(t, 'malformed', 'uas-busy.xml');
    const client = await loggedIn();
    t.after(() => client.close());
    client.send('{"type":"call",');
    const error = await client.next('error');
    assert.equal(error.code, 400, JSON.stringify(error));
    assert.equal(error.id, undefined, 'nothing could be parsed, so no id');
    assert.equal(typeof error.reason, 'string');
    const pingId = client.request({ type: 'ping' });
    const pong = await client.next('pong');
    assert.equal(pong.id, pingId);
    const missingTo = client.request({ type: 'call', profile: 'malformed', jsep: { type: 'offer', sdp: chromiumAudioOffer() } });
    const refused = await client.response(missingTo);
    assert.equal(refused.type, 'error', JSON.stringify(refused));
    assert.equal(refused.code, 400, `a call without "to": ${JSON.stringify(refused)}`);
    const { call } = await placeCall(client, 'malformed');
    const end = await client.next('hangup', { where: (m) => m.call === call });
    assert.equal(end.code, 486);

    const run = await sippOk(sipp);
    assert.equal(got(run, 'INVITE').length, 1, `only the valid call reaches SIP\n${describeRun(run)}`);
  });

  test('(6b) an unusable offer gets error 488 and no INVITE; a good offer after it still works', async (t) => {
    // The callee takes one call; if a bad offer leaked an INVITE, SIPp would see two INVITEs.
    const sipp = await callee(t, 'badsdp', 'uas-answer.xml');
    const client = await loggedIn();
    t.after(() => client.close());
    for (const [what, sdp] of [['garbage', 'this is not SDP'], ['video only', videoOnlyOffer()]]) {
      const id = client.request({ type: 'call', to: '1000', profile: 'badsdp', jsep: { type: 'offer', sdp } });
      const reply = await client.response(id);
      assert.equal(reply.type, 'error', `${what}: ${JSON.stringify(reply)}`);
      assert.equal(reply.code, 488, `${what}: ${JSON.stringify(reply)}`);
      assert.ok(typeof reply.reason === 'string' && reply.reason.length > 0, `${what}: a reason is given`);
    }
    await new Promise((r) => setTimeout(r, 500)); // time for a wrongly sent INVITE to arrive first
    const { call } = await placeCall(client, 'badsdp');
    await client.next('answered', { where: (m) => m.call === call });
    client.request({ type: 'hangup', call });
    await client.next('hangup', { where: (m) => m.call === call });
    assert.equal(client.types((m) => m.type === 'hangup').length, 1, `only the good call ended\n${client.transcript()}`);

    const run = await sippOk(sipp);
    const invites = got(run, 'INVITE');
    assert.equal(new Set(invites.map((m) => m.callId)).size, 1, `no INVITE for the bad offers\n${describeRun(run)}`);
    assertPlainRtpInvite(invites[0]);
  });

  test('(7a) closing the WebSocket while ringing CANCELs the call', async (t) => {
    const sipp = await callee(t, 'wsclose', 'uas-ring-cancel.xml');
    const client = await loggedIn();
    const { id, call } = await placeCall(client, 'wsclose');
    await client.next('ringing', { where: (m) => m.call === call });
    await client.close();
    assert.deepEqual(callSequence(client, call, [id]), ['ack', 'ringing']);

    const run = await sippOk(sipp);
    assert.equal(got(run, 'CANCEL').length, 1, describeRun(run));
  });

  test('(7b) an answered call over TCP', async (t) => {
    const sipp = await callee(t, 'tcp', 'uas-answer.xml');
    const client = await loggedIn();
    t.after(() => client.close());
    const offer = chromiumAudioOffer();
    const { id, call } = await placeCall(client, 'tcp', { sdp: offer });
    await client.next('ringing', { where: (m) => m.call === call });
    const answered = await client.next('answered', { where: (m) => m.call === call });
    assertWebRtcAnswer(answered.jsep, offer);
    const hangupId = client.request({ type: 'hangup', call });
    const end = await client.next('hangup', { where: (m) => m.call === call });
    assert.equal(end.code, 200);
    await assertSequence(client, call, [id, hangupId], ['ack', 'ringing', 'answered', 'ack', 'hangup 200']);

    const run = await sippOk(sipp);
    assert.ok(run.messages.every((m) => m.transport === 'TCP'), describeRun(run));
    assertPlainRtpInvite(got(run, 'INVITE')[0], { transport: 'TCP' });
  });

  test('(8) refusals: call before login 401, unknown profile 404, unknown call 404, bad password', async () => {
    const anonymous = await WsClient.connect(ctx.gw.wsUrl);
    try {
      const early = anonymous.request({ type: 'call', to: '1000', profile: 'answer', jsep: { type: 'offer', sdp: chromiumAudioOffer() } });
      const r1 = await anonymous.response(early);
      assert.equal(r1.type, 'error', JSON.stringify(r1));
      assert.equal(r1.code, 401, JSON.stringify(r1));

      const bad = anonymous.request({ type: 'login', user: USER, password: 'not-the-password' });
      const r2 = await anonymous.response(bad);
      assert.equal(r2.type, 'error', `a wrong password must be refused: ${JSON.stringify(r2)}`);
      const still = anonymous.request({ type: 'call', to: '1000', profile: 'answer', jsep: { type: 'offer', sdp: chromiumAudioOffer() } });
      const r3 = await anonymous.response(still);
      assert.equal(r3.code, 401, `still not logged in: ${JSON.stringify(r3)}`);
    } finally {
      await anonymous.close();
    }

    const client = await loggedIn();
    try {
      const unknownProfile = client.request({ type: 'call', to: '1000', profile: 'no-such-profile', jsep: { type: 'offer', sdp: chromiumAudioOffer() } });
      const r4 = await client.response(unknownProfile);
      assert.equal(r4.type, 'error', JSON.stringify(r4));
      assert.equal(r4.code, 404, JSON.stringify(r4));
      const unknownCall = client.request({ type: 'hangup', call: 'no-such-call' });
      const r5 = await client.response(unknownCall);
      assert.equal(r5.type, 'error', JSON.stringify(r5));
      assert.equal(r5.code, 404, JSON.stringify(r5));
      await client.expectNone((m) => ['ringing', 'answered', 'hangup', 'progress'].includes(m.type), 200);
    } finally {
      await client.close();
    }
  });

  test('(9) hold and resume: re-INVITEs with a=sendonly then a=sendrecv, o= version up by one each, acked', async (t) => {
    const sipp = await callee(t, 'hold', 'uas-hold.xml');
    const client = await loggedIn();
    t.after(() => client.close());
    const { id, call } = await placeCall(client, 'hold');
    await client.next('answered', { where: (m) => m.call === call });
    const hold = client.request({ type: 'hold', call });
    assert.equal((await client.response(hold)).type, 'ack', client.transcript());
    const unhold = client.request({ type: 'unhold', call });
    assert.equal((await client.response(unhold)).type, 'ack', client.transcript());
    const hangup = client.request({ type: 'hangup', call });
    await client.next('hangup', { where: (m) => m.call === call });
    await assertSequence(client, call, [id, hold, unhold, hangup], ['ack', 'ringing', 'answered', 'ack', 'ack', 'ack', 'hangup 200']);

    const run = await sippOk(sipp);
    const invites = got(run, 'INVITE');
    assert.equal(invites.length, 3, describeRun(run));
    const version = (m) => Number(parseSdp(m.body).sessionField('o')[0].split(' ')[2]);
    assert.match(invites[1].body, /a=sendonly/, invites[1].raw);
    assert.match(invites[2].body, /a=sendrecv/, invites[2].raw);
    assert.equal(version(invites[1]), version(invites[0]) + 1, describeRun(run));
    assert.equal(version(invites[2]), version(invites[1]) + 1, describeRun(run));
    assert.equal(parseSdp(invites[1].body).media[0].port, parseSdp(invites[0].body).media[0].port, 'same RTP port');
    assert.equal(got(run, 'ACK').length, 3, `every 2xx ACKed\n${describeRun(run)}`);
  });

  test('(10) blind transfer: REFER to the dialled target, 202 acks, NOTIFY sipfrag 200 ends it as transferred', async (t) => {
    const sipp = await callee(t, 'refer', 'uas-refer.xml');
    const client = await loggedIn();
    t.after(() => client.close());
    const { id, call } = await placeCall(client, 'refer');
    await client.next('answered', { where: (m) => m.call === call });
    const transfer = client.request({ type: 'transfer', call, to: '2000' });
    assert.equal((await client.response(transfer)).type, 'ack', client.transcript());
    const end = await client.next('hangup', { where: (m) => m.call === call });
    assert.deepEqual([end.code, end.reason], [200, 'transferred'], JSON.stringify(end));
    await assertSequence(client, call, [id, transfer], ['ack', 'ringing', 'answered', 'ack', 'hangup 200']);

    const run = await sippOk(sipp);
    const [refer] = got(run, 'REFER');
    assert.match(refer.header('refer-to'), /^<sip:2000@127\.0\.0\.1(:\d+)?>$/, refer.raw);
    assert.match(refer.header('referred-by') || '', new RegExp(`sip:${USER}@`), refer.raw);
    assert.equal(got(run, 'BYE').length, 1, describeRun(run));
  });

  test('(11) a transfer the target declines (NOTIFY sipfrag 603) is reported and the call goes on', async (t) => {
    const sipp = await callee(t, 'refer603', 'uas-refer-603.xml');
    const client = await loggedIn();
    t.after(() => client.close());
    const { id, call } = await placeCall(client, 'refer603');
    await client.next('answered', { where: (m) => m.call === call });
    const transfer = client.request({ type: 'transfer', call, to: '2000' });
    assert.equal((await client.response(transfer)).type, 'ack', client.transcript());
    const failed = await client.next('transfer-failed', { where: (m) => m.call === call });
    assert.deepEqual([failed.code, failed.reason], [603, 'Declined'], JSON.stringify(failed));
    await client.expectNone((m) => m.type === 'hangup' && m.call === call, 500);
    const hangup = client.request({ type: 'hangup', call });
    await client.next('hangup', { where: (m) => m.call === call });
    await assertSequence(client, call, [id, transfer, hangup],
      ['ack', 'ringing', 'answered', 'ack', 'transfer-failed', 'ack', 'hangup 200']);
    await sippOk(sipp);
  });

  test('(12) a transfer target the profile cannot dial (a SIP URI where it allows none) never becomes a REFER', async (t) => {
    const sipp = await callee(t, 'answer', 'uas-answer.xml');
    const client = await loggedIn();
    t.after(() => client.close());
    const { call } = await placeCall(client, 'answer');
    await client.next('answered', { where: (m) => m.call === call });
    const transfer = client.request({ type: 'transfer', call, to: 'sip:2000@elsewhere.example' });
    const refused = await client.response(transfer);
    assert.deepEqual([refused.type, refused.code], ['error', 400], JSON.stringify(refused));
    client.request({ type: 'hangup', call });
    await client.next('hangup', { where: (m) => m.call === call });
    const run = await sippOk(sipp);
    assert.equal(got(run, 'REFER').length, 0, describeRun(run));
  });
});
