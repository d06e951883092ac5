#!/usr/bin/env bash
# Runs every test file with Node's own runner. Node 20 does not expand globs and finds no
# .ts files by itself, so the files are listed here, and a run that finds none fails.
# --test-timeout also bounds each file as a whole: 5 min, so a loaded machine cannot cut off a
# file of slow integration tests (each of those has its own, shorter, limit).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test -name '*.test.ts' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "no test files found under test/" >&2
  exit 1
fi
exec node --import tsx --test --test-force-exit --test-timeout=300000 "$@" "${files[@]}"
