'use strict';
// Profiles that name a domain, resolved through a real DNS server (RFC 3263: SRV, then A), and
// profiles over TLS, whose far end must present a certificate that chains to tls.truststore and
// names the profile's proxy host. What each case proves is in testbeds/README.md.
//
// One dnsmasq (private records for guifi.test, on a free port), one throwaway PKI made with
// openssl in a temp dir, one gateway for the file with sip.dns-server pointing at dnsmasq and
// sip.transports = udp,tcp,tls.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const dgram = require('node:dgram');
const path = require('node:path');
const { useGateway, outDirFor } = require('../lib/gateway');
const { HOST, freePort } = require('../lib/ports');
const { startSipp, describeRun } = require('../lib/sipp');
const { startDnsmasq } = require('../lib/dnsmasq');
const { makePki } = require('../lib/testpki');
const { startTlsUas } = require('../lib/tls-uas');
const { WsClient } = require('../lib/wsclient');
const { chromiumAudioOffer } = require('../lib/sdp');

const FILE = '02-sip-transports';
const SCENARIOS = path.join(__dirname, '..', '01-outbound-signaling', 'sipp');
const USER = 'alice';
const PASSWORD = 'secret';

const ports = {
  // Nothing listens on TCP port 1 (tcpmux, privileged): connecting is refused at once. A "free" high
  // port would do too, until another test on the machine happened to bind it.
  dead: 1,
};
let dns;
let pki;
let certs;

// dnsmasq and the certificates exist before the gateway starts (it loads its TLS files at start-up).
const ctx = useGateway(async () => {
  for (const name of ['srvUdp', 'srvTcp', 'prioTcp', 'tlsGood', 'tlsSrv', 'tlsRogue', 'tlsWrongName']) {
    ports[name] = await freePort();
  }
  pki = makePki();
  const ca = pki.ca('pasarela-test-ca');
  const otherCa = pki.ca('some-other-ca');
  certs = {
    ca,
    gateway: pki.leaf('gateway', ca, ['IP:127.0.0.1'], { keyFormat: 'ec' }),
    good: pki.leaf('tls.guifi.test', ca, ['IP:127.0.0.1', 'DNS:tls.guifi.test', 'DNS:guifi.test']),
    rogue: pki.leaf('rogue', otherCa, ['IP:127.0.0.1', 'DNS:tls.guifi.test']),
    wrongName: pki.leaf('wrong-name', ca, ['IP:127.0.0.2', 'DNS:elsewhere.test']),
  };
  dns = await startDnsmasq({
    outDir: outDirFor(FILE),
    local: ['guifi.test', 'prio.test', 'deadfirst.test'],
    srv: [
      { name: '_sip._udp.guifi.test', target: 'sipp.guifi.test', port: ports.srvUdp, priority: 10, weight: 10 },
      { name: '_sip._tcp.guifi.test', target: 'sipp.guifi.test', port: ports.srvTcp, priority: 10, weight: 10 },
      { name: '_sips._tcp.guifi.test', target: 'tls.guifi.test', port: ports.tlsSrv, priority: 10, weight: 10 },
      // Listed first but of lower preference (higher number): must not be chosen.
      { name: '_sip._tcp.prio.test', target: 'dead.prio.test', port: ports.dead, priority: 20, weight: 100 },
      { name: '_sip._tcp.prio.test', target: 'sipp.prio.test', port: ports.prioTcp, priority: 10, weight: 1 },
      // The preferred target is dead: the gateway does not fail over to the next one.
      { name: '_sip._tcp.deadfirst.test', target: 'dead.prio.test', port: ports.dead, priority: 10, weight: 1 },
      { name: '_sip._tcp.deadfirst.test', target: 'sipp.prio.test', port: ports.prioTcp, priority: 20, weight: 1 },
    ],
    hosts: {
      'sipp.guifi.test': HOST, 'tls.guifi.test': HOST, 'sipp.prio.test': HOST, 'dead.prio.test': HOST,
    },
  });
  const profile = (proxy, transport) => ({ proxy, transport, codecs: 'PCMU,PCMA,telephone-event' });
  return {
    name: FILE,
    users: { [USER]: PASSWORD },
    profiles: {
      srvudp: profile('sip:guifi.test', 'UDP'),
      srvtcp: profile('sip:guifi.test', 'TCP'),
      priotcp: profile('sip:prio.test', 'TCP'),
      deadfirst: profile('sip:deadfirst.test', 'TCP'),
      nodomain: profile('sip:missing.guifi.test', 'UDP'),
      tlsip: profile(`sips:127.0.0.1:${ports.tlsGood}`, 'TLS'),
      tlssrv: profile('sip:guifi.test;transport=tls', 'TLS'),
      tlsrogue: profile(`sips:127.0.0.1:${ports.tlsRogue}`, 'TLS'),
      tlswrongname: profile(`sips:127.0.0.1:${ports.tlsWrongName}`, 'TLS'),
    },
    sets: {
      'sip.dns-server': dns.server,
      'sip.transports': 'udp,tcp,tls',
      'sip.tls.port': String(await freePort()),
      'tls.certificate': certs.gateway.cert,
      'tls.key': certs.gateway.key,
      'tls.truststore': certs.ca.cert,
      'call.no-answer-timeout': '10s',
    },
  };
});

