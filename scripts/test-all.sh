#!/usr/bin/env bash
# The README's test command: installs everything, starts the local servers that
# deploy/local/ provides (the real Kafka and ClickHouse, a modern ClickHouse engine through
# chdb, moto for the AWS APIs and the Go pstest fake for Pub/Sub), installs Debian's
# Chromium for the report screenshots and promtool for the alerting rules, runs the license
# check, lint, type check and every test, then stops the servers it started.
# Servers that were already running are left running.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false

bash scripts/install-deps.sh

started=()
stop_started() {
  local status=$?
  for server in "${started[@]}"; do
    bash "deploy/local/$server.sh" stop || echo "warning: could not stop $server" >&2
  done
  exit "$status"
}
trap stop_started EXIT

# The modern ClickHouse (chdb 3.7.2, ClickHouse 25.8) runs the suites of test/clickhouse-modern.
export CIEM_CLICKHOUSE_MODERN_URL="${CIEM_CLICKHOUSE_MODERN_URL:-http://127.0.0.1:${CIEM_LOCAL_CLICKHOUSE_MODERN_PORT:-18124}}"

for server in kafka clickhouse clickhouse-modern moto pubsub; do
  bash "deploy/local/$server.sh" install
  if ! bash "deploy/local/$server.sh" status >/dev/null 2>&1; then
    bash "deploy/local/$server.sh" start
    started+=("$server")
  else
    echo "$server is already running; the tests use it and leave it running."
  fi
done

# The report rendering tests open the HTML in headless Chromium, which runs only per test.
bash deploy/local/chromium.sh install
# promtool checks the Prometheus configuration and runs the alerting rules' unit tests.
bash deploy/local/promtool.sh install

echo "== License check"
node scripts/check-licenses.mjs
echo "== Lint and format"
# Nx computes the project graph that the module-boundaries lint rule reads.
npx nx show projects >/dev/null
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }
echo "== Type check"
npx tsc -p tsconfig.json
echo "== Tests (unit, then integration against Kafka at ${CIEM_KAFKA_BROKERS:-127.0.0.1:9092}, ClickHouse at ${CIEM_CLICKHOUSE_URL:-http://127.0.0.1:8123} and the modern ClickHouse at ${CIEM_CLICKHOUSE_MODERN_URL})"
npx vitest run
