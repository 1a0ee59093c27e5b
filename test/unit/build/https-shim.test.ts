/**
 * The release bundle's stand-in for node:https where fastify requires it (scripts/build-shims/https.mjs):
 * fastify creates a server given `https` options through it (the management listener with TLS), so the
 * stand-in must hand over Node's real HTTPS server, with the options and the request handler given.
 */
import https from "node:https";
import { expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module of the build, without types
import { createServer } from "../../../scripts/build-shims/https.mjs";

it("creates Node's own HTTPS server with the handler given", () => {
  const handler = () => {};
  const server = createServer({ requestCert: false }, handler) as https.Server;
  expect(server).toBeInstanceOf(https.Server);
  expect(server.listeners("request")).toEqual([handler]);
});
