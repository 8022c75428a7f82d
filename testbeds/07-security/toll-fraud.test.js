'use strict';
// Toll-fraud guard and the login gate of the real gateway, with SIPp playing the trunk (a callee that
// rings until CANCELled, taking any number of calls) and counting the INVITEs that reach it:
//  - no unauthenticated call reaches the trunk: generated sequences of requests with no login, expired,
//    forged, unsigned (alg=none) and foreign-audience tokens, wrong passwords: 0 INVITEs; one valid login
//    then gives exactly 1 (the control);
//  - forbidden numbers (premium-rate, international, denied patterns, after the profile's rewrite, also
//    percent-encoded in SIP URIs): 100 % refused with 403 and a reason, 0 INVITEs; an allowed number gets 1;
//  - the (N+1)-th concurrent call and the over-rate call: 403 with the reason and a CallRefused security
//    event naming the source address, which fail2ban-regex matches with the calls filter of docs/security.md.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { useGateway, outDirFor } = require('../lib/gateway');
const { freePort } = require('../lib/ports');
const { startSipp, describeRun } = require('../lib/sipp');
const { WsClient } = require('../lib/wsclient');
const { chromiumAudioOffer } = require('../lib/sdp');

const FILE = '07-security-toll-fraud';
const REPO = path.resolve(__dirname, '..', '..');
const RINGING_CALLEE = path.join(__dirname, '..', '01-outbound-signaling', 'sipp', 'uas-ring-cancel.xml');
const SECRET = 'toll-fraud-hs256-secret-0123456789abcdef';
const AUDIENCE = 'pasarela-testbed';
const PASSWORD = 'secret';
const CONCURRENT = 2;
const PER_MINUTE = 3;
let trunkPort;

const ctx = useGateway(async () => {
  trunkPort = await freePort();
  return {
    name: FILE,
    users: { alice: PASSWORD, rater: PASSWORD, carol: PASSWORD },
    profiles: {
      trunk: {
        proxy: `sip:127.0.0.1:${trunkPort}`, transport: 'UDP', codecs: 'PCMU,PCMA,telephone-event', domain: '127.0.0.1',
        'allow.sip-uris': 'true',
        // Numbers starting with 7 go abroad: the rules must judge the rewritten number.
        rewrite: { 1: { match: '7(.*)', replace: '0044$1' } },
      },
    },
    sets: {
      'echo.enabled': 'true',
      'dialplan.country-code': '34',
      'dialplan.national-prefix': '',
      'users.alice.group': 'basic',
      'users.rater.group': 'rate',
      'groups.basic.profiles': 'trunk,echo',
      'groups.basic.deny': '118.* 0?70[0-9]*',
      'groups.basic.max-concurrent-calls': String(CONCURRENT),
      'groups.rate.max-calls-per-minute': String(PER_MINUTE),
      'auth.jwt.algorithms': 'HS256',
      'auth.jwt.hs256-secret': SECRET,
      'auth.jwt.audience': AUDIENCE,
      // The hostile sequences below fail many logins from one address; a ban would also keep them out,
      // but the control login from the same address must still work.
      'auth.max-failures': '1000',
      'call.no-answer-timeout': '30s',
    },
  };
});

/** The trunk: SIPp taking up to 200 calls, each ringing until CANCELled. */
async function trunk(t) {
  const sipp = await startSipp({ scenario: RINGING_CALLEE, name: 'trunk', outDir: outDirFor(FILE, t.name), port: trunkPort,
    transport: 'udp', timeout: '120s', args: ['-m', '200'] });
  let run = null;
  const stop = async () => { run = run || (await sipp.stop()); return run; };
  t.after(async () => {
    const r = await stop();
    if (!t.passed) process.stderr.write(`\n===== SIPp trunk of "${t.name}" =====\n${describeRun(r)}\n`);
  });
  return {
    /** Stops SIPp and returns the INVITEs it received (each call's first; retransmissions counted once). */
    async invites() {
      await new Promise((r) => setTimeout(r, 500)); // an INVITE wrongly sent would arrive within this
      const r = await stop();
      const invites = r.messages.filter((m) => m.direction === 'received' && m.method === 'INVITE');
      return { calls: new Set(invites.map((m) => m.callId)).size, run: r };
    },
  };
}

function b64url(data) {
  return Buffer.from(data).toString('base64url');
}

