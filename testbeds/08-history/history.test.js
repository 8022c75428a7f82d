'use strict';
// Call history through the real jar: an echo call placed from a scripted browser comes back in
// `history` (answered, ended, 200, hung up by client), with the default SQLite store and with
// PostgreSQL in a server of our own; the row is checked in the database too (psql). A gateway
// killed with SIGKILL mid-call leaves the row open; the next start ends it as "gateway restarted".
// Incoming calls too, in both stores: SIPp callers on a PBX-less trunk's network (127.0.0.3) dial alice's
// DID: one she accepts (answered, the caller hangs up), one the caller gives up (missed), one she rejects
// (declined, not missed); and one for bob, who is offline (missed, reported at his next login).

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startGateway, outDirFor } = require('../lib/gateway');
const { startPostgres, available: postgresAvailable } = require('../lib/postgres');
const { WsClient } = require('../lib/wsclient');
const { chromiumAudioOffer } = require('../lib/sdp');
const { startSipp, describeRun } = require('../lib/sipp');

const FILE = '08-history';
const SIPP_DIR = path.join(__dirname, '..', '10-incoming', 'sipp');
const DIDS = { alice: '+34931000001', bob: '+34931000002' };

function gatewayOptions(name, sets) {
  return {
    name: `${FILE}-${name}`,
    users: { alice: 'secret', bob: 'secret' },
    sets: { 'echo.enabled': 'true', ...sets },
    profiles: {
      trunk: {
        proxy: 'sip:127.0.0.3:5060', codecs: 'PCMU,PCMA,telephone-event', 'inbound.networks': '127.0.0.3',
        [`inbound.did.${DIDS.alice}`]: 'alice', [`inbound.did.${DIDS.bob}`]: 'bob',
      },
    },
  };
}

/** What a browser answers to the gateway's offer: its own ICE and DTLS identity, one codec, setup active. */
function browserAnswer(offer) {
  const pt = /m=audio \d+ \S+ (\d+)/.exec(offer)[1];
  return ['v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0',
    `m=audio 9 UDP/TLS/RTP/SAVPF ${pt}`, 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:hist', 'a=ice-pwd:historyhistoryhistory12',
    `a=fingerprint:sha-256 ${'AB:'.repeat(31)}AB`, 'a=setup:active', 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux',
    (/a=rtpmap:\d+ .*/.exec(offer.split('\n').find((l) => l.startsWith(`a=rtpmap:${pt} `))) || [''])[0].trim(), ''].join('\r\n');
}

function caller(gw, scenario, user) {
  return startSipp({
    scenario: path.join(SIPP_DIR, `${scenario}.xml`), outDir: outDirFor(FILE), name: `${scenario}-${user}-${Date.now()}`,
    remote: `127.0.0.1:${gw.sipPort}`, service: DIDS[user], host: '127.0.0.3', timeout: '30s',
  });
}

async function sippOk(sipp) {
  const result = await sipp.done;
  assert.equal(result.code, 0, describeRun(result));
}

/**
 * Four incoming calls from the trunk (answered, missed, declined, missed while offline) and what `history`
 * and `missed` say about them; returns alice's entries, newest first.
 */
async function incomingCallsAndCheckHistory(gw) {
  const alice = await loggedIn(gw);
  try {
    let sipp = await caller(gw, 'uac-answer-bye', 'alice');
    let incoming = await alice.next('incoming', { timeout: 10000 });
    const accepted = await alice.response(alice.request({ type: 'accept', call: incoming.call, jsep: { type: 'answer', sdp: browserAnswer(incoming.jsep.sdp) } }));
    assert.equal(accepted.type, 'ack', alice.transcript());
    await alice.next('answered', { where: (m) => m.call === incoming.call, timeout: 10000 });
    await sippOk(sipp); // the caller hangs up after 6 s

    sipp = await caller(gw, 'uac-cancel', 'alice');
    incoming = await alice.next('incoming', { where: (m) => m.call !== accepted.call, timeout: 10000 });
    const cancelled = await alice.next('hangup', { where: (m) => m.call === incoming.call, timeout: 10000 });
    assert.equal(cancelled.code, 487);
    await sippOk(sipp);

    sipp = await caller(gw, 'uac-refused', 'alice');
    const third = await alice.next('incoming', { where: (m) => ![accepted.call, incoming.call].includes(m.call), timeout: 10000 });
    assert.equal((await alice.response(alice.request({ type: 'reject', call: third.call }))).type, 'ack');
    await sippOk(sipp);

    sipp = await caller(gw, 'uac-refused', 'bob');
    await sippOk(sipp);

    const entries = (await history(alice, { limit: 10 })).filter((e) => e.direction === 'inbound');
    assert.deepEqual(entries.map((e) => [e.code, e.hangupBy, e.missed, Boolean(e.answer)]), [
      [486, 'client', false, false],
      [487, 'remote', true, false],
      [200, 'remote', false, true],
    ], JSON.stringify(entries));
    for (const e of entries) {
      assert.equal(e.profile, 'trunk');
      assert.match(e.peer, /^sip:1000@127\.0\.0\.3/);
    }
    assert.ok(entries[2].durationMs >= 4000, `talk time ${entries[2].durationMs} ms`);

    const bob = await WsClient.connect(gw.wsUrl);
    try {
      assert.equal((await bob.response(bob.request({ type: 'login', user: 'bob', password: 'secret' }))).type, 'ack');
      const missed = await bob.next('missed', { timeout: 5000 });
      assert.deepEqual(missed.calls.map((c) => [c.direction, c.code, c.missed]), [['inbound', 480, true]]);
    } finally {
      bob.close();
    }
    return entries;
  } finally {
    alice.close();
  }
}

