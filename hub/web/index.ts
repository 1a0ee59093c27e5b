/**
 * The back-office page at `/` (SPEC §9): the files vite built into hub/web/dist, served under a strict
 * Content-Security-Policy (no inline script or style, nothing from another origin), since the page
 * holds a staff session. Registered by the hub's composition root as `webRoutes(app, deps)`.
 */
import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { shippedFile } from "../../contracts/install-layout.ts";
import type { HubConfig } from "../config/types.ts";
import type { HubDb } from "../store/db.ts";

export interface WebDeps {
  config: HubConfig;
  db: HubDb;
}

export const WEB_DIST = shippedFile("hub/web/dist");

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export async function webRoutes(app: FastifyInstance, _deps: WebDeps, dist = WEB_DIST): Promise<void> {
  app.addHook("onSend", async (_request, reply, payload) => {
    reply.header("content-security-policy", CONTENT_SECURITY_POLICY);
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("x-frame-options", "DENY");
    return payload;
  });
  if (!fs.existsSync(path.join(dist, "index.html"))) {
    app.get("/", async (_request, reply) =>
      reply
        .type("text/plain; charset=utf-8")
        .send("oplatomat hub: the back-office page is not built (npm run build:ui)\n"),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dist,
    prefix: "/",
    index: "index.html",
    // Only the built files get routes: every other path stays the hub's problem+json 404.
    wildcard: false,
    setHeaders(reply, file) {
      // index.html names the hashed bundles; it must be fetched fresh after an upgrade.
      reply.header(
        "cache-control",
        file.endsWith(".html") ? "no-cache" : "public, max-age=31536000, immutable",
      );
    },
  });
}
