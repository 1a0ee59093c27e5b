#!/usr/bin/env bash
# The whole test suite: system packages (when missing and we are root), UI build, lint, types, every
# test, then a scan of every log line the tests produced for card numbers and tokens.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build:ui
npx biome check .
npx tsc --noEmit -p tsconfig.json
rm -rf test-results/logs test-results/summary.txt
mkdir -p test-results/logs
status=0
npx vitest run "$@" || status=$?
node --import tsx scripts/scan-logs.ts test-results/logs || status=1
[ -f test-results/summary.txt ] && cat test-results/summary.txt
exit $status
