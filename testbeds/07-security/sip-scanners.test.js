'use strict';
// The SIP side as scanners and relay-hunters see it: Debian's sipvicious (svwar, svcrack) against the
// real gateway on loopback finds no extension and no password, its sweep is cut off by the flood limit
// (one SecurityEvent="SipFlood", matched by the fail2ban filter of docs/security.md) while another
// address is still answered and a normal call still works; and no request of any method from an
// address outside every profile reaches the trunk (a SIPp UAS as the profile's proxy) or a browser.
// Sources are told apart by loopback address: the scanners 127.0.0.1, relay probes 127.0.0.2, the
// innocent neighbour 127.0.0.3.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const dgram = require('node:dgram');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { useGateway, outDirFor, REPO } = require('../lib/gateway');
const { freePort } = require('../lib/ports');
const { startSipp, describeRun } = require('../lib/sipp');
const { WsClient } = require('../lib/wsclient');
const { chromiumAudioOffer } = require('../lib/sdp');

const FILE = '07-security-sip-scanners';
const USERS = { alice: 'w0nderland', bob: 'b0bsecret' };
const PER_SECOND = 10;
const SVWAR = 'svwar';
const SVCRACK = 'svcrack';
let trunkPort;
let trunk;

const ctx = useGateway(async () => {
  trunkPort = await freePort();
  return {
    name: FILE,
    users: USERS,
    profiles: {
      trunk: { proxy: `sip:localhost:${trunkPort}`, transport: 'UDP', codecs: 'PCMU,PCMA,telephone-event', domain: 'trunk.example' },
    },
    sets: {
      'echo.enabled': 'true',
      'sip.max-requests-per-second-per-address': String(PER_SECOND),
      'sip.scanner-ban-time': '120s',
    },
  };
});

function installed(command) {
  return !spawnSync(command, ['--help'], { encoding: 'utf8', timeout: 10000 }).error;
}

/** Runs a sipvicious tool to its end, bounded in time (killed by PID at the limit); returns its output. */
function sipvicious(command, args, name) {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 60000, killSignal: 'SIGKILL' });
  const output = `$ ${command} ${args.join(' ')}\n${run.stdout}${run.stderr}`;
  fs.writeFileSync(path.join(outDirFor(FILE, 'sipvicious'), `${name}.log`), output);
  assert.equal(run.error, undefined, `${command} did not finish within 60 s\n${output}`);
  return output;
}

let sequence = 0;

/** Binds a UDP socket on `address` and returns a function that sends one SIP request and resolves the
 *  status code of its final answer, or null when none came within `waitMs`. */
async function sipSocket(address) {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve, reject) => { socket.once('error', reject); socket.bind(0, address, resolve); });
  const pending = new Map();
  socket.on('message', (buf) => {
    const text = buf.toString('latin1');
    const status = /^SIP\/2\.0 (\d{3}) /.exec(text);
    const callId = /^(?:Call-ID|i)\s*:\s*(\S+)/im.exec(text);
    if (!status || !callId || Number(status[1]) < 200) return;
    const waiter = pending.get(callId[1]);
    if (waiter) { pending.delete(callId[1]); waiter(Number(status[1])); }
  });
  const local = `${address}:${socket.address().port}`;
  const ask = (method, uri, { waitMs = 1500, headers = [] } = {}) => {
    const n = ++sequence;
    const callId = `probe-${n}-${crypto.randomBytes(4).toString('hex')}@${address}`;
    const lines = [
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${local};branch=z9hG4bK-${crypto.randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: <sip:probe@${address}>;tag=p${n}`,
      `To: <${uri}>`,
      `Call-ID: ${callId}`,
      `CSeq: 1 ${method}`,
      `Contact: <sip:probe@${local}>`,
      ...headers,
    ];
    const body = method === 'INVITE'
      ? `v=0\r\no=- 1 1 IN IP4 ${address}\r\ns=-\r\nc=IN IP4 ${address}\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n`
      : method === 'MESSAGE' ? 'buy cheap minutes' : '';
    if (body) lines.push(`Content-Type: ${method === 'INVITE' ? 'application/sdp' : 'text/plain'}`);
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`, '', body);
    return new Promise((resolve) => {
      const timer = setTimeout(() => { pending.delete(callId); resolve(null); }, waitMs);
      pending.set(callId, (code) => { clearTimeout(timer); resolve(code); });
      socket.send(lines.join('\r\n'), ctx.gw.sipPort, '127.0.0.1');
    });
  };
  return { ask, close: () => socket.close() };
}

