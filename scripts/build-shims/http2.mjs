// Stands in for `node:http2` in the release bundle (scripts/build-daemon.mjs). fastify requires it when it
// loads but calls it only for `http2: true`, which neither the kiosk nor the hub sets; on Node 24 loading
// it cost the daemon's start 21 of Node's modules and 2-4 MB (docs/benchmarks.md, "Memory, third pass").
// The real module is loaded at the first call.
import { lazyBuiltin } from "./lazy-builtin.mjs";

const http2 = lazyBuiltin("node:http2");

export function createServer(...args) {
  return http2().createServer(...args);
}

export function createSecureServer(...args) {
  return http2().createSecureServer(...args);
}
