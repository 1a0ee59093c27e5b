/**
 * The back-office page at `/` (owned by the hub page work): this placeholder only answers `/` until
 * the page lands. Contract: `webRoutes(app, deps)` registers `/` and its static files.
 */
import type { FastifyInstance } from "fastify";
import type { HubConfig } from "../config/types.ts";
import type { HubDb } from "../store/db.ts";

export interface WebDeps {
  config: HubConfig;
  db: HubDb;
}

export async function webRoutes(app: FastifyInstance, _deps: WebDeps): Promise<void> {
  app.get("/", async (_request, reply) =>
    reply
      .type("text/html; charset=utf-8")
      .send(
        '<!doctype html><html lang="pl"><meta charset="utf-8"><title>oplatomat hub</title><h1>oplatomat hub</h1></html>',
      ),
  );
}
