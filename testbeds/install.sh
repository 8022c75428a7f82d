#!/usr/bin/env bash
# Installs what the testbeds need on a fresh Debian 12, as root: a JDK 17 and Maven to build the
# gateway, SIPp (Debian package sip-tester) to play the SIP side, dnsmasq-base (the dnsmasq binary
# without a system service: testbed 02 runs its own on a free port) and openssl (throwaway test
# certificates), Node.js to drive the browser side, Chromium (a real browser, driven by the npm
# package playwright-core; never `playwright install`), baresip (a real SIP phone) and sox (test
# tones), tshark (testbed 04 decodes the SIP-side RTP it captures on lo: RFC 4733 events), postgresql
# (testbed 08 runs its own throw-away server with initdb + postgres on a free port; the system cluster
# is not used), kamailio (testbed 05: a registrar with digest auth; its core package has auth, usrloc,
# registrar and ctl for kamcmd) and kamailio-tls-modules (its tls.so: testbed 10-incoming's transports.test.js
# runs Kamailio on SIP/TLS too), fail2ban (fail2ban-regex checks the documented filter), sipvicious
# (testbed 07: the scanners svwar and svcrack, installed as /usr/bin/svwar and /usr/bin/svcrack), coturn
# (testbed 09-turn: a TURN server run in the foreground with its own config in testbeds/out/; its system service
# is not used), iproute2 and iptables (09-turn/nat.test.js: a browser in a network namespace behind a NAT router;
# Debian 12's iptables is the nft flavour, which works per namespace), systemd (11-service checks the shipped unit
# with systemd-analyze verify; nothing is started as a service), and the testbeds' npm dependencies from the
# committed package-lock.json.
# Safe to run again: apt-get install and npm ci leave an installed machine as it is.
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (it uses apt-get)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
packages=(openjdk-17-jdk-headless maven sip-tester dnsmasq-base openssl chromium baresip sox tshark postgresql kamailio kamailio-tls-modules fail2ban coturn sipvicious iproute2 iptables systemd)
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "install.sh: Node.js $(node --version) is too old; the testbeds need 20 or later (node:test with --test-concurrency and t.passed)" >&2
  exit 1
fi

npm ci --no-audit --no-fund
echo "install.sh: java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(mvn -B -v 2>/dev/null | head -1 | cut -d' ' -f1-3), $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*' | head -1), node $(node --version)"
echo "install.sh: $(/usr/bin/chromium --version 2>/dev/null | head -1), $(baresip -h 2>&1 | head -1 | cut -d' ' -f1-2), $(sox --version 2>/dev/null | grep -o 'v[0-9.]*' | head -1 | sed 's/^/sox /')"
