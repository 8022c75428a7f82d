#!/usr/bin/env node
'use strict';
// A command-line stand-in for a browser softphone: logs in, places one call with a real Chromium
// offer, prints every signaling message, and hangs up. For the README walkthrough and for poking
// at a running gateway by hand.
//
//   node testbeds/tools/call.js [--url ws://127.0.0.1:8080/ws] [--user alice] [--password secret]
//                               [--to echo] [--profile NAME] [--hold-seconds 3]

const { WsClient } = require('../lib/wsclient');
const { chromiumAudioOffer } = require('../lib/sdp');

function options(argv) {
  const o = { url: 'ws://127.0.0.1:8080/ws', user: 'alice', password: 'secret', to: 'echo', profile: undefined,
    holdSeconds: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    const name = { '--url': 'url', '--user': 'user', '--password': 'password', '--to': 'to', '--profile': 'profile',
      '--hold-seconds': 'holdSeconds' }[key];
    if (!name || value === undefined) {
      console.error(`usage: call.js [--url U] [--user U] [--password P] [--to T] [--profile P] [--hold-seconds N]`);
      process.exit(2);
    }
    o[name] = name === 'holdSeconds' ? Number(value) : value;
  }
  return o;
}

function show(direction, msg) {
  const copy = JSON.parse(JSON.stringify(msg));
  if (copy.jsep && copy.jsep.sdp) copy.jsep.sdp = `<${copy.jsep.sdp.split('\r\n').length} SDP lines>`;
  if (copy.password) copy.password = '***';
  console.log(`${direction} ${JSON.stringify(copy)}`);
}

async function main() {
  const o = options(process.argv.slice(2));
  const ws = await WsClient.connect(o.url);
  const send = (msg) => { show('->', msg); ws.send(msg); };
  const next = async (type) => { const m = await ws.next(type, { timeout: 30000 }); show('<-', m); return m; };

  send({ type: 'login', id: '1', user: o.user, password: o.password });
  const login = await ws.nextOf(['ack', 'error'], { timeout: 5000 });
  show('<-', login);
  if (login.type === 'error') process.exit(1);

  send({ type: 'call', id: '2', to: o.to, profile: o.profile, jsep: { type: 'offer', sdp: chromiumAudioOffer() } });
  const accepted = await ws.nextOf(['ack', 'error'], { timeout: 5000 });
  show('<-', accepted);
  if (accepted.type === 'error') process.exit(1);
  const call = accepted.call;

  const outcome = await ws.nextOf(['answered', 'hangup'], { timeout: 60000 });
  for (const m of ws.messages({ call }).filter((m) => m !== outcome && m.type !== 'ack')) show('<-', m);
  show('<-', outcome);
  if (outcome.type === 'answered') {
    console.log('\nWebRTC answer from the gateway:\n' + outcome.jsep.sdp);
    await new Promise((r) => setTimeout(r, o.holdSeconds * 1000));
    send({ type: 'hangup', id: '3', call });
    await next('hangup');
  }
  ws.close();
}

main().catch((e) => { console.error(e.message); process.exit(1); });
