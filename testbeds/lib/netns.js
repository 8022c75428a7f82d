'use strict';
// A home network behind a NAT router, built from Linux network namespaces (iproute2) and iptables,
// for testing a browser that cannot reach the gateway directly. Needs root (CAP_SYS_ADMIN and
// CAP_NET_ADMIN), `ip` and `iptables` (Debian 12: iptables-nft, which works per namespace).
//
//   root namespace                 namespace <prefix>-router             namespace <prefix>-home
//   gateway, coturn, page server   NAT + firewall                        Chromium
//   pnNu 10.77.0.1/24  <-- veth -->  pnNr 10.77.0.2/24
//                                    pnNh 10.78.0.1/24  <-- veth -->  pnNb 10.78.0.2/24, default via 10.78.0.1
//
// N is this Node process's PID, so parallel runs do not collide. The root namespace gets one
// interface (pnNu, the far end of the router's uplink) and nothing else: no route, no sysctl, no
// iptables rule. IP forwarding, MASQUERADE (source NAT of 10.78.0.0/24 to 10.77.0.2) and the
// FORWARD filter live in the router namespace, so deleting the two namespaces removes every
// interface and rule this made (the veth ends in the root namespace die with their peers).
//
//   const nat = createNat();                  // throws a clear error if namespaces cannot be made
//   ... start servers bound to nat.publicAddress ...
//   nat.firewall({ allowTcp: [httpPort], allowUdp: [turnPort], blockUdp: { min, max } });
//   nat.allowTcp(pagePort);                   // later openings go before the DROP rules
//   nat.counter('direct-media')               // { pkts, bytes } of that FORWARD rule
//   nat.chromiumWrapper(dir)                  // a script that execs Chromium inside the home namespace
//   nat.destroy(); nat.leftovers()            // [] once everything is gone
//
// Every command runs with a 10 s timeout; a failed one throws with its stderr.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const PUBLIC_NET = '10.77.0';
const HOME_NET = '10.78.0';
const COMMAND_TIMEOUT_MS = 10000;