after(async () => {
  if (dns) await dns.stop(); // by PID; its query log stays in testbeds/out/02-sip-transports/dnsmasq.log
  if (pki) pki.remove();
});

// ---------- helpers ----------

async function loggedIn(t) {
  const client = await WsClient.connect(ctx.gw.wsUrl);
  t.after(() => client.close());
  const reply = await client.response(client.request({ type: 'login', user: USER, password: PASSWORD }));
  assert.equal(reply.type, 'ack', `login refused: ${JSON.stringify(reply)}`);
  return client;
}

async function placeCall(client, profile) {
  const id = client.request({ type: 'call', to: '1000', profile, jsep: { type: 'offer', sdp: chromiumAudioOffer() } });
  const reply = await client.response(id);
  assert.equal(reply.type, 'ack', `call refused: ${JSON.stringify(reply)}\n${client.transcript()}`);
  return reply.call;
}

/** Answered, then hung up by the browser with 200. */
async function answeredAndHungUp(client, call) {
  const first = await client.nextOf(['answered', 'hangup'], { where: (m) => m.call === call, timeout: 8000 });
  assert.equal(first.type, 'answered', `expected answered, got ${JSON.stringify(first)}\n${client.transcript()}`);
  client.request({ type: 'hangup', call });
  const end = await client.next('hangup', { where: (m) => m.call === call });
  assert.equal(end.code, 200, JSON.stringify(end));
}

function sippCallee(t, port, transport) {
  return startSipp({
    scenario: path.join(SCENARIOS, 'uas-answer.xml'), outDir: outDirFor(FILE, t.name), port, transport, timeout: '15s',
  }).then((sipp) => {
    t.after(async () => {
      const run = await sipp.stop();
      if (!t.passed) process.stderr.write(`\n===== SIPp side of "${t.name}" =====\n${describeRun(run)}\n`);
    });
    return sipp;
  });
}

async function sippOk(sipp) {
  const run = await sipp.done;
  assert.equal(run.code, 0, `SIPp scenario did not complete\n${describeRun(run)}`);
  return run;
}

async function tlsCallee(t, port, cert) {
  const uas = await startTlsUas({ port, cert: cert.cert, key: cert.key, outDir: outDirFor(FILE, t.name) });
  t.after(() => uas.close());
  return uas;
}

/** Binds UDP `port` and records every datagram: a TLS profile must never fall back to plain UDP. */
async function udpWatch(t, port) {
  const socket = dgram.createSocket('udp4');
  const datagrams = [];
  socket.on('message', (m) => datagrams.push(m.toString('utf8')));
  await new Promise((r) => socket.bind(port, HOST, r));
  t.after(() => socket.close());
  return datagrams;
}

