'use strict';
// A minimal TURN client (RFC 8656) over UDP: one Allocate with the long-term credential mechanism
// (RFC 8489 §9.2): the first request goes without credentials and gets 401 with REALM and NONCE;
// the second carries USERNAME, REALM, NONCE and MESSAGE-INTEGRITY keyed with
// MD5(username ":" realm ":" password), and FINGERPRINT. Written here from the RFCs so that the
// testbed shows what a browser's TURN client would get, without a second TURN implementation.
//
//   const r = await allocate({ host, port, username, password });
//   r -> { ok: true, relayed: '127.0.0.1:50002', lifetime } or { ok: false, code: 401, reason }

const dgram = require('node:dgram');
const crypto = require('node:crypto');

const MAGIC = 0x2112a442;
const ALLOCATE = 0x0003;
const ALLOCATE_SUCCESS = 0x0103;
const ALLOCATE_ERROR = 0x0113;
const REFRESH = 0x0004;
const ATTR = { USERNAME: 0x0006, MESSAGE_INTEGRITY: 0x0008, ERROR_CODE: 0x0009, LIFETIME: 0x000d, REALM: 0x0014,
  NONCE: 0x0015, XOR_RELAYED_ADDRESS: 0x0016, REQUESTED_TRANSPORT: 0x0019, FINGERPRINT: 0x8028 };

function attribute(type, value) {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

function header(method, length, transactionId) {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(method, 0);
  h.writeUInt16BE(length, 2);
  h.writeUInt32BE(MAGIC, 4);
  transactionId.copy(h, 8);
  return h;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A request of `method` with `attrs`; with `key`, MESSAGE-INTEGRITY and FINGERPRINT are appended. */
function request(method, attrs, key) {
  const transactionId = crypto.randomBytes(12);
  let body = Buffer.concat(attrs);
  if (key) {
    // RFC 8489 §14.5: the HMAC covers the header with the length as if MESSAGE-INTEGRITY ended the message.
    const withMi = header(method, body.length + 24, transactionId);
    const hmac = crypto.createHmac('sha1', key).update(Buffer.concat([withMi, body])).digest();
    body = Buffer.concat([body, attribute(ATTR.MESSAGE_INTEGRITY, hmac)]);
  }
  // RFC 8489 §14.7: CRC-32 of everything before FINGERPRINT (length including it), XOR 0x5354554e.
  const withFp = header(method, body.length + 8, transactionId);
  const crc = (crc32(Buffer.concat([withFp, body])) ^ 0x5354554e) >>> 0;
  const fp = Buffer.alloc(4);
  fp.writeUInt32BE(crc, 0);
  body = Buffer.concat([body, attribute(ATTR.FINGERPRINT, fp)]);
  return { transactionId, bytes: Buffer.concat([header(method, body.length, transactionId), body]) };
}

function parse(buf) {
  const type = buf.readUInt16BE(0);
  const length = buf.readUInt16BE(2);
  const attrs = new Map();
  for (let at = 20; at + 4 <= 20 + length;) {
    const t = buf.readUInt16BE(at);
    const l = buf.readUInt16BE(at + 2);
    if (!attrs.has(t)) attrs.set(t, buf.subarray(at + 4, at + 4 + l));
    at += 4 + Math.ceil(l / 4) * 4;
  }
  return { type, transactionId: buf.subarray(8, 20), attrs };
}

function errorOf(msg) {
  const v = msg.attrs.get(ATTR.ERROR_CODE);
  if (!v) return { code: 0, reason: 'no ERROR-CODE' };
  return { code: (v[2] & 0x7) * 100 + v[3], reason: v.subarray(4).toString('utf8') };
}

function xorAddress(v) {
  const port = v.readUInt16BE(2) ^ (MAGIC >>> 16);
  const ip = [0, 1, 2, 3].map((i) => v[4 + i] ^ ((MAGIC >>> (24 - 8 * i)) & 0xff)).join('.');
  return `${ip}:${port}`;
}

function exchange(socket, host, port, req, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { socket.off('message', onMessage); reject(new Error(`no TURN answer from ${host}:${port} within ${timeoutMs} ms`)); }, timeoutMs);
    function onMessage(data) {
      const msg = parse(data);
      if (!msg.transactionId.equals(req.transactionId)) return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(msg);
    }
    socket.on('message', onMessage);
    socket.send(req.bytes, port, host);
  });
}

/** One Allocate (UDP relay) with the long-term credential mechanism; the allocation is released again. */
async function allocate({ host, port, username, password }) {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, host, resolve));
  try {
    const transport = attribute(ATTR.REQUESTED_TRANSPORT, Buffer.from([17, 0, 0, 0]));
    const first = await exchange(socket, host, port, request(ALLOCATE, [transport]));
    const challenge = errorOf(first);
    if (first.type !== ALLOCATE_ERROR || challenge.code !== 401) {
      return { ok: false, step: 'challenge', type: first.type, ...challenge };
    }
    const realm = first.attrs.get(ATTR.REALM);
    const nonce = first.attrs.get(ATTR.NONCE);
    const key = crypto.createHash('md5').update(`${username}:${realm.toString('utf8')}:${password}`).digest();
    const attrs = [transport, attribute(ATTR.USERNAME, Buffer.from(username, 'utf8')), attribute(ATTR.REALM, realm),
      attribute(ATTR.NONCE, nonce)];
    const second = await exchange(socket, host, port, request(ALLOCATE, attrs, key));
    if (second.type !== ALLOCATE_SUCCESS) return { ok: false, step: 'allocate', type: second.type, realm: realm.toString(), ...errorOf(second) };
    const relayed = xorAddress(second.attrs.get(ATTR.XOR_RELAYED_ADDRESS));
    const lifetime = second.attrs.get(ATTR.LIFETIME).readUInt32BE(0);
    // Release it (Refresh with LIFETIME 0, RFC 8656 §7), so coturn's relay ports are free for the next test.
    const zero = attribute(ATTR.LIFETIME, Buffer.alloc(4));
    await exchange(socket, host, port, request(REFRESH, [zero, attribute(ATTR.USERNAME, Buffer.from(username, 'utf8')),
      attribute(ATTR.REALM, realm), attribute(ATTR.NONCE, nonce)], key)).catch(() => null);
    return { ok: true, relayed, lifetime, realm: realm.toString() };
  } finally {
    socket.close();
  }
}

module.exports = { allocate, crc32 };
