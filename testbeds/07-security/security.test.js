'use strict';
// Browser-side security of the real gateway: bcrypt password hashes made by the jar's own
// `hash-password`, token (JWT HS256) login, the WebSocket Origin allowlist (403 before the
// upgrade), failed-login bans per source address (429, other addresses unaffected), and the
// pasarela.security log lines checked with the real fail2ban-regex against the filter in
// docs/security.md. Clients bind to different loopback addresses (127.0.0.x) to be different sources.

const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const WebSocket = require('ws');
const { useGateway, outDirFor } = require('../lib/gateway');

const FILE = '07-security';
const REPO = path.resolve(__dirname, '..', '..');
const JAR = process.env.PASARELA_JAR || path.join(REPO, 'gateway', 'target', 'pasarela.jar');
const SECRET = 'testbed-hs256-secret-0123456789abcdef';
const ALLOWED = 'http://allowed.example';
let aliceHash;

const ctx = useGateway(async () => {
  // The CLI as an operator would run it, password on stdin (no terminal here).
  const line = execFileSync('java', ['-jar', JAR, 'hash-password', '--user', 'alice', '--cost', '6'],
    { input: 'w0nderland\n', encoding: 'utf8' }).trim();
  assert.match(line, /^users\.alice\.password-hash = \$2y\$06\$[./A-Za-z0-9]{53}$/);
  aliceHash = line.slice(line.indexOf('$2y$'));
  return {
    name: FILE,
    users: {},
    sets: {
      'users.alice.password-hash': aliceHash,
      'auth.max-failures': '3',
      'auth.failure-window': '60s',
      'auth.ban-time': '30s',
      'auth.jwt.algorithms': 'HS256',
      'auth.jwt.hs256-secret': SECRET,
      'auth.jwt.audience': 'pasarela-testbed',
      'http.allowed-origins': ALLOWED,
    },
  };
});

function b64url(data) {
  return Buffer.from(data).toString('base64url');
}

function hs256Token(claims, secret = SECRET) {
  const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** Opens a WebSocket from `from` (a loopback address) with an optional Origin; resolves the open socket,
 *  or { status } when the handshake was refused with an HTTP response. */
function open({ from = '127.0.0.1', origin } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(ctx.gw.wsUrl, { localAddress: from, handshakeTimeout: 5000, ...(origin ? { origin } : {}) });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    ws.once('error', reject);
  });
}

let nextId = 1;
function request(ws, msg) {
  const id = String(nextId++);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reply to ${msg.type} ${id}`)), 5000);
    ws.on('message', function onMessage(data) {
      const reply = JSON.parse(data.toString());
      if (reply.id === id) {
        clearTimeout(timer);
        ws.off('message', onMessage);
        resolve(reply);
      }
    });
    ws.send(JSON.stringify({ ...msg, id }));
  });
}

async function login(fields, from) {
  const ws = await open({ from });
  try {
    return await request(ws, { type: 'login', ...fields });
  } finally {
    ws.close();
  }
}

/** A login ack: its type and id (it also lists the profiles, which these tests do not care about). */
function assertAck(reply, id) {
  assert.equal(reply.type, 'ack', JSON.stringify(reply));
  assert.equal(reply.id, id, JSON.stringify(reply));
}

describe('passwords and tokens', () => {
  test('the bcrypt hash printed by hash-password logs alice in; a wrong password is 401', async () => {
    assertAck(await login({ user: 'alice', password: 'w0nderland' }, '127.0.0.1'), String(nextId - 1));
    const wrong = await login({ user: 'alice', password: 'nope' }, '127.0.0.1');
    assert.equal(wrong.code, 401);
    assert.equal(wrong.reason, 'login: invalid user or password');
    await ctx.gw.waitForLog(/SecurityEvent="SuccessfulAuth",.*AccountID="alice",.*RemoteAddress="IPV4\/WS\/127\.0\.0\.1\/\d+",Reason="password"/);
    assert.doesNotMatch(ctx.gw.logText(), /w0nderland|nope/);
  });

  test('a signed token logs in as its sub; a tampered or foreign-audience one is 401 with the reason', async () => {
    const exp = Math.floor(Date.now() / 1000) + 300;
    const good = hs256Token({ sub: 'carol', exp, aud: 'pasarela-testbed' });
    assert.equal((await login({ token: good }, '127.0.0.4')).type, 'ack');
    const forged = hs256Token({ sub: 'carol', exp, aud: 'pasarela-testbed' }, 'another-secret-another-secret-0123');
    assert.deepEqual(await login({ token: forged }, '127.0.0.4'),
      { type: 'error', id: String(nextId - 1), code: 401, reason: 'login: token refused: HS256 signature does not verify' });
    const otherAudience = hs256Token({ sub: 'carol', exp, aud: 'someone-else' });
    assert.equal((await login({ token: otherAudience }, '127.0.0.4')).reason,
      'login: token refused: claim "aud" does not include "pasarela-testbed"');
    await ctx.gw.waitForLog(/SecurityEvent="InvalidToken",.*Reason="HS256 signature does not verify"/);
    assert.ok(!ctx.gw.logText().includes(forged.split('.')[2]), 'a token signature reached the log');
  });
});

describe('WebSocket Origin allowlist', () => {
  test('a foreign Origin gets 403 before the upgrade and a FailedACL event', async () => {
    const refused = await open({ origin: 'https://evil.example' });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /^forbidden: Origin https:\/\/evil\.example is neither this gateway's/);
    await ctx.gw.waitForLog(/SecurityEvent="FailedACL",.*RemoteAddress="IPV4\/WS\/127\.0\.0\.1\/\d+",Reason="WebSocket handshake refused: Origin https:\/\/evil\.example/);
  });

  test('the allowed origin, the gateway\'s own origin and clients without Origin are let in', async () => {
    for (const origin of [ALLOWED, `http://127.0.0.1:${ctx.gw.httpPort}`, undefined]) {
      const ws = await open({ origin });
      assert.ok(ws instanceof WebSocket, `origin ${origin}: ${JSON.stringify(ws)}`);
      assert.equal((await request(ws, { type: 'ping' })).type, 'pong');
      ws.close();
    }
  });
});

