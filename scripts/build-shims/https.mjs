// Stands in for `node:https` in the release bundle (scripts/build-daemon.mjs). fastify requires it when it
// loads but calls it only for a server given `https` options (the kiosk's management listener with TLS);
// loading it loads Node's TLS, ~3 MB of the daemon on Node 24 (docs/benchmarks.md, "Memory and start-up,
// fourth pass"). The real module is loaded at the first call.
import { lazyBuiltin } from "./lazy-builtin.mjs";

const https = lazyBuiltin("node:https");

export function createServer(...args) {
  return https().createServer(...args);
}
