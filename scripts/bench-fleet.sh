#!/usr/bin/env bash
# A fleet of N connected WebSocket devices (100,000 by default) on one
# machine, for BENCHMARKS.md: a split deployment on the local PostgreSQL
# and Redis (a throw-away database and Redis DB, $DB and $REDIS_DB): one
# `pushd api`, one `pushd worker` and GATEWAYS `pushd gateway` processes,
# with as many load processes, each holding a gateway's share of the
# devices from source addresses of its own (127.0.0.10 on, two each).
# Every process stays under the 20,000 open files a process may have here.
#
# Once every device is connected and its resume answered, it reports each
# gateway's memory per connection (RSS and Go heap + stacks, against the
# same process before its devices came), then sends ROUNDS signed
# pushBroadcast mutations and reports the latency from each mutation's
# send to every device's frame, over all load processes, and the CPU that
# each kind of pushd process, PostgreSQL and Redis spent per 1,000
# deliveries during the rounds. A device the server disconnects, or
# refuses as busy, reconnects as an SDK does; the load logs count them.
#
# BIN, if set, is a directory holding pushd and pushd-load already built.
# Everything runs on loopback and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
GATEWAYS=${GATEWAYS:-6}
ROUNDS=${ROUNDS:-3}
GAP=${GAP:-30s}
TIMEOUT=${TIMEOUT:-120s}
# Registrations and connections in flight per load process: on two cores
# shared by everything, more only queue up and starve the devices' pongs.
CONCURRENCY=${CONCURRENCY:-8}
# Pings every HEARTBEAT; a device must answer within 10 s.
export PUSHD_DEVICE_HEARTBEAT=${HEARTBEAT:-30s}
PORT=${PORT:-18200}
DB=${DB:-pushd_bench}
REDIS_DB=${REDIS_DB:-5}
# 6 gateways of 6 + 3, an api of 8 + 4 and a worker of 16 + 8
# connections stay under PostgreSQL's default max_connections of 100.
GATEWAY_CONNS=${GATEWAY_CONNS:-6}
WORKER_CONNS=${WORKER_CONNS:-16}
API_CONNS=${API_CONNS:-8}

work=$(mktemp -d)
if [ -n "${BIN:-}" ]; then
  cp "$BIN/pushd" "$BIN/pushd-load" "$work/"
else
  go build -o "$work/pushd" ./cmd/pushd
  go build -o "$work/pushd-load" ./cmd/pushd-load
fi
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" 2>/dev/null -c "CREATE DATABASE $DB" >/dev/null
redis-cli -n "$REDIS_DB" flushdb >/dev/null
export PUSHD_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable"
export PUSHD_REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB
export PUSHD_MASTER_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
export PUSHD_LOG_LEVEL=warn PUSHD_PPROF=true
export PUSHD_LIMIT_REGISTER_ADDRESS_RPS=0 PUSHD_LIMIT_REGISTER_APP_RPS=0 PUSHD_LIMIT_CONNECT_ADDRESS_RPS=0