function dnsQueries() {
  return dns.logText().split('\n').filter((l) => /query\[/.test(l)).map((l) => l.replace(/^dnsmasq\[\d+\]: /, ''));
}

// ---------- RFC 3263 through dnsmasq ----------

describe('RFC 3263: a profile naming a domain is resolved through sip.dns-server', () => {
  test('(1) UDP: SRV _sip._udp.guifi.test -> sipp.guifi.test A 127.0.0.1 -> SIPp answers', async (t) => {
    const sipp = await sippCallee(t, ports.srvUdp, 'udp');
    const client = await loggedIn(t);
    const call = await placeCall(client, 'srvudp');
    await answeredAndHungUp(client, call);
    const run = await sippOk(sipp);
    assert.match(run.messages.find((m) => m.method === 'INVITE').header('via'), /^SIP\/2\.0\/UDP /i);
    const queries = dnsQueries();
    assert.ok(queries.some((q) => q.startsWith('query[SRV] _sip._udp.guifi.test')), `SRV asked of dnsmasq:\n${queries.join('\n')}`);
    assert.ok(queries.some((q) => q.startsWith('query[A] sipp.guifi.test')), `the SRV target's A asked of dnsmasq, not the system:\n${queries.join('\n')}`);
  });

  test('(2) TCP: SRV _sip._tcp.guifi.test -> SIPp over TCP answers', async (t) => {
    const sipp = await sippCallee(t, ports.srvTcp, 'tcp');
    const client = await loggedIn(t);
    const call = await placeCall(client, 'srvtcp');
    await answeredAndHungUp(client, call);
    const run = await sippOk(sipp);
    assert.match(run.messages.find((m) => m.method === 'INVITE').header('via'), /^SIP\/2\.0\/TCP /i);
    assert.ok(dnsQueries().some((q) => q.startsWith('query[SRV] _sip._tcp.guifi.test')));
  });

  test('(3) priority: of two SRV records the lower priority number wins, though listed second', async (t) => {
    const sipp = await sippCallee(t, ports.prioTcp, 'tcp');
    const client = await loggedIn(t);
    const call = await placeCall(client, 'priotcp');
    await answeredAndHungUp(client, call);
    await sippOk(sipp);
  });

  test('(3b) no failover: a dead preferred TCP target fails the call at once with 503 naming it', async (t) => {
    const client = await loggedIn(t);
    const call = await placeCall(client, 'deadfirst');
    const end = await client.next('hangup', { where: (m) => m.call === call, timeout: 8000 });
    assert.equal(end.code, 503, JSON.stringify(end));
    assert.match(end.reason, new RegExp(`cannot send to 127\\.0\\.0\\.1:${ports.dead}/TCP`), JSON.stringify(end));
  });

  test('(4) a domain with neither SRV nor A record: hangup 503 naming both lookups', async (t) => {
    const client = await loggedIn(t);
    const call = await placeCall(client, 'nodomain');
    const end = await client.next('hangup', { where: (m) => m.call === call, timeout: 8000 });
    assert.equal(end.code, 503, JSON.stringify(end));
    assert.match(end.reason, /cannot resolve SIP domain 'missing\.guifi\.test': no SRV _sip\._udp\.missing\.guifi\.test and no A\/AAAA record/, JSON.stringify(end));
  });
});

// ---------- SIP over TLS ----------

describe('SIP over TLS: the far end must prove it is the profile\'s proxy', () => {
  test('(5) sips:127.0.0.1:port, certificate from tls.truststore\'s CA with IP 127.0.0.1: answered over TLS', async (t) => {
    const uas = await tlsCallee(t, ports.tlsGood, certs.good);
    const client = await loggedIn(t);
    const call = await placeCall(client, 'tlsip');
    await answeredAndHungUp(client, call);
    await waitFor(() => uas.requests('BYE').length > 0, 'BYE over TLS');
    const [invite] = uas.requests('INVITE');
    assert.match(invite.header('via'), /^SIP\/2\.0\/TLS /i, invite.raw);
    assert.equal(uas.requests('ACK').length, 1, 'the 200 is ACKed over TLS');
    assert.deepEqual(uas.tlsErrors, []);
  });

  test('(6) sip:guifi.test;transport=tls: SRV _sips._tcp -> tls.guifi.test, certificate checked for guifi.test', async (t) => {
    const uas = await tlsCallee(t, ports.tlsSrv, certs.good);
    const client = await loggedIn(t);
    const call = await placeCall(client, 'tlssrv');
    await answeredAndHungUp(client, call);
    await waitFor(() => uas.requests('BYE').length > 0, 'BYE over TLS');
    assert.equal(uas.requests('INVITE').length, 1);
    assert.ok(dnsQueries().some((q) => q.startsWith('query[SRV] _sips._tcp.guifi.test')));
    assert.ok(uas.servernames.includes('guifi.test'), `SNI names the SIP domain (RFC 5922): ${JSON.stringify(uas.servernames)}`);
  });

  test('(7) a certificate from another CA: hangup 503 naming the TLS problem; nothing sent in clear', async (t) => {
    const uas = await tlsCallee(t, ports.tlsRogue, certs.rogue);
    const udp = await udpWatch(t, ports.tlsRogue);
    const client = await loggedIn(t);
    const call = await placeCall(client, 'tlsrogue');
    const end = await client.next('hangup', { where: (m) => m.call === call, timeout: 8000 });
    assert.equal(end.code, 503, JSON.stringify(end));
    assert.match(end.reason, /TLS: the certificate of 127\.0\.0\.1:\d+ .*CN=rogue.* is not trusted: it does not chain to a CA in tls\.truststore/, JSON.stringify(end));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(uas.received, [], 'no SIP message may cross a TLS connection to an untrusted peer');
    assert.ok(uas.tlsErrors.length > 0, 'the handshake failed on the far end too');
    assert.deepEqual(udp, [], 'no fallback to plain UDP');
  });

  test('(8) a certificate from the right CA for another name: hangup 503, not valid for 127.0.0.1', async (t) => {
    const uas = await tlsCallee(t, ports.tlsWrongName, certs.wrongName);
    const client = await loggedIn(t);
    const call = await placeCall(client, 'tlswrongname');
    const end = await client.next('hangup', { where: (m) => m.call === call, timeout: 8000 });
    assert.equal(end.code, 503, JSON.stringify(end));
    assert.match(end.reason, /TLS: the certificate of 127\.0\.0\.1:\d+ .* is not valid for '127\.0\.0\.1'/, JSON.stringify(end));
    assert.deepEqual(uas.received, []);
  });
});

async function waitFor(predicate, what, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
