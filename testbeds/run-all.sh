#!/usr/bin/env bash
# Everything CI runs: install the tools, build the gateway with its unit tests, then every
# testbed (*.test.js under testbeds/), one file at a time. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash testbeds/install.sh

echo "== mvn -B package (unit and in-JVM integration tests included)"
mvn -B -ntp package

echo "== testbeds"
exec node --test --test-concurrency=1 --test-timeout=300000 testbeds/
