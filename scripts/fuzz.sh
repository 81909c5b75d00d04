#!/usr/bin/env bash
# Runs every fuzz target (a `func FuzzX` in a _test.go file) for FUZZTIME
# each, one `go test -fuzz` per target since -fuzz takes one target per
# package run. FUZZ, a regular expression, picks targets by package or
# name (FUZZ=gateway, FUZZ=FuzzDecode). A failing input is written to the
# package's testdata/fuzz/FuzzX/: commit it with the fix, as a regression
# seed that plain `go test` runs from then on. Ends with a line per target
# (result, time, executions) and fails if any target failed.
set -uo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
FUZZTIME=${FUZZTIME:-30s}
FUZZ=${FUZZ:-}
logs=$(mktemp -d "${TMPDIR:-/tmp}/pushd-fuzz.XXXXXX")

# "<dir> <FuzzX>" for every target in the files git tracks or would track.
mapfile -t targets < <(
  git ls-files -co --exclude-standard -- '*_test.go' |
    xargs grep -H -o -E '^func Fuzz[A-Za-z0-9_]*\(' |
    sed -E 's#^(.*)/[^/]*:func (Fuzz[A-Za-z0-9_]*)\($#\1 \2#' |
    sort -u
)

failed=0
summary=()
for t in "${targets[@]}"; do
  read -r dir name <<<"$t"
  if [ -n "$FUZZ" ] && ! grep -qE -- "$FUZZ" <<<"./$dir.$name"; then
    continue
  fi
  log="$logs/${dir//\//_}.$name.log"
  echo "== ./$dir $name ($FUZZTIME)"
  start=$(date +%s)
  if "$GO" test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "./$dir" >"$log" 2>&1; then
    result=ok
  else
    result=FAIL
    failed=1
    tail -n 30 "$log"
  fi
  took=$(($(date +%s) - start))
  execs=$(grep -o 'execs: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  summary+=("$(printf '%-4s %-28s %-24s %5ss  execs %s' "$result" "./$dir" "$name" "$took" "${execs:-?}")")
done

echo
echo "fuzz: $FUZZTIME per target, logs in $logs"
printf '%s\n' "${summary[@]}"
exit "$failed"
