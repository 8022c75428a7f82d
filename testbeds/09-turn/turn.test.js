'use strict';
// TURN credentials from the real gateway, checked by a real coturn (Debian package coturn) on
// loopback: the `login` ack's iceServers point at coturn and carry an EXPIRY:USER user name and an
// HMAC-SHA1 credential (TURN REST API, coturn's use-auth-secret); a TURN Allocate with them
// succeeds, while expired, re-dated, re-named or altered credentials get 401 from coturn. The
// shared secret appears in neither the gateway's log nor its JSON.
//
//   node --test testbeds/09-turn/

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { useGateway, outDirFor } = require('../lib/gateway');
const { startCoturn } = require('../lib/coturn');
const { allocate } = require('../lib/turnclient');
const { WsClient } = require('../lib/wsclient');
const { HOST } = require('../lib/ports');

const FILE = '09-turn';
const SECRET = 'testbed-turn-secret-0123456789abcdef';
const TTL_S = 600;
let coturn;

describe('TURN credentials in the login ack, checked by coturn', () => {
  const ctx = useGateway(async () => {
    coturn = await startCoturn({ name: FILE, secret: SECRET });
    // In a file, as an operator would keep it (and so it is not on the command line either); the
    // trailing line break that editors and echo add is ignored.
    const secretFile = path.join(outDirFor(FILE), 'turn.secret');
    fs.writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
    return {
      name: FILE,
      users: { alice: 'secret' },
      sets: {
        'turn.uris': `turn:${HOST}:${coturn.port}?transport=udp`,
        'turn.secret-file': secretFile,
        'turn.ttl': `${TTL_S}s`,
      },
    };
  });
  after(async () => {
    if (coturn) await coturn.stop();
  });

  async function login(user = 'alice', password = 'secret') {
    const ws = await WsClient.connect(ctx.gw.wsUrl);
    const id = ws.request({ type: 'login', user, password });
    const reply = await ws.response(id);
    ws.close();
    return reply;
  }

  /** What a browser would hand to coturn: the first iceServer's user name and credential. */
  function turnCredentials(ack) {
    assert.equal(ack.type, 'ack', JSON.stringify(ack));
    assert.ok(Array.isArray(ack.iceServers) && ack.iceServers.length === 1, JSON.stringify(ack));
    return { username: ack.iceServers[0].username, password: ack.iceServers[0].credential };
  }

  function signed(username) {
    return { username, password: crypto.createHmac('sha1', SECRET).update(username).digest('base64') };
  }

  test('the login ack carries coturn\'s URI and a credential for the user valid for turn.ttl', async () => {
    const before = Math.floor(Date.now() / 1000);
    const ack = await login();
    const after = Math.floor(Date.now() / 1000);
    assert.deepEqual(ack.iceServers[0].urls, [`turn:${HOST}:${coturn.port}?transport=udp`]);
    const { username, password } = turnCredentials(ack);
    const [expiry, user] = username.split(':');
    assert.equal(user, 'alice');
    assert.ok(Number(expiry) >= before + TTL_S && Number(expiry) <= after + TTL_S, `${expiry} not ${TTL_S} s from now`);
    assert.equal(password, signed(username).password, 'base64(HMAC-SHA1(secret, username))');
  });

  test('coturn allocates a relay with the credentials from login', async () => {
    const r = await allocate({ host: HOST, port: coturn.port, ...turnCredentials(await login()) });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.match(r.relayed, /^127\.0\.0\.1:\d+$/);
    assert.equal(r.realm, coturn.realm);
    assert.match(coturn.logText(), /user <\d+:alice>: incoming packet ALLOCATE processed, success/);
  });

  test('coturn refuses expired, re-dated, re-named and altered credentials with 401', async () => {
    const good = turnCredentials(await login());
    const [expiry] = good.username.split(':');
    const cases = {
      // Correctly signed with the shared secret, but expired a minute ago.
      expired: signed(`${Math.floor(Date.now() / 1000) - 60}:alice`),
      // The login's credential with a later expiry or another user: the HMAC no longer matches.
      redated: { username: `${Number(expiry) + 86400}:alice`, password: good.password },
      renamed: { username: `${expiry}:bob`, password: good.password },
      altered: { username: good.username, password: `${good.password[0] === 'A' ? 'B' : 'A'}${good.password.slice(1)}` },
    };
    for (const [name, credentials] of Object.entries(cases)) {
      const r = await allocate({ host: HOST, port: coturn.port, ...credentials });
      assert.equal(r.ok, false, `${name}: ${JSON.stringify(r)}`);
      assert.equal(r.step, 'allocate', `${name}: refused after the challenge, with credentials`);
      assert.equal(r.code, 401, `${name}: ${JSON.stringify(r)}`);
    }
    // The control: the untouched credential still works.
    assert.equal((await allocate({ host: HOST, port: coturn.port, ...good })).ok, true);
  });

  test('a refused login gets no TURN credentials', async () => {
    const reply = await login('alice', 'wrong');
    assert.equal(reply.type, 'error');
    assert.equal(reply.code, 401);
    assert.equal(reply.iceServers, undefined);
  });

  test('the shared secret and the handed-out credentials never reach the gateway log', async () => {
    const { password } = turnCredentials(await login());
    const log = ctx.gw.logText();
    assert.ok(log.length > 0);
    assert.equal(log.includes(SECRET), false, 'secret in the log');
    assert.equal(log.includes(password), false, 'credential in the log');
    assert.match(log, /TURN credentials for logged-in users: TurnCredentials\[uris=\[turn:127\.0\.0\.1:\d+\?transport=udp\], secret=\*\*\*, ttl=PT10M\]/);
  });
});
