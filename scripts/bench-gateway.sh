#!/usr/bin/env bash
# Gateway load runs for BENCHMARKS.md: starts pushd on the local PostgreSQL
# and Redis (a throw-away database and Redis DB 5), then
#   1. connects N idle devices and reports pushd's memory per connection;
#   2. broadcasts a 200-byte frame to N devices, ROUNDS times, and reports
#      the latency percentiles.
# Everything runs on loopback and stops by itself. N defaults to 10000
# (two processes of 10,000 sockets each fit the 20,000-file limit).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
ROUNDS=${ROUNDS:-5}
PORT=${PORT:-18100}
DB=pushd_bench
bin=$(mktemp -d)
go build -o "$bin/pushd" ./cmd/pushd
go build -o "$bin/pushd-load" ./cmd/pushd-load

start_pushd() {
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" 2>/dev/null -c "CREATE DATABASE $DB" >/dev/null
  redis-cli -n 5 flushdb >/dev/null
  PUSHD_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable" PUSHD_REDIS_URL=redis://127.0.0.1:6379/5 \
  PUSHD_MASTER_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= PUSHD_ADMIN_EMAIL=bench@example.com \
  PUSHD_ADMIN_PASSWORD=bench-password PUSHD_HTTP_ADDR=127.0.0.1:$PORT PUSHD_LOG_LEVEL=warn PUSHD_PPROF=true \
  PUSHD_LIMIT_REGISTER_ADDRESS_RPS=0 PUSHD_LIMIT_REGISTER_APP_RPS=0 PUSHD_LIMIT_CONNECT_ADDRESS_RPS=0 \
    "$bin/pushd" serve >"$bin/pushd.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do curl -sf "127.0.0.1:$PORT/readyz" >/dev/null && return; sleep 0.1; done
  echo "pushd did not start" >&2; exit 1
}
trap 'kill $PID 2>/dev/null || true; rm -rf "$bin"' EXIT
metric() { curl -s "127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1==m {print $2}'; }
heapstack() { curl -s "127.0.0.1:$PORT/debug/pprof/heap?gc=1" >/dev/null; echo $(( $(printf '%.0f' "$(metric go_memstats_heap_inuse_bytes)") + $(printf '%.0f' "$(metric go_memstats_stack_inuse_bytes)") )); }
rss() { awk '/VmRSS/ {print $2 * 1024}' "/proc/$PID/status"; }

echo "== idle connections (N=$N)"
start_pushd
"$bin/pushd-load" devices -url "http://127.0.0.1:$PORT" -email bench@example.com -password bench-password -n "$N" -hold 60s >"$bin/load.log" 2>&1 &
LOAD=$!
until grep -q registered "$bin/load.log"; do sleep 0.2; done
sleep 1; R0=$(rss); M0=$(heapstack)
until grep -q connected "$bin/load.log"; do sleep 0.2; done
sleep 3; R1=$(rss); M1=$(heapstack)
cat "$bin/load.log"
echo "per idle connection: RSS $(( (R1 - R0) / N )) B, Go heap+stacks $(( (M1 - M0) / N )) B, goroutines $(metric go_goroutines)"
kill $LOAD 2>/dev/null || true; wait $LOAD 2>/dev/null || true
kill $PID; wait $PID 2>/dev/null || true

echo "== broadcast of a 200-byte frame to $N devices, $ROUNDS rounds"
start_pushd
"$bin/pushd-load" broadcast -url "http://127.0.0.1:$PORT" -redis redis://127.0.0.1:6379/5 -email bench@example.com \
  -password bench-password -n "$N" -rounds "$ROUNDS" -size 200
