#!/usr/bin/env bash
# Verifies docs/alerts.yaml against Prometheus' own tooling (Debian package `prometheus`):
#   1. promtool check rules   – the rules parse;
#   2. promtool test rules    – test/alerts/alerts.test.yaml: each alert fires (and stays quiet) as intended;
#      and the same two for every feature's own rules, src/features/<name>/<name>.alerts.yaml, each
#      with its unit test beside it (<name>.alerts.test.yaml, required);
#   3. promtool check metrics – a real scrape of the built app follows the exposition-format and naming rules.
# The metric names used by the rules are compared with a real scrape by test/e2e/alerts.e2e-spec.ts.
# Usage: scripts/check-alerts.sh   (SKIP_BUILD=1 to reuse an up-to-date dist/)
set -euo pipefail
cd "$(dirname "$0")/.."

command -v promtool >/dev/null || { echo "promtool not found: apt-get install -y prometheus" >&2; exit 1; }

promtool check rules docs/alerts.yaml
promtool test rules test/alerts/alerts.test.yaml

# A feature's rules live next to its code; each rule file needs its test file.
shopt -s nullglob
for rules in src/features/*/*.alerts.yaml; do
  case "$rules" in *.alerts.test.yaml) continue ;; esac
  tests="${rules%.alerts.yaml}.alerts.test.yaml"
  [ -f "$tests" ] || { echo "$rules has no test file: add $tests (promtool test rules)" >&2; exit 1; }
  promtool check rules "$rules"
  promtool test rules "$tests"
done
shopt -u nullglob

[ "${SKIP_BUILD:-0}" = 1 ] && [ -f dist/src/main.js ] || npm run build --silent

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
log=$(mktemp) scrape=$(mktemp)
NODE_ENV=test HOST=127.0.0.1 PORT="$port" DATABASE_URL=sqlite::memory: LOG_LEVEL=warn SHUTDOWN_DELAY_SECONDS=0 \
  node dist/src/main.js >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log" "$scrape"' EXIT

base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -fsS "$base/health/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "the app exited before it was ready" >&2; exit 1; }
  sleep 0.2
done
curl -fsS "$base/health/ready" >/dev/null

# Some traffic, so the HTTP series exist: 201, 200, 401, 404, 400. The token is a
# development token for the same (test) configuration.
token=$(NODE_ENV=test npm run --silent token -- --sub scrape --scope "items:read items:write")
auth="authorization: Bearer $token"
curl -sS -o /dev/null -X POST -H "$auth" -H 'content-type: application/json' \
  -d '{"sku":"scrape-1","name":"Scrape","priceCents":1,"currency":"EUR"}' "$base/items"
curl -sS -o /dev/null -H "$auth" "$base/items"
curl -sS -o /dev/null "$base/items"
curl -sS -o /dev/null "$base/no/such/route"
curl -sS -o /dev/null -X POST -H "$auth" -H 'content-type: application/json' -d '{}' "$base/items"
curl -fsS "$base/metrics" >"$scrape"

grep -q '^http_server_request_duration_seconds_bucket{' "$scrape" || { echo "no HTTP metrics in the scrape" >&2; exit 1; }
# promtool exits 3 for naming-lint findings, anything else non-zero for a malformed exposition.
# Known upstream findings are allowed, by exact text: prom-client's default gauges
# nodejs_active_{handles,requests,resources}_total keep their names (dashboards use them).
allowed='^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$'
set +e
findings=$(promtool check metrics <"$scrape" 2>&1)
rc=$?
set -e
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then echo "$findings" >&2; exit "$rc"; fi
unexpected=$(printf '%s\n' "$findings" | grep -Ev "$allowed" | grep -v '^$' || true)
if [ -n "$unexpected" ]; then
  echo "promtool check metrics found problems in the scrape:" >&2
  echo "$unexpected" >&2
  exit 1
fi
echo "alerts and metrics: OK"
