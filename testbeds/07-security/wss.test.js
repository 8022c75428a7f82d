'use strict';
// The browser side's transport security on the real gateway: wss:// with the self-signed certificate the
// gateway made in its data dir (trusted as a CA file, and pinned by the SHA-256 fingerprint it logged),
// TLS 1.2+ only, the per-address connection cap (SessionLimit), the login deadline (close 1008,
// LoginTimeout), and both events found by the real fail2ban-regex with the filter from docs/security.md.
// Clients bind to different loopback addresses (127.0.0.x) to be different sources; each test has its own,
// so connections still closing from one test never count against another test's address.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const tls = require('node:tls');
const { spawnSync } = require('node:child_process');
const WebSocket = require('ws');
const { useGateway, outDirFor } = require('../lib/gateway');

const FILE = '07-security-wss';
const REPO = path.resolve(__dirname, '..', '..');
const CAP = 3;
const LOGIN_TIMEOUT_S = 2;

const ctx = useGateway({
  name: FILE,
  sets: {
    'http.max-connections-per-address': String(CAP),
    'auth.login-timeout': `${LOGIN_TIMEOUT_S}s`,
  },
});

const ca = () => fs.readFileSync(ctx.gw.certificateFile);

/** Opens a WebSocket; resolves { ws } once open, or { error } / { closed: code } if it never opens. */
function open(url, { from = '127.0.0.1', ...options } = {}) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { localAddress: from, handshakeTimeout: 5000, ...options });
    ws.once('open', () => resolve({ ws }));
    ws.once('error', (error) => resolve({ error }));
    ws.once('close', (code) => resolve({ closed: code }));
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

/** The TLS protocol a client limited to `maxVersion` gets from the HTTPS port. */
function negotiated(maxVersion) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: ctx.gw.httpsPort, localAddress: '127.0.0.14', ca: ca(), servername: 'localhost', maxVersion },
      () => { const p = socket.getProtocol(); socket.end(); resolve(p); });
    socket.once('error', reject);
  });
}

describe('wss:// with the certificate the gateway made', () => {
  test('a client that trusts the kept certificate file logs in over wss; GET /health works over https', async () => {
    const { ws, error } = await open(ctx.gw.wssUrl, { from: '127.0.0.11', ca: ca() });
    assert.ok(ws, `wss handshake failed: ${error && error.message}`);
    const reply = await request(ws, { type: 'login', user: 'alice', password: 'secret' });
    assert.equal(reply.type, 'ack', JSON.stringify(reply));
    ws.close();
    const health = await new Promise((resolve, reject) => {
      https.get({ host: '127.0.0.1', port: ctx.gw.httpsPort, path: '/health', ca: ca(), localAddress: '127.0.0.11', agent: false }, (res) => {
        let body = '';
        res.on('data', (d) => { body += d; });
        res.on('end', () => resolve({ status: res.statusCode, body }));
      }).once('error', reject);
    });
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).status, 'ok');
  });

  test('the certificate it presents has the SHA-256 fingerprint it logged (pinning without a CA)', async () => {
    const logged = (await ctx.gw.waitForLog(/HTTPS certificate CN=localhost \(self-signed, made now, [^)]*\) fingerprint sha-256 ([0-9A-F:]{95})/))[1];
    // A pinning client skips the CA check and compares the fingerprint itself before it sends anything.
    const { ws, error } = await open(ctx.gw.wssUrl, { from: '127.0.0.12', rejectUnauthorized: false });
    assert.ok(ws, `wss handshake failed: ${error && error.message}`);
    assert.equal(ws._socket.getPeerCertificate().fingerprint256, logged);
    ws.close();
  });

  test('a client that trusts only the public CAs refuses the self-signed certificate', async () => {
    const { error } = await open(ctx.gw.wssUrl, { from: '127.0.0.13' });
    assert.ok(error, 'connected without trusting the certificate');
    assert.match(error.code || error.message, /SELF_SIGNED|self.signed|UNABLE_TO_VERIFY/i);
  });

  test('TLS 1.3 by default, TLS 1.2 when the client can do no better', async () => {
    assert.equal(await negotiated('TLSv1.3'), 'TLSv1.3');
    assert.equal(await negotiated('TLSv1.2'), 'TLSv1.2');
  });
});

describe('connection hygiene', () => {
  test(`the ${CAP + 1}th connection from one address is closed at once (SessionLimit); another address gets in`, async () => {
    const admitted = [];
    for (let i = 0; i < CAP; i++) {
      const r = await open(ctx.gw.wssUrl, { from: '127.0.0.5', ca: ca() });
      assert.ok(r.ws, `connection ${i + 1} of ${CAP}: ${JSON.stringify(r)}`);
      // Logged in, so the login deadline leaves them alone while they hold the address's quota.
      assert.equal((await request(r.ws, { type: 'login', user: 'alice', password: 'secret' })).type, 'ack');
      admitted.push(r.ws);
    }
    const refused = await open(ctx.gw.wsUrl, { from: '127.0.0.5' });
    assert.ok(!refused.ws, 'the connection over the cap was let in');
    const other = await open(ctx.gw.wssUrl, { from: '127.0.0.6', ca: ca() });
    assert.ok(other.ws, `127.0.0.6: ${JSON.stringify(other)}`);
    assert.equal((await request(other.ws, { type: 'ping' })).type, 'pong');
    other.ws.close();
    await ctx.gw.waitForLog(/SecurityEvent="SessionLimit",.*RemoteAddress="IPV4\/WS\/127\.0\.0\.5\/\d+",Reason="more than 3 connections from this address/);
    for (const ws of admitted) ws.close();
    // Once they are closed the address is welcome again.
    await new Promise((r) => setTimeout(r, 300));
    const again = await open(ctx.gw.wsUrl, { from: '127.0.0.5' });
    assert.ok(again.ws, `127.0.0.5 after closing: ${JSON.stringify(again)}`);
    again.ws.close();
  });

  test(`a WebSocket that does not log in within ${LOGIN_TIMEOUT_S} s is closed with 1008 (LoginTimeout)`, async () => {
    const { ws } = await open(ctx.gw.wsUrl, { from: '127.0.0.7' });
    const started = Date.now();
    const [code, reason] = await new Promise((resolve) => ws.once('close', (c, r) => resolve([c, r.toString()])));
    assert.equal(code, 1008);
    assert.equal(reason, `no login within ${LOGIN_TIMEOUT_S} s`);
    assert.ok(Date.now() - started >= LOGIN_TIMEOUT_S * 1000 - 200, `closed after ${Date.now() - started} ms`);
    await ctx.gw.waitForLog(/SecurityEvent="LoginTimeout",.*RemoteAddress="IPV4\/WS\/127\.0\.0\.7\/\d+",Reason="no login within 2 s \(auth\.login-timeout\)"/);
  });

  test('fail2ban-regex with the filter from docs/security.md finds the crowded and the idle address', (t) => {
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
    const ips = run.stdout.trim().split('\n').filter(Boolean).sort();
    // 127.0.0.5: one connection over the cap; 127.0.0.7: one that never logged in. Nobody else.
    assert.deepEqual(ips, ['127.0.0.5', '127.0.0.7'], run.stdout);
  });
});
