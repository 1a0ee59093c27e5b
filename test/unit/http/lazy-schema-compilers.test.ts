import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { lazySchemaController } from "../../../kiosk/http/lazy-schema-compilers.ts";

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

const AJV = {
  customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: false },
};

/** The same routes on fastify with its default compilers and with the lazy ones. */
function app(lazy: boolean): FastifyInstance {
  const a = Fastify({ ajv: AJV, ...(lazy ? { schemaController: lazySchemaController } : {}) });
  apps.push(a);
  a.post(
    "/pay",
    {
      schema: {
        body: {
          type: "object",
          required: ["amount"],
          additionalProperties: false,
          properties: { amount: { type: "integer", minimum: 1 }, note: { type: "string" } },
        },
        headers: { type: "object", required: ["X-Kiosk"], properties: { "X-Kiosk": { type: "string" } } },
        response: { 200: { type: "object", properties: { amount: { type: "integer" } } } },
      },
    },
    async (req) => ({ ...(req.body as object), secret: "never serialized" }),
  );
  return a;
}

const REQUESTS = [
  { body: { amount: 500 }, headers: { "x-kiosk": "K01" } },
  { body: { amount: 0, extra: 1 }, headers: { "x-kiosk": "K01" } },
  { body: { amount: "5" }, headers: { "x-kiosk": "K01" } },
  { body: { amount: 5 }, headers: {} },
];

describe("route schemas compiled on first use", () => {
  it.each(REQUESTS)("answer %j exactly as fastify's own compilers do", async ({ body, headers }) => {
    const [eager, lazy] = await Promise.all(
      [app(false), app(true)].map((a) => a.inject({ method: "POST", url: "/pay", payload: body, headers })),
    );
    expect(lazy?.statusCode).toBe(eager?.statusCode);
    expect(lazy?.json()).toEqual(eager?.json());
  });

  it("serialize by the response schema (properties it does not name are not sent)", async () => {
    const res = await app(true).inject({
      method: "POST",
      url: "/pay",
      payload: { amount: 7, note: "x" },
      headers: { "X-Kiosk": "K01" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ amount: 7 });
  });

  it("are not compiled at start: a schema ajv refuses fails its route's first request, not ready()", async () => {
    const broken = (lazy: boolean): FastifyInstance => {
      const a = Fastify({ ajv: AJV, ...(lazy ? { schemaController: lazySchemaController } : {}) });
      apps.push(a);
      a.post("/x", { schema: { body: { type: "no such type" } } }, async () => ({}));
      return a;
    };
    await expect(broken(false).ready()).rejects.toThrow(/no such type|type/);
    const lazy = broken(true);
    await lazy.ready();
    const res = await lazy.inject({ method: "POST", url: "/x", payload: {} });
    expect(res.statusCode).toBe(500);
  });
});
