#!/usr/bin/env bash
# Runs the README's Quick start exactly as written, so it cannot rot: the
# first sh block (`make run`) in the background, as the first terminal,
# and every other sh block of the section in order in one bash, as the
# second terminal. Fails when a command fails, when pushd does not come up,
# or when the simulated device did not get the push. Needs curl and jq and
# port 8080, as the README does; runs in the repository (pushd-data/ holds
# the embedded stores).
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/pushd-quickstart.XXXXXX")
# The sh blocks between "## Quick start" and the next "## " heading.
awk -v dir="$work" '
  /^## / { inside = ($0 == "## Quick start") }
  inside && /^```sh$/ { n++; file = sprintf("%s/block%d.sh", dir, n); writing = 1; next }
  writing && /^```$/ { writing = 0; close(file); next }
  writing { print > file }
' README.md
blocks=("$work"/block*.sh)
[ "${#blocks[@]}" -ge 3 ] || { echo "quickstart: found ${#blocks[@]} sh blocks in the README's Quick start"; exit 1; }

server=
cleanup() {
  set +e
  pkill -f "bin/pushd device -url http://localhost:8080"
  if [ -n "$server" ]; then
    kill -INT -- -"$server"
    wait "$server"
  fi
  rm -rf "$work" jar device.log
}
trap cleanup EXIT

echo "== first terminal: $(cat "$work/block1.sh")"
set -m
bash -e "$work/block1.sh" >"$work/server.log" 2>&1 &
server=$!
set +m
for _ in $(seq 1 1200); do
  curl -sf http://localhost:8080/readyz >/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "quickstart: pushd exited"; tail -30 "$work/server.log"; exit 1; }
  sleep 0.5
done
curl -sf http://localhost:8080/readyz >/dev/null || { echo "quickstart: pushd not ready"; tail -30 "$work/server.log"; exit 1; }

echo "== second terminal"
cat "${blocks[@]:1}" >"$work/client.sh"
if ! timeout 120 bash -euo pipefail "$work/client.sh" >"$work/client.out" 2>&1; then
  echo "quickstart: a command failed:"; cat "$work/client.out"; tail -30 "$work/server.log"; exit 1
fi
cat "$work/client.out"
if grep -q '"errors"' "$work/client.out"; then echo "quickstart: an answer held errors"; exit 1; fi
grep -q '"event":"push".*"title":"Hi"' device.log || { echo "quickstart: the device got no push"; cat device.log; exit 1; }
grep -q '"status":' "$work/client.out" || { echo "quickstart: no progress read"; exit 1; }
echo "quickstart: ok"
