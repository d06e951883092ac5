#!/usr/bin/env bash
# Runs every test file with Node's own runner. Node 20 does not expand globs and finds no
# .ts files by itself, so the files are listed here, and a run that finds none fails.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test -name '*.test.ts' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "no test files found under test/" >&2
  exit 1
fi
exec node --import tsx --test --test-force-exit --test-timeout=120000 "$@" "${files[@]}"
