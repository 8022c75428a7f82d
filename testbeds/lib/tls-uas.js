'use strict';
// A SIP callee over TLS, just enough for a call: INVITE -> 180, 200 with a PCMU offer answer;
// ACK; BYE -> 200. Debian's SIPp is built without OpenSSL ("To use a TLS transport you must
// compile SIPp with OpenSSL"), so the TLS far end is this Node.js tls server.
//
//   const uas = await startTlsUas({ port, cert, key, outDir, name });
//   uas.received        // [{ method, status, headers, raw }] SIP messages received, in order
//   uas.tlsErrors       // handshake failures seen by the server (e.g. the client refused our certificate)
//   uas.servername()    // the SNI names clients sent
//   await uas.close();

const fs = require('node:fs');
const path = require('node:path');
const tls = require('node:tls');
const { HOST } = require('./ports');

function parseMessage(raw) {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const start = lines.shift();
  const headers = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    (headers[name] = headers[name] || []).push(line.slice(colon + 1).trim());
  }
  const m = /^SIP\/2\.0 (\d{3})/.exec(start);
  return {
    start,
    method: m ? null : start.split(' ')[0],
    requestUri: m ? null : start.split(' ')[1],
    status: m ? Number(m[1]) : null,
    headers,
    header: (name) => (headers[name.toLowerCase()] || [])[0],
    body: rest.join('\r\n\r\n'),
    raw,
  };
}

/** Splits a TLS byte stream into SIP messages (Content-Length framing, RFC 3261 18.3). */
function framer(onMessage) {
  let buffer = '';
  return (chunk) => {
    buffer += chunk.toString('utf8');
    for (;;) {
      buffer = buffer.replace(/^(\r\n)+/, ''); // keep-alive CRLFs
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.slice(0, end);
      const m = /^(?:content-length|l)\s*:\s*(\d+)/im.exec(head);
      const length = m ? Number(m[1]) : 0;
      if (buffer.length < end + 4 + length) return;
      onMessage(parseMessage(buffer.slice(0, end + 4 + length)));
      buffer = buffer.slice(end + 4 + length);
    }
  };
}

function response(request, status, reason, { toTag, contact, sdp } = {}) {
  const lines = [`SIP/2.0 ${status} ${reason}`];
  for (const via of request.headers.via || []) lines.push(`Via: ${via}`);
  lines.push(`From: ${request.header('from')}`);
  const to = request.header('to');
  lines.push(`To: ${toTag && !/;\s*tag=/i.test(to) ? `${to};tag=${toTag}` : to}`);
  lines.push(`Call-ID: ${request.header('call-id')}`, `CSeq: ${request.header('cseq')}`);
  if (contact) lines.push(`Contact: ${contact}`);
  if (sdp) lines.push('Content-Type: application/sdp');
  lines.push(`Content-Length: ${Buffer.byteLength(sdp || '')}`, '', sdp || '');
  return lines.join('\r\n');
}

/**
 * @param {object} o
 * @param {number} o.port
 * @param {string} o.cert     PEM certificate chain path
 * @param {string} o.key      PEM key path
 * @param {string} o.outDir   <outDir>/<name>.messages.log gets every message in and out
 * @param {string} [o.name]
 */
async function startTlsUas(o) {
  const name = o.name || 'tls-uas';
  fs.mkdirSync(o.outDir, { recursive: true });
  const logFile = path.join(o.outDir, `${name}.messages.log`);
  const log = fs.createWriteStream(logFile);
  const received = [];
  const tlsErrors = [];
  const servernames = [];
  const sockets = new Set();
  const toTag = `tlsuas${process.pid}`;
  const server = tls.createServer({ cert: fs.readFileSync(o.cert), key: fs.readFileSync(o.key), minVersion: 'TLSv1.2' });
  server.on('tlsClientError', (e) => {
    tlsErrors.push(e.message);
    log.write(`--- TLS handshake failed: ${e.message}\n`);
  });
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    servernames.push(socket.servername || null);
    log.write(`--- TLS connection from ${socket.remoteAddress}:${socket.remotePort} (${socket.getProtocol()}, SNI ${socket.servername || 'none'})\n`);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (e) => log.write(`--- socket error: ${e.message}\n`));
    const send = (text) => {
      log.write(`--- sent\n${text}\n`);
      socket.write(text);
    };
    socket.on('data', framer((msg) => {
      received.push(msg);
      log.write(`--- received\n${msg.raw}\n`);
      const contact = `<sip:callee@${HOST}:${o.port};transport=tls>`;
      if (msg.method === 'INVITE') {
        send(response(msg, 180, 'Ringing', { toTag, contact }));
        const sdp = ['v=0', `o=tlsuas 1 1 IN IP4 ${HOST}`, 's=-', `c=IN IP4 ${HOST}`, 't=0 0',
          'm=audio 49170 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000',
          'a=fmtp:101 0-15', 'a=sendrecv', ''].join('\r\n');
        setTimeout(() => send(response(msg, 200, 'OK', { toTag, contact, sdp })), 100);
      } else if (msg.method === 'BYE' || msg.method === 'OPTIONS') {
        send(response(msg, 200, 'OK'));
      }
    }));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: HOST, port: o.port }, resolve);
  });
  return {
    port: o.port,
    received,
    tlsErrors,
    servernames,
    logFile,
    requests: (method) => received.filter((m) => m.method === method),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
      await new Promise((r) => log.end(r));
    },
  };
}

module.exports = { startTlsUas };
