'use strict';
// A throw-away PostgreSQL server of our own: initdb in a temp dir, postgres on a free loopback
// port with its socket in that dir, trust auth for the "postgres" role. Not the system's cluster
// (pg_ctlcluster is system-wide). initdb and postgres refuse to run as root, so as root they run
// as the "postgres" user (runuser); as anyone else, as that user.
//
//   const pg = await startPostgres('08-history'); pg.port, pg.jdbcUrl('pasarela'), pg.psql(db, sql);
//   await pg.stop();

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { HOST, freePort } = require('./ports');

const BIN = process.env.PG_BIN || (() => {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.length ? path.join(root, versions[0], 'bin') : null;
})();

function available() {
  return BIN !== null && fs.existsSync(path.join(BIN, 'initdb'));
}

function asOwner(args) {
  return process.getuid && process.getuid() === 0 ? ['runuser', ['-u', 'postgres', '--', ...args]] : [args[0], args.slice(1)];
}

function run(args, opts = {}) {
  const [cmd, rest] = asOwner(args);
  return execFileSync(cmd, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

async function startPostgres(logFile) {
  if (!available()) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pasarela-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  if (process.getuid && process.getuid() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  run([path.join(BIN, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const [cmd, rest] = asOwner([path.join(BIN, 'postgres'), '-D', data, '-p', String(port), '-k', dir,
    '-c', `listen_addresses=${HOST}`, '-c', 'fsync=off']);
  const log = fs.createWriteStream(logFile);
  const child = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const psql = (db, sql) => run([path.join(BIN, 'psql'), '-h', HOST, '-p', String(port), '-U', 'postgres', '-d', db,
    '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql]).trim();
  const deadline = Date.now() + 20000;
  for (;;) {
    try { psql('postgres', 'SELECT 1'); break; } catch (e) {
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 20 s: ${e.message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    port,
    jdbcUrl: (db) => `jdbc:postgresql://${HOST}:${port}/${db}`,
    psql,
    createDb: (db) => psql('postgres', `CREATE DATABASE ${db}`),
    async stop() {
      // The server process is runuser's child when we are root: signal the postmaster by its pid file.
      try {
        const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid, 'SIGINT'); // fast shutdown
      } catch { /* not running */ }
      const killer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10000);
      await exited;
      clearTimeout(killer);
      await new Promise((r) => log.end(r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startPostgres, available };