async function loggedIn(gw) {
  const client = await WsClient.connect(gw.wsUrl);
  const reply = await client.response(client.request({ type: 'login', user: 'alice', password: 'secret' }));
  assert.equal(reply.type, 'ack', client.transcript());
  return client;
}

async function answeredEchoCall(client) {
  const ack = await client.response(client.request({ type: 'call', to: 'echo', jsep: { type: 'offer', sdp: chromiumAudioOffer() } }));
  assert.equal(ack.type, 'ack', client.transcript());
  await client.next('answered', { where: (m) => m.call === ack.call });
  return ack.call;
}

async function history(client, extra = {}) {
  const id = client.request({ type: 'history', ...extra });
  const reply = await client.nextOf(['history', 'error'], { where: (m) => m.id === id });
  assert.equal(reply.type, 'history', client.transcript());
  return reply.calls;
}

/** Places an echo call, talks ~300 ms, hangs up, and checks what `history` says about it. */
async function callAndCheckHistory(gw) {
  const client = await loggedIn(gw);
  try {
    const call = await answeredEchoCall(client);
    await new Promise((r) => setTimeout(r, 300));
    client.request({ type: 'hangup', call });
    const hangup = await client.next('hangup', { where: (m) => m.call === call });
    assert.equal(hangup.code, 200);
    const calls = await history(client, { limit: 5 });
    assert.equal(calls.length, 1, JSON.stringify(calls));
    const entry = calls[0];
    assert.equal(entry.call, call);
    assert.equal(entry.direction, 'outbound');
    assert.equal(entry.profile, 'echo');
    assert.match(entry.peer, /^sip:echo@127\.0\.0\.1:\d+/);
    assert.equal(entry.code, 200);
    assert.equal(entry.hangupBy, 'client');
    assert.equal(entry.reason, 'hung up by client');
    assert.equal(entry.missed, false);
    assert.ok(Date.parse(entry.start) <= Date.parse(entry.answer) && Date.parse(entry.answer) < Date.parse(entry.end), JSON.stringify(entry));
    assert.equal(entry.durationMs, Date.parse(entry.end) - Date.parse(entry.answer));
    assert.ok(entry.durationMs >= 250, `talk time ${entry.durationMs} ms`);
    return entry;
  } finally {
    client.close();
  }
}

/** Kills the gateway with SIGKILL while a call is up, restarts it on the same store, and checks that call's end. */
async function killMidCallThenRestart(options) {
  let gw = await startGateway(options);
  const client = await loggedIn(gw);
  const call = await answeredEchoCall(client);
  const open = (await history(client))[0];
  assert.equal(open.call, call);
  assert.equal(open.end, undefined, 'the row is written at the start, before the end');
  process.kill(gw.pid, 'SIGKILL');
  await gw.exited;
  client.close();
  await gw.stop();

  gw = await startGateway(options);
  try {
    await gw.waitForLog(/1 call\(s\) left open by the previous run ended as 'gateway restarted'/);
    const again = await loggedIn(gw);
    const entry = (await history(again)).find((e) => e.id === open.id);
    again.close();
    assert.ok(entry, 'the killed call is still in the history');
    assert.equal(entry.code, 503);
    assert.equal(entry.reason, 'gateway restarted');
    assert.equal(entry.hangupBy, 'gateway');
    assert.ok(entry.answer, 'its answer was recorded before the kill');
    return entry;
  } finally {
    await gw.stop();
  }
}