before(async () => {
  trunk = await startSipp({
    scenario: path.join(__dirname, 'sipp', 'uas-trunk.xml'),
    outDir: outDirFor(FILE, 'trunk'),
    port: trunkPort,
    timeout: '300s',
  });
});

after(async () => {
  if (trunk) await trunk.stop();
});

describe('sipvicious', () => {
  // sipvicious 0.3.3 ignores -b (its main() never passes the binding address on), so on loopback the
  // scanners always come from 127.0.0.1; the trunk's proxy is named "localhost" so that this address is
  // not a trusted profile proxy (IP-literal proxies are never limited).
  test('svwar (REGISTER, INVITE) and svcrack (REGISTER, INVITE) find no extension and no password', (t) => {
    if (!installed(SVWAR) || !installed(SVCRACK)) {
      t.skip('svwar/svcrack are not installed (testbeds/install.sh installs sipvicious)');
      return;
    }
    for (const method of ['REGISTER', 'INVITE']) {
      const out = sipvicious(SVWAR, ['-P', '0', '-p', String(ctx.gw.sipPort), '-m', method,
        '-e', '100-399', '--maximumtime', '4', '127.0.0.1'], `svwar-${method}`);
      assert.match(out, /found nothing/, out);
      assert.doesNotMatch(out, /extension '[^']*' (exists|probably exists)/, out);
    }
    for (const method of ['REGISTER', 'INVITE']) {
      const out = sipvicious(SVCRACK, ['-P', '0', '-p', String(ctx.gw.sipPort), '-u', '100',
        '-r', '1000-1400', '-m', method, '--maximumtime', '4', '127.0.0.1'], `svcrack-${method}`);
      assert.match(out, /found nothing/, out);
      assert.doesNotMatch(out, /The password for|Does not seem to require authentication/, out);
    }
    assert.doesNotMatch(ctx.gw.logText(), /SecurityEvent="SipFlood"/, 'these probes stayed under the limit');
  });

  test('svwar sweeping 100-399 with OPTIONS (answered 200 whatever the user) finds nothing', (t) => {
    if (!installed(SVWAR)) { t.skip('svwar is not installed (testbeds/install.sh installs sipvicious)'); return; }
    const out = sipvicious(SVWAR, ['-P', '0', '-p', String(ctx.gw.sipPort), '-m', 'OPTIONS',
      '-e', '100-399', '--maximumtime', '4', '127.0.0.1'], 'svwar-OPTIONS');
    assert.match(out, /found nothing/, out);
  });

  test('one SipFlood event for 127.0.0.1, which gets no answer any more', async () => {
    await ctx.gw.waitForLog(/SecurityEvent="SipFlood",.*RemoteAddress="IPV4\/UDP\/127\.0\.0\.1\/\d+",Reason="more than 10 SIP requests per second/);
    const floods = ctx.gw.logText().match(/SecurityEvent="SipFlood".*/g) || [];
    assert.equal(floods.length, 1, 'one event per ban, however long the sweep went on');
    // The ban starts at whichever sweep first goes over the limit: on a fast machine the OPTIONS sweep
    // (then cut off within its first 20 of 300), on a slower one already an INVITE or REGISTER sweep.
    const last = /last (OPTIONS|INVITE|REGISTER) sip:(?:(\d+)@)?/.exec(floods[0]);
    assert.ok(last, floods[0]);
    if (last[1] === 'OPTIONS' && last[2]) assert.ok(Number(last[2]) < 120, floods[0]);
    const scanner = await sipSocket('127.0.0.1');
    try {
      assert.equal(await scanner.ask('OPTIONS', `sip:100@127.0.0.1:${ctx.gw.sipPort}`, { waitMs: 1000 }), null);
    } finally { scanner.close(); }
  });

  test('another address is answered, and a browser call to the echo profile still works', async () => {
    const neighbour = await sipSocket('127.0.0.3');
    try {
      assert.equal(await neighbour.ask('OPTIONS', `sip:127.0.0.1:${ctx.gw.sipPort}`), 200);
    } finally { neighbour.close(); }
    const client = await WsClient.connect(ctx.gw.wsUrl);
    try {
      const login = client.request({ type: 'login', user: 'alice', password: USERS.alice });
      assert.equal((await client.response(login)).type, 'ack', client.transcript());
      const id = client.request({ type: 'call', to: '1000', profile: 'echo', jsep: { type: 'offer', sdp: chromiumAudioOffer() } });
      const ack = await client.response(id);
      assert.equal(ack.type, 'ack', client.transcript());
      const answered = await client.next('answered', { timeout: 10000 });
      assert.equal(answered.call, ack.call);
      const hangup = client.request({ type: 'hangup', call: ack.call });
      assert.equal((await client.response(hangup)).type, 'ack', client.transcript());
    } finally { client.close(); }
  });

  test('fail2ban-regex with the filter from docs/security.md finds the scanner\'s address and no other', (t) => {
    const probe = spawnSync('fail2ban-regex', ['--version'], { encoding: 'utf8' });
    if (probe.error) { t.skip('fail2ban-regex is not installed (testbeds/install.sh installs fail2ban)'); return; }
    const doc = fs.readFileSync(path.join(REPO, 'docs', 'security.md'), 'utf8');
    const failregex = doc.split('\n').find((l) => l.startsWith('failregex = '));
    const dir = outDirFor(FILE, 'fail2ban');
    const filter = path.join(dir, 'pasarela.conf');
    fs.writeFileSync(filter, `[Definition]\n${failregex}\nignoreregex =\n`);
    const log = path.join(dir, 'gateway.log');
    fs.writeFileSync(log, ctx.gw.logText());
    const run = spawnSync('fail2ban-regex', ['-o', 'ip', log, filter], { encoding: 'utf8', timeout: 60000 });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split('\n').filter(Boolean), ['127.0.0.1'], run.stdout);
  });
});

