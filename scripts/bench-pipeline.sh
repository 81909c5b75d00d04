#!/usr/bin/env bash
# Push pipeline runs for BENCHMARKS.md, on the local PostgreSQL and Redis
# (a throw-away database and Redis DB 5):
#   1. a broadcast to N registered devices through a discarding stand-in
#      for FCM (pushd-load pipeline), ROUNDS times;
#   2. the same broadcast through the real vendor adapters and the vendor
#      fakes with 20 ms latency (pushd-load pipeline -vendors), ROUNDS times,
#      then through the APNs fake alone (-only APNS), ROUNDS times; each
#      run prints its CPU per 1,000 deliveries (the machine's is pushd's,
#      PostgreSQL's and Redis's when nothing else runs);
#   3. pushSimple as a backend calls it (signed) against `pushd serve`
#      (pushd-load simple): sequentially, 32 at a time, and offered at 300
#      and 500 requests/s (open loop), to one connected device that acks;
#   4. 1,000 liveStats subscribers on the same pushd (pushd-load live).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
ROUNDS=${ROUNDS:-3}
REQUESTS=${REQUESTS:-5000}
PORT=${PORT:-18200}
DB=pushd_bench
DBURL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable"
bin=$(mktemp -d)
go build -o "$bin/pushd" ./cmd/pushd
go build -o "$bin/pushd-load" ./cmd/pushd-load
fresh() {
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" 2>/dev/null -c "CREATE DATABASE $DB" >/dev/null
  redis-cli -n 5 flushdb >/dev/null
}
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$bin"' EXIT

echo "== broadcast to $N devices through the discarding stand-in, $ROUNDS rounds"
for _ in $(seq 1 "$ROUNDS"); do
  fresh
  "$bin/pushd-load" pipeline -database-url "$DBURL" -redis-url redis://127.0.0.1:6379/5 -n "$N" | tail -2
done

echo "== broadcast to $N devices through the vendor fakes (20 ms latency), $ROUNDS rounds"
for _ in $(seq 1 "$ROUNDS"); do
  fresh
  "$bin/pushd-load" pipeline -vendors -latency 20ms -database-url "$DBURL" -redis-url redis://127.0.0.1:6379/5 -n "$N" | tail -2
done

echo "== broadcast to $N devices through the APNs fake alone (20 ms latency), $ROUNDS rounds"
for _ in $(seq 1 "$ROUNDS"); do
  fresh
  "$bin/pushd-load" pipeline -vendors -only APNS -latency 20ms -database-url "$DBURL" -redis-url redis://127.0.0.1:6379/5 -n "$N" | tail -2
done

echo "== pushSimple, signed, $REQUESTS requests"
fresh
PUSHD_DATABASE_URL="$DBURL" PUSHD_REDIS_URL=redis://127.0.0.1:6379/5 \
PUSHD_MASTER_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= PUSHD_ADMIN_EMAIL=bench@example.com \
PUSHD_ADMIN_PASSWORD=bench-password PUSHD_HTTP_ADDR=127.0.0.1:$PORT PUSHD_LOG_LEVEL=warn \
PUSHD_LIMIT_SUBSCRIPTIONS_PER_ACCOUNT=0 \
  "$bin/pushd" serve >"$bin/pushd.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -sf "127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
for args in "-c 1" "-c 32" "-c 64 -rate 300" "-c 64 -rate 500"; do
  # shellcheck disable=SC2086 # the flags are meant to split
  "$bin/pushd-load" simple -url "http://127.0.0.1:$PORT" -email bench@example.com -password bench-password -n "$REQUESTS" $args
done

echo "== 1,000 liveStats subscribers on this pushd"
"$bin/pushd-load" live -url "http://127.0.0.1:$PORT" -email bench@example.com -password bench-password -n 1000 -d 30s
