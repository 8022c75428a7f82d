'use strict';
// Checks an HTTP-digest credential (RFC 2617 / RFC 3261 22.4) the way a SIP server would,
// for challenges SIPp cannot verify itself (it only reads Authorization:, not Proxy-Authorization:).

const crypto = require('node:crypto');

const md5 = (s) => crypto.createHash('md5').update(s).digest('hex');

/** 'Digest a="b", c=d' -> { scheme: 'Digest', a: 'b', c: 'd' } (names lower-cased). */
function parseCredentials(header) {
  const m = /^\s*(\S+)\s+(.*)$/s.exec(header || '');
  if (!m) throw new Error(`not a credentials header: ${JSON.stringify(header)}`);
  const params = { scheme: m[1] };
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  let p;
  while ((p = re.exec(m[2]))) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2] : p[3];
  return params;
}

/** The response value a client knowing `password` must send (MD5, qop auth or none). */
function expectedResponse({ username, realm, password, method, uri, nonce, qop, nc, cnonce }) {
  const ha1 = md5(`${username}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  return qop ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
}

/**
 * Returns a list of problems (empty when the credentials are right) for a credentials header
 * sent in answer to a challenge with `realm`, `nonce` and optional `qop`.
 */
function checkCredentials(header, { method, username, password, realm, nonce, qop }) {
  const c = parseCredentials(header);
  const problems = [];
  if (c.scheme.toLowerCase() !== 'digest') problems.push(`scheme is ${c.scheme}, not Digest`);
  if (c.username !== username) problems.push(`username is ${c.username}, expected ${username}`);
  if (c.realm !== realm) problems.push(`realm is ${c.realm}, expected ${realm}`);
  if (c.nonce !== nonce) problems.push(`nonce is ${c.nonce}, expected ${nonce}`);
  if (c.algorithm && c.algorithm.toUpperCase() !== 'MD5') problems.push(`algorithm is ${c.algorithm}, expected MD5`);
  if (!c.uri) problems.push('no uri parameter');
  if (qop) {
    if (c.qop !== qop) problems.push(`qop is ${c.qop}, expected ${qop}`);
    if (!c.cnonce) problems.push('qop given but no cnonce');
    if (!/^[0-9a-fA-F]{8}$/.test(c.nc || '')) problems.push(`nc is ${c.nc}, expected 8 hex digits`);
  }
  if (!problems.length) {
    const want = expectedResponse({ username, realm, password, method, uri: c.uri, nonce, qop: qop ? c.qop : undefined, nc: c.nc, cnonce: c.cnonce });
    if ((c.response || '').toLowerCase() !== want) problems.push(`response is ${c.response}, expected ${want} for password ${JSON.stringify(password)}`);
  }
  return problems;
}

module.exports = { parseCredentials, expectedResponse, checkCredentials };
