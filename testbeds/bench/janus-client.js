'use strict';
// The same call through Janus's SIP plugin (Janus WebSocket API, subprotocol janus-protocol): create a session,
// attach janus.plugin.sip, register as a guest (no REGISTER is sent), call the SIPp UAS with the pc's offer,
// apply the "accepted" answer. rec.hangup() sends the plugin's hangup and destroys the session.

const WebSocket = require('ws');

let seq = 0;
const tx = () => `t${++seq}`;

async function janusCall(pc, rec, { url, sipUri }) {
  const ws = new WebSocket(url, 'janus-protocol');
  rec.ws = ws;
  const inbox = [];
  let waiter = null;
  ws.on('message', (d) => {
    const m = JSON.parse(String(d));
    const result = m.plugindata && m.plugindata.data && m.plugindata.data.result;
    if (result && result.event === 'hangup' && rec.connected && !rec.hangingUp) rec.dropped = JSON.stringify(m);
    inbox.push(m);
    if (waiter) waiter();
  });
  await new Promise((res, rej) => { ws.once('open', res); ws.once('error', rej); });
  const next = async (pred, what, ms = 15000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = inbox.findIndex(pred);
      if (i >= 0) return inbox.splice(i, 1)[0];
      const bad = inbox.find((m) => m.janus === 'error' || (m.plugindata && m.plugindata.data && m.plugindata.data.error));
      if (bad) throw new Error(`waiting for ${what}: ${JSON.stringify(bad)}`);
      if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
      await new Promise((r) => { waiter = r; setTimeout(r, 100); });
    }
  };
  const request = async (body, what) => {
    const transaction = tx();
    ws.send(JSON.stringify({ ...body, transaction }));
    return next((m) => m.transaction === transaction && m.janus !== 'ack', what);
  };
  const created = await request({ janus: 'create' }, 'create');
  const session = created.data.id;
  const keepalive = setInterval(() => ws.send(JSON.stringify({ janus: 'keepalive', session_id: session, transaction: tx() })), 20000);
  const attached = await request({ janus: 'attach', session_id: session, plugin: 'janus.plugin.sip' }, 'attach');
  const handle = attached.data.id;
  const event = (name) => (m) => m.janus === 'event' && m.plugindata && m.plugindata.data.result && m.plugindata.data.result.event === name;
  ws.send(JSON.stringify({ janus: 'message', session_id: session, handle_id: handle, transaction: tx(),
    body: { request: 'register', type: 'guest', username: 'sip:alice@127.0.0.1' } }));
  await next(event('registered'), 'registered');
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  await new Promise((res) => {
    if (pc.iceGatheringState === 'complete') return res();
    const t = setTimeout(res, 3000);
    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') { clearTimeout(t); res(); } });
  });
  rec.t0 = process.hrtime.bigint();
  ws.send(JSON.stringify({ janus: 'message', session_id: session, handle_id: handle, transaction: tx(),
    body: { request: 'call', uri: sipUri }, jsep: pc.localDescription.toJSON() }));
  const accepted = await next(event('accepted'), 'accepted');
  rec.answeredMs = Number(process.hrtime.bigint() - rec.t0) / 1e6;
  await pc.setRemoteDescription(accepted.jsep);
  rec.hangup = async () => {
    rec.hangingUp = true;
    ws.send(JSON.stringify({ janus: 'message', session_id: session, handle_id: handle, transaction: tx(), body: { request: 'hangup' } }));
    await next(event('hangup'), 'hangup', 5000).catch(() => {});
    clearInterval(keepalive);
    ws.send(JSON.stringify({ janus: 'destroy', session_id: session, transaction: tx() }));
    ws.close();
  };
}

module.exports = { janusCall };