function run(command, args, { ns } = {}) {
  const argv = ns ? ['netns', 'exec', ns, command, ...args] : args;
  const file = ns ? 'ip' : command;
  try {
    return execFileSync(file, argv, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const stderr = e.stderr ? String(e.stderr).trim() : '';
    throw new Error(`\`${file} ${argv.join(' ')}\` failed: ${stderr || e.message}`);
  }
}

function which(command) {
  for (const dir of (process.env.PATH || '').split(':').concat(['/usr/sbin', '/sbin'])) {
    const file = path.join(dir || '.', command);
    try { fs.accessSync(file, fs.constants.X_OK); return file; } catch { /* next */ }
  }
  return null;
}

/** Namespaces whose name starts with `prefix`, from `ip netns list`. */
function namespacesStartingWith(prefix) {
  return run('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0]).filter((n) => n.startsWith(prefix));
}

/**
 * Builds the two namespaces, the veth pairs, addresses, routes and the NAT. Throws (after removing
 * whatever it had made) with a message saying what this environment lacks.
 * @param {object} [o]
 * @param {string} [o.prefix]   namespace name prefix (default pasarela-nat-<pid>)
 */
function createNat({ prefix = `pasarela-nat-${process.pid}` } = {}) {
  for (const tool of ['ip', 'iptables']) {
    if (!which(tool)) {
      throw new Error(`the NAT testbed needs \`${tool}\` (Debian packages iproute2 and iptables; testbeds/install.sh installs them)`);
    }
  }
  const taken = run('ip', ['-o', '-4', 'addr', 'show']).split('\n').filter((l) => l.includes(` ${PUBLIC_NET}.`) || l.includes(` ${HOME_NET}.`));
  if (taken.length) {
    throw new Error(`the NAT testbed uses ${PUBLIC_NET}.0/24 and ${HOME_NET}.0/24, but this machine already has:\n${taken.join('\n')}\n`
      + `(left over from a killed run? \`ip netns list\`, then \`ip netns del <name>\` for each pasarela-nat-<pid>-* whose PID is gone)`);
  }
  const tag = `pn${process.pid}`;
  const nat = {
    home: `${prefix}-home`,
    router: `${prefix}-router`,
    /** The root namespace's address: bind the gateway, coturn and the page server here. */
    publicAddress: `${PUBLIC_NET}.1`,
    /** The router's uplink address: every packet from home arrives with this source (MASQUERADE). */
    routerAddress: `${PUBLIC_NET}.2`,
    /** The browser's private address, never seen outside the home network. */
    homeAddress: `${HOME_NET}.2`,
    interfaces: { root: `${tag}u`, routerUp: `${tag}r`, routerHome: `${tag}h`, home: `${tag}b` },
    created: [],
  };
  const { root, routerUp, routerHome, home } = nat.interfaces;
  const ipn = (ns, ...args) => run('ip', ['-n', ns, ...args]);
  const inRouter = (command, ...args) => run(command, args, { ns: nat.router });

  try {
    try {
      run('ip', ['netns', 'add', nat.router]);
    } catch (e) {
      throw new Error(`cannot create network namespaces here, so the NAT testbed cannot run (it needs root with CAP_SYS_ADMIN and CAP_NET_ADMIN, not a restricted container): ${e.message}`);
    }
    nat.created.push(nat.router);
    run('ip', ['netns', 'add', nat.home]);
    nat.created.push(nat.home);
    // Uplink: root <-> router. Created in the root namespace, its peer moved into the router.
    run('ip', ['link', 'add', root, 'type', 'veth', 'peer', 'name', routerUp, 'netns', nat.router]);
    run('ip', ['addr', 'add', `${nat.publicAddress}/24`, 'dev', root]);
    run('ip', ['link', 'set', root, 'up']);
    ipn(nat.router, 'addr', 'add', `${nat.routerAddress}/24`, 'dev', routerUp);
    ipn(nat.router, 'link', 'set', routerUp, 'up');
    ipn(nat.router, 'link', 'set', 'lo', 'up');
    // Home LAN: router <-> home, both ends created straight in their namespaces.
    run('ip', ['link', 'add', routerHome, 'netns', nat.router, 'type', 'veth', 'peer', 'name', home, 'netns', nat.home]);
    ipn(nat.router, 'addr', 'add', `${HOME_NET}.1/24`, 'dev', routerHome);
    ipn(nat.router, 'link', 'set', routerHome, 'up');
    ipn(nat.home, 'addr', 'add', `${nat.homeAddress}/24`, 'dev', home);
    ipn(nat.home, 'link', 'set', home, 'up');
    ipn(nat.home, 'link', 'set', 'lo', 'up');
    ipn(nat.home, 'route', 'add', 'default', 'via', `${HOME_NET}.1`);
    // The router forwards and hides the home network behind its uplink address. Its FORWARD chain
    // drops everything until firewall() opens what the test allows.
    inRouter('sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
    inRouter('iptables', '-t', 'nat', '-A', 'POSTROUTING', '-s', `${HOME_NET}.0/24`, '-o', routerUp, '-j', 'MASQUERADE');
    inRouter('iptables', '-P', 'FORWARD', 'DROP');
  } catch (e) {
    destroy(nat);
    throw e;
  }

  const rule = (comment, ...spec) => ['-m', 'comment', '--comment', comment, ...spec];
  const fromHome = ['-i', routerHome, '-s', `${HOME_NET}.0/24`, '-d', nat.publicAddress];

  Object.assign(nat, {
    /**
     * The router's filter: replies back in, the given openings out, then a counted DROP of UDP from
     * home to `blockUdp` (the gateway's media ports: the direct path) and a counted DROP of the rest.
     */
    firewall({ allowTcp = [], allowUdp = [], blockUdp }) {
      inRouter('iptables', '-A', 'FORWARD', '-i', routerUp, '-o', routerHome,
        ...rule('replies', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'));
      for (const port of allowTcp) nat.allowTcp(port);
      for (const port of allowUdp) nat.allowUdp(port);
      inRouter('iptables', '-A', 'FORWARD', ...fromHome,
        ...rule('direct-media', '-p', 'udp', '--dport', `${blockUdp.min}:${blockUdp.max}`, '-j', 'DROP'));
      inRouter('iptables', '-A', 'FORWARD', '-i', routerHome, ...rule('everything-else', '-j', 'DROP'));
    },
    /** Lets home open TCP connections to publicAddress:port (inserted first, so before every DROP). */
    allowTcp(port) {
      inRouter('iptables', '-I', 'FORWARD', '1', ...fromHome, ...rule(`tcp-${port}`, '-p', 'tcp', '--dport', String(port), '-j', 'ACCEPT'));
    },
    allowUdp(port) {
      inRouter('iptables', '-I', 'FORWARD', '1', ...fromHome, ...rule(`udp-${port}`, '-p', 'udp', '--dport', String(port), '-j', 'ACCEPT'));
    },
    /** The router's FORWARD chain as `iptables -L -v -x -n` prints it. */
    forwardTable: () => inRouter('iptables', '-L', 'FORWARD', '-v', '-x', '-n'),
    /** NAT table of the router, for failure messages. */
    natTable: () => inRouter('iptables', '-t', 'nat', '-L', 'POSTROUTING', '-v', '-x', '-n'),
    /** { pkts, bytes } of the FORWARD rule with this comment, from `iptables -L FORWARD -v -x -n`. */
    counter(comment) {
      const table = nat.forwardTable();
      const line = table.split('\n').find((l) => l.includes(`/* ${comment} */`));
      if (!line) throw new Error(`no FORWARD rule "${comment}" in the router namespace:\n${table}`);
      const [pkts, bytes] = line.trim().split(/\s+/).map(Number);
      return { pkts, bytes };
    },
    /**
     * Writes an executable script that runs Chromium inside the home namespace and returns its path.
     * `ip netns exec` execs in place (no fork), and so does the script, so Playwright's launch()
     * keeps its pipe to Chromium (--remote-debugging-pipe, fds 3 and 4) and the PID it started is
     * Chromium's. It also gives the process a private mount namespace with that namespace's /sys.
     */
    chromiumWrapper(dir, chromium = process.env.CHROMIUM || '/usr/bin/chromium') {
      const file = path.join(dir, 'chromium-in-home-namespace.sh');
      fs.writeFileSync(file, `#!/bin/sh\nexec ip netns exec '${nat.home}' '${chromium}' "$@"\n`, { mode: 0o755 });
      return file;
    },
    /** Removes both namespaces (and with them every veth and rule); safe to call twice. */
    destroy: () => destroy(nat),
    /** What of this topology still exists: namespace names and interface names; [] when clean. */
    leftovers() {
      const left = namespacesStartingWith(prefix);
      const links = run('ip', ['-o', 'link', 'show']);
      for (const name of Object.values(nat.interfaces)) if (links.includes(`: ${name}@`) || links.includes(`: ${name}:`)) left.push(name);
      return left;
    },
  });
  return nat;
}

function destroy(nat) {
  const errors = [];
  for (const ns of [...nat.created].reverse()) {
    try {
      run('ip', ['netns', 'del', ns]);
    } catch (e) {
      if (!/No such file/.test(e.message)) errors.push(e.message);
    }
  }
  nat.created = [];
  if (errors.length) throw new Error(`could not remove the NAT testbed's namespaces: ${errors.join('; ')}`);
}

/** The root namespace's iptables rules (filter and nat), to check that a test left them as they were. */
function rootRules() {
  return ['filter', 'nat'].map((t) => run('iptables', ['-t', t, '-S'])).join('');
}

module.exports = { createNat, rootRules };
