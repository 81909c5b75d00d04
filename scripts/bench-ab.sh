#!/usr/bin/env bash
# Alternated pipeline runs of two or more builds of pushd-load, for a
# before/after comparison on a machine whose run-to-run spread is larger
# than the change measured. Every run gets a fresh database and Redis DB 5.
#   scripts/bench-ab.sh ROUNDS "/tmp/load-old" "/tmp/load-new" -- -vendors -latency 20ms -n 100000
# Each argument before -- is a command line (environment assignments
# allowed) that runs `pipeline`. Prints the machine's CPU time over each
# run, the time to the job's DONE and to the last message at a fake.
set -euo pipefail
rounds=$1; shift
cmds=()
while [ "$1" != "--" ]; do cmds+=("$1"); shift; done
shift
DB=pushd_bench
URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable"
cpu() { awk '/^cpu /{print $2+$3+$4+$6+$7+$8}' /proc/stat; }
for _ in $(seq 1 "$rounds"); do
  for c in "${cmds[@]}"; do
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null 2>&1
    redis-cli -n 5 flushdb >/dev/null
    t0=$(cpu)
    # shellcheck disable=SC2086 # each command line is split on purpose
    out=$(env $c pipeline -database-url "$URL" -redis-url redis://127.0.0.1:6379/5 "$@" 2>&1 | tail -1)
    t1=$(cpu)
    echo "[$c] cpu=$(((t1 - t0) / 100))s $(echo "$out" | grep -o 'all final after [^:]*\|fake after [0-9.]*s' | tr '\n' ' ')"
  done
done