function token(claims, { secret = SECRET, alg = 'HS256' } = {}) {
  const input = `${b64url(JSON.stringify({ alg, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  if (alg === 'none') return `${input}.`;
  return `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`;
}

async function loggedIn(user) {
  const client = await WsClient.connect(ctx.gw.wsUrl);
  const reply = await client.response(client.request({ type: 'login', user, password: PASSWORD }));
  assert.equal(reply.type, 'ack', JSON.stringify(reply));
  return client;
}

function callRequest(to, profile = 'trunk') {
  return { type: 'call', to, profile, jsep: { type: 'offer', sdp: chromiumAudioOffer() } };
}

/** Places a call that the trunk rings; resolves its id once the gateway says it rings. */
async function ringingCall(client, to) {
  const reply = await client.response(client.request(callRequest(to)));
  assert.equal(reply.type, 'ack', `call to ${to} refused: ${JSON.stringify(reply)}\n${client.transcript()}`);
  await client.next('ringing', { where: (m) => m.call === reply.call, timeout: 5000 });
  return reply.call;
}

async function hangUp(client, call) {
  const reply = await client.response(client.request({ type: 'hangup', call }));
  assert.equal(reply.type, 'ack', JSON.stringify(reply));
  await client.next('hangup', { where: (m) => m.call === call, timeout: 5000 });
}

async function refusedCall(client, to, profile) {
  const reply = await client.response(client.request(callRequest(to, profile)));
  assert.equal(reply.type, 'error', `call to ${to} was not refused: ${JSON.stringify(reply)}`);
  return reply;
}

/** A small seeded generator (mulberry32), so a failing sequence can be replayed. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('no unauthenticated call reaches a trunk', () => {
  test('generated request sequences without a valid login: 0 INVITEs; one valid login: exactly 1', { timeout: 90000 }, async (t) => {
    const sip = await trunk(t);
    const now = Math.floor(Date.now() / 1000);
    const logins = {
      none: null,
      'expired token': { token: token({ sub: 'alice', exp: now - 600, aud: AUDIENCE }) },
      'forged signature': { token: token({ sub: 'alice', exp: now + 300, aud: AUDIENCE }, { secret: 'not-the-gateway-secret-0123456789abcdef' }) },
      'alg=none': { token: token({ sub: 'alice', exp: now + 300, aud: AUDIENCE }, { alg: 'none' }) },
      'alg=HS512': { token: token({ sub: 'alice', exp: now + 300, aud: AUDIENCE }, { alg: 'HS512' }) },
      'wrong audience': { token: token({ sub: 'alice', exp: now + 300, aud: 'another-service' }) },
      'no expiry': { token: token({ sub: 'alice', aud: AUDIENCE }) },
      'not yet valid': { token: token({ sub: 'alice', exp: now + 600, nbf: now + 300, aud: AUDIENCE }) },
      'token for another user': { user: 'alice', token: token({ sub: 'mallory', exp: now + 300, aud: AUDIENCE }) },
      'wrong password': { user: 'alice', password: 'guess' },
      'unknown user': { user: 'mallory', password: PASSWORD },
      'garbage token': { token: 'eyJhbGciOiJIUzI1NiJ9.e30' },
    };
    const kinds = Object.keys(logins);
    const requests = [
      () => callRequest('912345678'),
      () => callRequest('+449012345678'),
      () => callRequest('912345678', 'echo'),
      () => ({ type: 'call', to: '912345678', jsep: { type: 'offer', sdp: chromiumAudioOffer() } }),
      () => ({ type: 'register', profile: 'trunk' }),
      () => ({ type: 'history' }),
      () => ({ type: 'hangup', call: 'c1' }),
      () => ({ type: 'dtmf', call: 'c1', digits: '1' }),
    ];
    const rnd = random(20250301);
    const SEQUENCES = 48;
    let calls = 0;
    for (let s = 0; s < SEQUENCES; s++) {
      const kind = kinds[s % kinds.length]; // every kind, four times, in random request orders
      const client = await WsClient.connect(ctx.gw.wsUrl);
      try {
        if (logins[kind]) {
          const reply = await client.response(client.request({ type: 'login', ...logins[kind] }));
          assert.equal(reply.type, 'error', `sequence ${s} (${kind}): login accepted: ${JSON.stringify(reply)}`);
          assert.equal(reply.code, 401, `sequence ${s} (${kind}): ${JSON.stringify(reply)}`);
        }
        const n = 1 + Math.floor(rnd() * 4);
        for (let i = 0; i < n; i++) {
          const message = requests[Math.floor(rnd() * requests.length)]();
          const reply = await client.response(client.request(message));
          assert.equal(reply.type, 'error', `sequence ${s} (${kind}): ${message.type} answered ${JSON.stringify(reply)}`);
          assert.equal(reply.code, 401, `sequence ${s} (${kind}): ${message.type} answered ${JSON.stringify(reply)}`);
          if (message.type === 'call') calls++;
        }
      } finally {
        client.close();
      }
    }
    assert.ok(calls >= 20, `the generated sequences hold ${calls} call requests; expected at least 20`);
    await ctx.gw.waitForLog(/SecurityEvent="RequestNotAllowed",.*Reason="call before login"/);

    // The control: the same request after a valid token login reaches the trunk, once.
    const client = await WsClient.connect(ctx.gw.wsUrl);
    try {
      const ack = await client.response(client.request({ type: 'login', token: token({ sub: 'carol', exp: now + 300, aud: AUDIENCE }) }));
      assert.equal(ack.type, 'ack', JSON.stringify(ack));
      const call = await ringingCall(client, '912345678');
      await hangUp(client, call);
    } finally {
      client.close();
    }
    const { calls: invites, run } = await sip.invites();
    assert.equal(invites, 1, `${calls} unauthenticated call requests, then one valid one: expected exactly 1 INVITE\n${describeRun(run)}`);
  });
});

describe('dial rules and limits', () => {
  test('forbidden numbers are 100 % refused with 403 and a reason before any INVITE; an allowed one gets 1', { timeout: 60000 }, async (t) => {
    const sip = await trunk(t);
    const client = await loggedIn('alice');
    try {
      const named = [
        ['+449012345678', /^call: \+449012345678 matches premium-rate prefix \+449 \(not allowed for group basic\)$/],
        ['00449012345678', /matches premium-rate prefix \+449/],
        ['806123456', /^call: 806123456 matches premium-rate prefix \+34806 \(not allowed for group basic\)$/],
        ['+34 806 12 34 56', /^call: \+34806123456 matches premium-rate prefix \+34806/],
        ['905123456', /matches premium-rate prefix \+34905/],
        ['+19005550123', /matches premium-rate prefix \+1900/],
        ['+33142345678', /^call: \+33142345678 is an international number \(not allowed for group basic\)$/],
        ['0033142345678', /is an international number/],
        ['7201234567', /^call: 0044201234567 is an international number/], // after the profile's rewrite
        ['sip:%2B449012345678@127.0.0.1', /^call: \+449012345678 matches premium-rate prefix \+449/],
        ['118118', /^call: 118118 matches denied pattern 118\.\* \(group basic\)$/],
        ['0701234567', /matches denied pattern 0\?70\[0-9\]\*/],
      ];
      // Plus generated numbers behind every forbidden prefix form.
      const rnd = random(4490);
      const digits = (n) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
      const generated = [];
      for (const prefix of ['+449', '00449', '+34806', '0034807', '803', '806', '807', '905', '+1900', '+1976', '001900',
        '+33', '+49', '0049', '+351', '00386', '118', '070']) {
        for (let i = 0; i < 4; i++) generated.push(prefix + digits(7));
      }
      let refused = 0;
      for (const [to, reason] of named) {
        const reply = await refusedCall(client, to);
        assert.equal(reply.code, 403, `${to}: ${JSON.stringify(reply)}`);
        assert.match(reply.reason, reason, to);
        refused++;
      }
      for (const to of generated) {
        const reply = await refusedCall(client, to);
        assert.equal(reply.code, 403, `${to}: ${JSON.stringify(reply)}`);
        assert.match(reply.reason, /^call: .*(premium-rate prefix|international number|denied pattern)/, to);
        refused++;
      }
      assert.equal(refused, named.length + generated.length);
      await ctx.gw.waitForLog(/SecurityEvent="CallRefused",.*AccountID="alice",.*RemoteAddress="IPV4\/WS\/127\.0\.0\.1\/\d+",Reason="profile trunk: \+449012345678 matches premium-rate prefix \+449/);
      // Echo reaches no trunk: allowed whatever the number.
      const echo = await client.response(client.request(callRequest('+449012345678', 'echo')));
      assert.equal(echo.type, 'ack', JSON.stringify(echo));
      await hangUp(client, echo.call);
      // The control: a home number goes through.
      await hangUp(client, await ringingCall(client, '912345678'));
    } finally {
      client.close();
    }
    const { calls, run } = await sip.invites();
    assert.equal(calls, 1, `only the allowed call may reach the trunk\n${describeRun(run)}`);
  });

  test(`call ${CONCURRENT + 1} at once of a user is refused, over all their sessions, until one has ended`, { timeout: 60000 }, async (t) => {
    const sip = await trunk(t);
    const first = await loggedIn('alice');
    const second = await loggedIn('alice');
    try {
      const a = await ringingCall(first, '912345671');
      const b = await ringingCall(second, '912345672');
      const logFrom = ctx.gw.logText().length;
      const over = await refusedCall(first, '912345673');
      assert.deepEqual(over, { type: 'error', id: over.id, code: 403, reason: `call: ${CONCURRENT} calls already in progress (limit ${CONCURRENT})` });
      await ctx.gw.waitForLog(new RegExp(`SecurityEvent="CallRefused",.*AccountID="alice",.*RemoteAddress="IPV4/WS/127\\.0\\.0\\.1/\\d+",Reason="profile trunk: ${CONCURRENT} calls already in progress \\(limit ${CONCURRENT}\\)"`), { from: logFrom });
      await hangUp(first, a);
      // The slot comes back once the SIP side has ended too (CANCEL answered, 487 acknowledged).
      let again;
      for (const deadline = Date.now() + 5000; ;) {
        const reply = await second.response(second.request(callRequest('912345674')));
        if (reply.type === 'ack') { again = reply.call; break; }
        assert.equal(reply.reason, over.reason, JSON.stringify(reply));
        assert.ok(Date.now() < deadline, 'the ended call\'s slot did not come back within 5 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      await second.next('ringing', { where: (m) => m.call === again, timeout: 5000 });
      await hangUp(second, again);
      await hangUp(second, b);
    } finally {
      first.close();
      second.close();
    }
    const { calls, run } = await sip.invites();
    assert.equal(calls, 3, `two calls, the refused one missing, then one more\n${describeRun(run)}`);
  });

  test(`the call over ${PER_MINUTE} a minute is refused with the reason and a security event`, { timeout: 60000 }, async (t) => {
    const sip = await trunk(t);
    const client = await loggedIn('rater');
    try {
      for (let i = 0; i < PER_MINUTE; i++) await hangUp(client, await ringingCall(client, `91234567${i}`));
      const logFrom = ctx.gw.logText().length;
      const over = await refusedCall(client, '912345679');
      assert.deepEqual(over, { type: 'error', id: over.id, code: 403, reason: `call: more than ${PER_MINUTE} calls in the last minute` });
      await ctx.gw.waitForLog(new RegExp(`SecurityEvent="CallRefused",.*AccountID="rater",.*RemoteAddress="IPV4/WS/127\\.0\\.0\\.1/\\d+",Reason="profile trunk: more than ${PER_MINUTE} calls in the last minute"`), { from: logFrom });
    } finally {
      client.close();
    }
    const { calls, run } = await sip.invites();
    assert.equal(calls, PER_MINUTE, describeRun(run));
  });

  test('fail2ban-regex with the refused-calls filter from docs/security.md finds the refusing address', (t) => {
    const probe = spawnSync('fail2ban-regex', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      t.skip('fail2ban-regex is not installed (testbeds/install.sh installs fail2ban)');
      return;
    }
    const doc = fs.readFileSync(path.join(REPO, 'docs', 'security.md'), 'utf8');
    const failregex = doc.split('\n').find((l) => l.startsWith('failregex = ') && l.includes('CallRefused'));
    assert.ok(failregex, 'docs/security.md has a failregex line for CallRefused');
    const dir = outDirFor(FILE, 'fail2ban');
    const filter = path.join(dir, 'pasarela-calls.conf');
    fs.writeFileSync(filter, `[Definition]\n${failregex}\nignoreregex =\n`);
    const log = path.join(dir, 'gateway.log');
    const text = ctx.gw.logText();
    fs.writeFileSync(log, text);
    const run = spawnSync('fail2ban-regex', ['-o', 'ip', log, filter], { encoding: 'utf8', timeout: 60000 });
    assert.equal(run.status, 0, run.stderr);
    const ips = run.stdout.trim().split('\n').filter(Boolean);
    const events = (text.match(/SecurityEvent="CallRefused"/g) || []).length;
    assert.ok(events > 0);
    assert.equal(ips.length, events, `one match per CallRefused line\n${run.stdout}`);
    assert.deepEqual([...new Set(ips)], ['127.0.0.1']);
  });
});
