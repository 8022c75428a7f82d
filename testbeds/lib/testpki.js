'use strict';
// Throwaway certificates for TLS testbeds, made with openssl at test time in a temporary folder
// (never committed): CAs and leaf certificates with the subjectAltNames a case needs.
//
//   const pki = makePki();                       // a temp dir, removed by pki.remove()
//   const ca = pki.ca('test-ca');                // { cert, key } paths
//   const leaf = pki.leaf('server', ca, ['IP:127.0.0.1', 'DNS:localhost'], { keyFormat: 'ec' });

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const OPENSSL = process.env.OPENSSL || 'openssl';

function run(args, cwd) {
  try {
    execFileSync(OPENSSL, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`openssl ${args.join(' ')} failed:\n${e.stderr}`);
  }
}

function makePki() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pasarela-pki-'));
  const file = (name) => path.join(dir, name);
  return {
    dir,
    /** A self-signed CA with an EC P-256 key. */
    ca(name) {
      run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`), '-days', '2', '-subj', `/CN=${name}`,
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
      return { cert: file(`${name}.pem`), key: file(`${name}.key`) };
    },
    /**
     * A leaf certificate signed by `ca` for `altNames` (['IP:127.0.0.1', 'DNS:x']).
     * keyFormat: 'pkcs8' (BEGIN PRIVATE KEY, the default) or 'ec' (traditional BEGIN EC PRIVATE KEY).
     */
    leaf(name, ca, altNames, { keyFormat = 'pkcs8' } = {}) {
      fs.writeFileSync(file(`${name}.ext`), [
        `subjectAltName=${altNames.join(',')}`, 'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth,clientAuth', '',
      ].join('\n'));
      run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file(`${name}.key`),
        '-out', file(`${name}.csr`), '-subj', `/CN=${name}`], dir);
      run(['x509', '-req', '-in', file(`${name}.csr`), '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial',
        '-out', file(`${name}.pem`), '-days', '2', '-extfile', file(`${name}.ext`)], dir);
      if (keyFormat === 'ec') {
        run(['ec', '-in', file(`${name}.key`), '-out', file(`${name}.ec.key`)], dir);
        return { cert: file(`${name}.pem`), key: file(`${name}.ec.key`) };
      }
      return { cert: file(`${name}.pem`), key: file(`${name}.key`) };
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { makePki };
