#!/usr/bin/env bash
# Runs test files with Node's own runner. Node 20 does not expand globs and finds no .ts files
# by itself, so the files are listed here, and a run that finds none fails.
#   scripts/test.sh [flags]             every test under test/ except the drills (npm test)
#   scripts/test.sh test/drills [flags] only the files under that folder (npm run test:drills)
# --test-timeout also bounds each file as a whole: 5 min, so a loaded machine cannot cut off a
# file of slow integration tests (each of those has its own, shorter, limit).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ] && [ -d "$1" ]; then
  root=$1
  shift
  mapfile -t files < <(find "$root" -name '*.test.ts' | sort)
else
  root=test
  # The drills start and kill whole processes for minutes: `npm run test:drills` runs them.
  mapfile -t files < <(find test -path test/drills -prune -o -name '*.test.ts' -print | sort)
fi
# Say at once what a run will miss (the tests themselves fail, saying the same).
if [ "$root" = test ]; then
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || echo "note: no chromium at ${CHROMIUM_PATH:-/usr/bin/chromium}: the status page's browser test will fail (apt-get install chromium, or set CHROMIUM_PATH)" >&2
  command -v redis-server >/dev/null 2>&1 || echo "note: no redis-server on the PATH: the Redis Cluster and Sentinel tests will fail (apt-get install redis-server)" >&2
fi
if [ "${#files[@]}" -eq 0 ]; then
  echo "no test files found under $root/" >&2
  exit 1
fi
# Three files at a time (Node's default on 2 cores is one): most integration files spend their
# time waiting on real chains and timers, not on the CPU; 8 min on 2 cores instead of ~20.
# A later --test-concurrency in the arguments wins.
exec node --import tsx --test --test-force-exit --test-timeout=300000 --test-concurrency=3 "$@" "${files[@]}"
