#!/usr/bin/env bash
# The whole test suite: system packages (when missing and we are root), UI build, lint, types, every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
[ -d node_modules ] || npm ci
npm run --silent build:ui
npx biome check .
npx tsc --noEmit -p tsconfig.json
npx vitest run "$@"