describe('call history in SQLite (the default)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pasarela-history-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('an echo call is in the history: answered, ended, 200, hung up by client', async () => {
    const gw = await startGateway(gatewayOptions('sqlite', { 'data.dir': dataDir }));
    try {
      await callAndCheckHistory(gw);
      assert.ok(fs.existsSync(path.join(dataDir, 'history.db')), 'history.db in data.dir');
    } finally {
      await gw.stop();
    }
  });

  test('a call cut by SIGKILL is ended as "gateway restarted" at the next start', async () => {
    await killMidCallThenRestart(gatewayOptions('sqlite-kill', { 'data.dir': dataDir }));
  });

  test('incoming calls: answered, missed, declined, and missed while offline', { timeout: 90000 }, async () => {
    const gw = await startGateway(gatewayOptions('sqlite-in', { 'data.dir': fs.mkdtempSync(path.join(dataDir, 'in-')) }));
    try {
      await incomingCallsAndCheckHistory(gw);
    } finally {
      await gw.stop();
    }
  });
});

describe('call history in PostgreSQL', { skip: postgresAvailable() ? false : 'PostgreSQL server not installed' }, () => {
  let pg;
  before(async () => {
    pg = await startPostgres(path.join(outDirFor(FILE), 'postgres.log'));
    pg.createDb('pasarela');
  });
  after(async () => { if (pg) await pg.stop(); });

  const sets = () => ({ 'history.jdbc-url': pg.jdbcUrl('pasarela'), 'history.username': 'postgres' });

  test('Flyway creates the schema and an echo call lands in the table', async () => {
    const gw = await startGateway(gatewayOptions('postgres', sets()));
    let entry;
    try {
      entry = await callAndCheckHistory(gw);
    } finally {
      await gw.stop();
    }
    assert.equal(pg.psql('pasarela', 'SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank'), '1\n2');
    // V2's partial index exists in PostgreSQL too (the same SQL file serves both databases)
    assert.match(pg.psql('pasarela', "SELECT indexdef FROM pg_indexes WHERE indexname = 'call_history_unreported_missed'"),
      /WHERE .*direction.*'INBOUND'.*answered_at IS NULL.*reported = false/);
    const row = pg.psql('pasarela', `SELECT user_name, direction, sip_code, hangup_by, ended_at - answered_at FROM call_history WHERE id = '${entry.id}'`);
    assert.equal(row, `alice|OUTBOUND|200|CLIENT|${entry.durationMs}`);
  });

  test('a call cut by SIGKILL is ended as "gateway restarted" at the next start', async () => {
    const entry = await killMidCallThenRestart(gatewayOptions('postgres-kill', sets()));
    assert.equal(pg.psql('pasarela', `SELECT sip_code, reason FROM call_history WHERE id = '${entry.id}'`), '503|gateway restarted');
  });

  test('incoming calls: answered, missed, declined, and missed while offline', { timeout: 90000 }, async () => {
    pg.createDb('pasarela_in');
    const gw = await startGateway(gatewayOptions('postgres-in', { 'history.jdbc-url': pg.jdbcUrl('pasarela_in'), 'history.username': 'postgres' }));
    let entries;
    try {
      entries = await incomingCallsAndCheckHistory(gw);
    } finally {
      await gw.stop();
    }
    const rows = pg.psql('pasarela_in', "SELECT user_name, direction, sip_code, hangup_by, answered_at IS NOT NULL FROM call_history WHERE direction = 'INBOUND' ORDER BY started_at");
    assert.equal(rows, ['alice|INBOUND|200|REMOTE|t', 'alice|INBOUND|487|REMOTE|f', 'alice|INBOUND|486|CLIENT|f', 'bob|INBOUND|480|GATEWAY|f'].join('\n'));
    assert.equal(entries.length, 3);
  });

  test('an unreachable database stops start-up with a message naming the URL', async () => {
    const url = `jdbc:postgresql://127.0.0.1:${pg.port}/no_such_db`;
    await assert.rejects(startGateway({ ...gatewayOptions('postgres-bad', { 'history.jdbc-url': url, 'history.username': 'postgres' }), startTimeoutMs: 30000 }),
      (e) => e.message.includes(`pasarela: cannot start: history.jdbc-url = '${url}': cannot open or migrate the call history`));
  });
});
