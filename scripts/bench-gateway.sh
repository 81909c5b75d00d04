#!/usr/bin/env bash
# Gateway load runs for BENCHMARKS.md: starts pushd on the local PostgreSQL
# and Redis (a throw-away database and Redis DB, $DB and $REDIS_DB), then
#   1. connects N idle devices, then N_MAX, and reports pushd's memory per
#      connection (RSS from /proc before connecting and once all are
#      connected and idle, their resumes answered, and Go heap + stacks);
#   2. broadcasts a 200-byte frame to N devices, ROUNDS times, from the
#      hand-off to the gateways (pushd-load broadcast);
#   3. sends a signed pushBroadcast to N connected devices, ROUNDS times,
#      and reports the latency from the mutation's send to each device's
#      frame (pushd-load broadcast -e2e).
# PARTS picks among idle, handoff and e2e (default: all three), and BIN, if
# set, is a directory holding pushd and pushd-load already built (to
# alternate two builds). Everything runs on loopback and stops by itself. The load process's
# connections spread over the source addresses 127.0.0.2-5, and both pushd
# and the load tool stay under the 20,000-file limit at N_MAX=19000.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
N_MAX=${N_MAX:-19000}
ROUNDS=${ROUNDS:-5}
PORT=${PORT:-18100}
DB=${DB:-pushd_bench}
REDIS_DB=${REDIS_DB:-5}
PARTS=${PARTS:-idle handoff e2e}
bin=$(mktemp -d)
if [ -n "${BIN:-}" ]; then
  cp "$BIN/pushd" "$BIN/pushd-load" "$bin/"
else
  go build -o "$bin/pushd" ./cmd/pushd
  go build -o "$bin/pushd-load" ./cmd/pushd-load
fi
part() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
URL="http://127.0.0.1:$PORT"
LOGIN=(-email bench@example.com -password bench-password)

start_pushd() {
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" 2>/dev/null -c "CREATE DATABASE $DB" >/dev/null
  redis-cli -n "$REDIS_DB" flushdb >/dev/null
  PUSHD_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable" PUSHD_REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB \
  PUSHD_MASTER_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= PUSHD_ADMIN_EMAIL=bench@example.com \
  PUSHD_ADMIN_PASSWORD=bench-password PUSHD_HTTP_ADDR=127.0.0.1:$PORT PUSHD_LOG_LEVEL=warn PUSHD_PPROF=true \
  PUSHD_LIMIT_REGISTER_ADDRESS_RPS=0 PUSHD_LIMIT_REGISTER_APP_RPS=0 PUSHD_LIMIT_CONNECT_ADDRESS_RPS=0 \
    "$bin/pushd" serve >"$bin/pushd.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do curl -sf "$URL/readyz" >/dev/null && return; sleep 0.1; done
  echo "pushd did not start" >&2; exit 1
}
stop_pushd() { kill "$PID"; wait "$PID" 2>/dev/null || true; }
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$bin"' EXIT
metric() { curl -s "$URL/metrics" | awk -v m="$1" '$1==m {print $2}'; }
heapstack() { curl -s "$URL/debug/pprof/heap?gc=1" >/dev/null; echo $(( $(printf '%.0f' "$(metric go_memstats_heap_inuse_bytes)") + $(printf '%.0f' "$(metric go_memstats_stack_inuse_bytes)") )); }
rss() { awk '/VmRSS/ {print $2 * 1024}' "/proc/$PID/status"; }

idle() {
  local n=$1
  echo "== idle connections (n=$n)"
  start_pushd
  "$bin/pushd-load" broadcast -e2e -url "$URL" "${LOGIN[@]}" -n "$n" -sources 2-5 -hold 60s >"$bin/load.log" 2>&1 &
  local load=$!
  until grep -q registered "$bin/load.log"; do sleep 0.2; done
  sleep 1; local r0 m0; r0=$(rss); m0=$(heapstack)
  until grep -q '^connected' "$bin/load.log"; do sleep 0.2; done
  # Idle means every connection's resume is answered: wait for the
  # gateway's backlog reads to drain (at most two minutes), then a moment.
  local waited=0
  # (A build without that metric gets 10 s.)
  [ -z "$(metric pushd_gateway_backlog_reads)" ] && waited=550
  until [ "$(metric pushd_gateway_backlog_reads)" = "0" ] || [ $waited -ge 600 ]; do sleep 0.2; waited=$((waited + 1)); done
  echo "backlog reads drained $((waited / 5)) s after the last connection"
  sleep 2; local r1 m1; r1=$(rss); m1=$(heapstack)
  cat "$bin/load.log"
  echo "per idle connection: RSS $(( (r1 - r0) / n )) B, Go heap+stacks $(( (m1 - m0) / n )) B, goroutines $(metric go_goroutines)"
  kill $load 2>/dev/null || true; wait $load 2>/dev/null || true
  stop_pushd
}
if part idle; then
  idle "$N"
  idle "$N_MAX"
fi

if part handoff; then
  echo "== broadcast of a 200-byte frame to $N devices from the hand-off, $ROUNDS rounds"
  start_pushd
  "$bin/pushd-load" broadcast -url "$URL" -redis "redis://127.0.0.1:6379/$REDIS_DB" "${LOGIN[@]}" -n "$N" -rounds "$ROUNDS" -size 200
  stop_pushd
fi

if part e2e; then
  echo "== signed pushBroadcast of a 200-byte body to $N connected devices, $ROUNDS rounds"
  start_pushd
  "$bin/pushd-load" broadcast -e2e -url "$URL" "${LOGIN[@]}" -n "$N" -sources 2-5 -rounds "$ROUNDS" -size 200
  stop_pushd
fi
