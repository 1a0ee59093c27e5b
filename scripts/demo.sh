#!/usr/bin/env bash
# Starts the demo kiosk: installs dependencies on a fresh clone, builds the UI, runs `oplatomat demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build:ui
exec node bin/oplatomat.mjs demo "$@"