describe('no open relay', () => {
  // Destinations a toll fraudster would try: international and premium numbers, the trunk's own
  // domain, other carriers, the trunk's address itself, and a loop back to the gateway.
  const targets = () => [
    'sip:0046812345678@127.0.0.1', 'sip:+882123456789@trunk.example', 'sip:00900123456@trunk.example',
    `sip:0041900123456@127.0.0.1:${trunkPort}`, 'sip:+4420794600000@sip.othercarrier.example;user=phone',
    'sip:1000@pbx.other-trunk.example', 'sip:alice@127.0.0.1', 'tel:+37125551234',
  ];

  test('INVITE, MESSAGE, REFER and SUBSCRIBE from 127.0.0.2 all get a final answer; 0 reach the trunk or a browser', async () => {
    const browsers = {};
    for (const [user, password] of Object.entries(USERS)) {
      const client = await WsClient.connect(ctx.gw.wsUrl);
      const id = client.request({ type: 'login', user, password });
      assert.equal((await client.response(id)).type, 'ack', client.transcript());
      browsers[user] = { client, before: client.messages().length };
    }
    const relay = await sipSocket('127.0.0.2');
    const answers = [];
    try {
      for (const method of ['INVITE', 'MESSAGE', 'REFER', 'SUBSCRIBE']) {
        for (const uri of targets()) {
          const headers = method === 'REFER' ? [`Refer-To: <sip:0090012345@127.0.0.1:${trunkPort}>`]
            : method === 'SUBSCRIBE' ? ['Event: presence', 'Expires: 60'] : [];
          const code = await relay.ask(method, uri, { headers });
          answers.push({ method, uri, code });
          // Under the flood limit (10 per second), so every request must be answered.
          await new Promise((r) => setTimeout(r, 150));
        }
      }
    } finally { relay.close(); }
    for (const a of answers) {
      assert.ok(a.code !== null && a.code >= 400, `${a.method} ${a.uri}: expected a refusal, got ${a.code}`);
    }
    const methods = Object.fromEntries(['INVITE', 'MESSAGE', 'REFER', 'SUBSCRIBE'].map((m) =>
      [m, [...new Set(answers.filter((a) => a.method === m).map((a) => a.code))]]));
    for (const [m, codes] of Object.entries(methods)) {
      assert.equal(codes.length, 1, `${m}: the same answer whatever the destination, got ${codes}`);
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const [user, { client, before }] of Object.entries(browsers)) {
      const extra = client.messages().slice(before).filter((m) => m.type !== 'pong');
      assert.deepEqual(extra, [], `${user}'s browser got messages`);
      client.close();
    }
    const run = await trunk.stop();
    trunk = null;
    const received = run.messages.filter((m) => m.direction === 'received');
    assert.equal(received.length, 0, `the trunk received requests\n${describeRun(run)}`);
    assert.doesNotMatch(ctx.gw.logText(), /SecurityEvent="SipFlood",.*IPV4\/UDP\/127\.0\.0\.2\//);
  });
});
