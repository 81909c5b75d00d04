#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis that the tests use are up, starting
# the machine's own services when they are down. Fails, loudly, when they
# cannot be reached: tests of storage and queues never skip.
set -euo pipefail

pg_host=${PUSHD_TEST_PG_HOST:-127.0.0.1}
pg_port=${PUSHD_TEST_PG_PORT:-5432}
redis_port=${PUSHD_TEST_REDIS_PORT:-6379}

pg_up() { pg_isready -q -h "$pg_host" -p "$pg_port" 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; }

wait_for() { # name, check, seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    if $2; then return 0; fi
    sleep 0.1
  done
  echo "services: $1 did not come up within $3 s" >&2
  return 1
}

if ! pg_up; then
  echo "services: starting PostgreSQL" >&2
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  wait_for PostgreSQL pg_up 30
fi

if ! redis_up; then
  echo "services: starting Redis" >&2
  if command -v redis-server >/dev/null; then
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$redis_port" --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  fi
  wait_for Redis redis_up 15
fi

echo "services: PostgreSQL at $pg_host:$pg_port and Redis at 127.0.0.1:$redis_port are up" >&2