# start ROLE PORT CONNS [VAR=value...]: a pushd process, once it is ready.
start() {
  local role=$1 port=$2 conns=$3
  shift 3
  env PUSHD_HTTP_ADDR=127.0.0.1:$port PUSHD_DATABASE_MAX_CONNS=$conns "$@" \
    "$work/pushd" "$role" >"$work/$role-$port.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return; sleep 0.1; done
  echo "pushd $role on $port did not start" >&2
  exit 1
}
metric() { curl -s "$1/metrics" | awk -v m="$2" '$1==m {printf "%.0f\n", $2}'; }
memory() { # URL PID: RSS and Go heap + stacks, in bytes
  curl -s "$1/debug/pprof/heap?gc=1" >/dev/null
  echo "$(awk '/VmRSS/ {print $2 * 1024}' "/proc/$2/status") $(($(metric "$1" go_memstats_heap_inuse_bytes) + $(metric "$1" go_memstats_stack_inuse_bytes)))"
}
cpu_ticks() { # the user + system clock ticks of the given PIDs
  local sum=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && sum=$((sum + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo $sum
}

API=http://127.0.0.1:$PORT
start api "$PORT" "$API_CONNS" PUSHD_ADMIN_EMAIL=bench@example.com PUSHD_ADMIN_PASSWORD=bench-password
API_PID=${PIDS[-1]}
start worker $((PORT + 1)) "$WORKER_CONNS"
WORKER_PID=${PIDS[-1]}
GW_URLS=() GW_PIDS=() GW_MEM0=()
for g in $(seq 0 $((GATEWAYS - 1))); do
  start gateway $((PORT + 10 + g)) "$GATEWAY_CONNS"
  GW_PIDS+=("${PIDS[-1]}")
  GW_URLS+=("http://127.0.0.1:$((PORT + 10 + g))")
done
sleep 2
for g in "${!GW_URLS[@]}"; do GW_MEM0+=("$(memory "${GW_URLS[$g]}" "${GW_PIDS[$g]}")"); done

share=$(((N + GATEWAYS - 1) / GATEWAYS))
all_metrics=$(IFS=,; echo "${GW_URLS[*]}")
LOAD_PIDS=() OUTS=()
for g in $(seq 0 $((GATEWAYS - 1))); do
  n=$share
  [ $g -eq $((GATEWAYS - 1)) ] && n=$((N - share * (GATEWAYS - 1)))
  lo=$((10 + 2 * g))
  args=(-url "$API" -gateways "${GW_URLS[$g]}" -sources "$lo-$((lo + 1))" -app "$work/app.json"
    -n "$n" -c "$CONCURRENCY" -rounds "$ROUNDS" -gap "$GAP" -timeout "$TIMEOUT" -size 200 -out "$work/lat-$g.txt")
  if [ $g -eq 0 ]; then
    args+=(-email bench@example.com -password bench-password -expect "$N" -metrics "$all_metrics" -idle 15s)
  else
    args+=(-send=false)
  fi
  "$work/pushd-load" broadcast -e2e "${args[@]}" >"$work/load-$g.log" 2>&1 &
  LOAD_PIDS+=($!)
  OUTS+=("$work/lat-$g.txt")
  # The first process creates the run's app; the others read it.
  [ $g -eq 0 ] && until [ -s "$work/app.json" ]; do sleep 0.2; done
done

until grep -q "idle for" "$work/load-0.log"; do
  kill -0 "${LOAD_PIDS[0]}" 2>/dev/null || { cat "$work"/load-*.log; exit 1; }
  sleep 1
done
echo "== $N devices over $GATEWAYS gateways"
grep -h "registered\|connected" "$work"/load-*.log | sort | uniq -c | sed 's/^ *//'
sleep 5
total_rss=0
for g in "${!GW_URLS[@]}"; do
  read -r r0 m0 <<<"${GW_MEM0[$g]}"
  read -r r1 m1 <<<"$(memory "${GW_URLS[$g]}" "${GW_PIDS[$g]}")"
  c=$(metric "${GW_URLS[$g]}" pushd_gateway_connections)
  total_rss=$((total_rss + r1))
  echo "gateway $g: $c connections, RSS $((r1 / 1048576)) MB, per connection RSS $(((r1 - r0) / c)) B, Go heap+stacks $(((m1 - m0) / c)) B, goroutines $(metric "${GW_URLS[$g]}" go_goroutines)"
done
load_rss=0
for p in "${LOAD_PIDS[@]}"; do load_rss=$((load_rss + $(awk '/VmRSS/ {print $2}' "/proc/$p/status"))); done
echo "gateways' RSS in all: $((total_rss / 1048576)) MB; the load processes': $((load_rss / 1024)) MB; memory available: $(awk '/MemAvailable/ {print int($2 / 1024)}' /proc/meminfo) MB"

pg_pids() { pgrep -u postgres | tr '\n' ' '; }
c0_pg=$(cpu_ticks $(pg_pids)) c0_api=$(cpu_ticks "$API_PID") c0_worker=$(cpu_ticks "$WORKER_PID")
c0_gw=$(cpu_ticks "${GW_PIDS[@]}") c0_redis=$(cpu_ticks $(pgrep redis-server))
wait "${LOAD_PIDS[0]}" || { cat "$work"/load-*.log; exit 1; }
for p in "${LOAD_PIDS[@]:1}"; do wait "$p" || { cat "$work"/load-*.log; exit 1; }; done
c1_pg=$(cpu_ticks $(pg_pids)) c1_api=$(cpu_ticks "$API_PID") c1_worker=$(cpu_ticks "$WORKER_PID")
c1_gw=$(cpu_ticks "${GW_PIDS[@]}") c1_redis=$(cpu_ticks $(pgrep redis-server))
echo "== $ROUNDS signed pushBroadcast rounds, from the mutation's send to each frame"
grep -h "mutation answered" "$work/load-0.log"
"$work/pushd-load" broadcast -e2e -merge "$(IFS=,; echo "${OUTS[*]}")" -n "$N" -rounds "$ROUNDS"
grep -h "connection ended\|could not reconnect" "$work"/load-*.log | sort | uniq -c | head || true
per_k() { echo "$((($1 - $2) * 10 * 1000 / (N * ROUNDS)))"; }
echo "CPU per 1,000 deliveries during the rounds (ms): PostgreSQL $(per_k "$c1_pg" "$c0_pg"), api $(per_k "$c1_api" "$c0_api"), worker $(per_k "$c1_worker" "$c0_worker"), gateways $(per_k "$c1_gw" "$c0_gw"), Redis $(per_k "$c1_redis" "$c0_redis")"
psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "SELECT status, count(*) FROM deliveries GROUP BY 1 ORDER BY 1" | sed 's/^/deliveries: /'
