// Stands in for `glob` in the release bundle (scripts/build-daemon.mjs). @fastify/static requires glob
// when it loads but calls it only for `wildcard: false` (the hub's page, at registration); glob's
// module initialisation cost the kiosk's start ~25 ms of CPU for nothing. The real glob, the one
// @fastify/static depends on, is loaded from node_modules at the first call.
import { createRequire } from "node:module";

let real;

export function glob(pattern, options) {
  real ??= createRequire(createRequire(import.meta.url).resolve("@fastify/static"))("glob");
  return real.glob(pattern, options);
}