describe('failed-login bans', () => {
  test('three failures ban 127.0.0.3 (429, even with the right password); 127.0.0.2 logs in', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal((await login({ user: `guess${i}`, password: 'x' }, '127.0.0.3')).code, 401);
    }
    const banned = await login({ user: 'alice', password: 'w0nderland' }, '127.0.0.3');
    assert.equal(banned.code, 429);
    assert.match(banned.reason, /^login: too many failed logins; try again in (30|29|28|27) s$/);
    // The same wait for programs, as HTTP's Retry-After (docs/protocol.md, error).
    assert.equal(banned.retryAfter, Number(/in (\d+) s$/.exec(banned.reason)[1]));
    assert.equal((await login({ user: 'alice', password: 'w0nderland' }, '127.0.0.2')).type, 'ack');
    await ctx.gw.waitForLog(/SecurityEvent="LoginBanned",.*RemoteAddress="IPV4\/WS\/127\.0\.0\.3\/\d+"/);
    await ctx.gw.waitForLog(/SecurityEvent="LoginRateLimited",.*AccountID="alice",.*RemoteAddress="IPV4\/WS\/127\.0\.0\.3\/\d+"/);
  });

  test('fail2ban-regex with the filter from docs/security.md finds exactly the failing addresses', (t) => {
    const probe = spawnSync('fail2ban-regex', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      t.skip('fail2ban-regex is not installed (testbeds/install.sh installs fail2ban)');
      return;
    }
    const doc = fs.readFileSync(path.join(REPO, 'docs', 'security.md'), 'utf8');
    const failregex = doc.split('\n').find((l) => l.startsWith('failregex = '));
    const dir = outDirFor(FILE, 'fail2ban');
    const filter = path.join(dir, 'pasarela.conf');
    fs.writeFileSync(filter, `[Definition]\n${failregex}\nignoreregex =\n`);
    const log = path.join(dir, 'gateway.log');
    fs.writeFileSync(log, ctx.gw.logText());
    const run = spawnSync('fail2ban-regex', ['-o', 'ip', log, filter], { encoding: 'utf8', timeout: 60000 });
    assert.equal(run.status, 0, run.stderr);
    const ips = run.stdout.trim().split('\n').filter(Boolean);
    // 127.0.0.1: one wrong password; 127.0.0.4: two refused tokens; 127.0.0.3: three unknown users. Nothing
    // else: successes, the ban, the rate-limited attempt and the refused Origin are not failures to count.
    const count = (ip) => ips.filter((x) => x === ip).length;
    assert.deepEqual([count('127.0.0.1'), count('127.0.0.4'), count('127.0.0.3')], [1, 2, 3], run.stdout);
    assert.deepEqual([...new Set(ips)].sort(), ['127.0.0.1', '127.0.0.3', '127.0.0.4']);
  });
});
