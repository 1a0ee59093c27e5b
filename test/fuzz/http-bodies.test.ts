/**
 * Fuzzing the visitor API's request bodies through the real fastify app of a harness kiosk
 * (`app.inject`): any JSON, any text, any content type. Every answer is either a session or an
 * RFC 9457 problem with a SPEC code, never a 500; a body that breaks the route's published schema
 * (its OpenAPI document) is refused as VALIDATION; no random payload ever becomes a summary; and a
 * basket that is accepted adds up in integer grosze.
 */
import { Ajv, type ValidateFunction } from "ajv";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../../kiosk/http/api-docs.ts";
import { type Harness, makeHarness } from "../helpers/kiosk-harness.ts";
import { params, runs, timeLimit } from "./budget.ts";

const N = runs(20_000, 150);
const LIMIT = timeLimit(3_600_000);
const SPEC_CODES = new Set([
  "SLIP_UNREADABLE",
  "SLIP_UNKNOWN_KEY",
  "SLIP_SIGNATURE_INVALID",
  "SLIP_WRONG_OFFICE",
  "SLIP_EXPIRED",
  "SLIP_TOTAL_MISMATCH",
  "SLIP_UNKNOWN_COMPONENT",
  "SLIP_ALREADY_PAID",
  "SLIP_CANCELLED",
  "SLIP_AMOUNT_CHANGED",
  "SLIP_CHECK_UNAVAILABLE",
  "VALIDATION",
  "NOT_FOUND",
  "CONFLICT",
  "UNAUTHORIZED",
  "DEVICE_UNAVAILABLE",
]);

let h: Harness;
const validators = new Map<string, ValidateFunction>();

interface OpenApiDoc {
  paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: object }> } } }>;
}

beforeAll(async () => {
  h = await makeHarness({ logName: "fuzz-http" });
  const doc = (await openApiDocument([h.kiosk.app])) as OpenApiDoc;
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const route of ["/api/scan", "/api/basket", "/api/session/language"]) {
    const schema = doc.paths[route]?.post?.requestBody?.content["application/json"]?.schema;
    if (!schema) throw new Error(`no published body schema for ${route}`);
    validators.set(route, ajv.compile(schema));
  }
});

afterAll(async () => {
  await h?.close();
});

interface Answer {
  status: number;
  type: string;
  body: Record<string, unknown>;
}

async function post(url: string, payload: string, contentType = "application/json"): Promise<Answer> {
  const res = await h.kiosk.app.inject({
    method: "POST",
    url,
    payload,
    headers: { "content-type": contentType },
  });
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    body = { unparsable: res.body };
  }
  return { status: res.statusCode, type: String(res.headers["content-type"] ?? ""), body };
}

/** A well-formed refusal: problem+json with a SPEC code, and a 4xx status. */
function isProblem(a: Answer): boolean {
  return (
    a.status >= 400 &&
    a.status < 500 &&
    a.type.startsWith("application/problem+json") &&
    typeof a.body["code"] === "string" &&
    SPEC_CODES.has(a.body["code"])
  );
}

/** A refusal of the body itself: 400 VALIDATION problem (nothing in it could be read as a scan). */
function a400(a: Answer): boolean {
  return isProblem(a) && a.status === 400 && a.body["code"] === "VALIDATION";
}

async function backToIdle(): Promise<void> {
  await h.kiosk.app.inject({ method: "POST", url: "/api/session/cancel" });
}

const anyJson = fc.oneof(
  fc.jsonValue(),
  fc.record({ payload: fc.oneof(fc.string({ unit: "binary", maxLength: 400 }), fc.jsonValue()) }),
  fc.record({ payload: fc.string({ maxLength: 50 }), extra: fc.jsonValue() }),
);

const basketItem = fc.record(
  {
    code: fc.oneof(
      fc.constantFrom("GEO_MAP", "TAX_LOCAL", "DR", "geo_map", ""),
      fc.string({ maxLength: 20 }),
    ),
    quantity: fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constant("2"), fc.double()),
    amount: fc.oneof(fc.integer({ min: -10, max: 2_000_000 }), fc.constant(1.5), fc.constant("100")),
    reference: fc.oneof(fc.string({ maxLength: 50 }), fc.integer()),
  },
  { requiredKeys: [] },
);
/** Baskets a visitor could really build from today's price list. */
const plausibleItem = fc.oneof(
  fc.record({ code: fc.constant("GEO_MAP"), quantity: fc.integer({ min: 1, max: 10 }) }),
  fc.record({
    code: fc.constant("TAX_LOCAL"),
    amount: fc.integer({ min: 100, max: 1_000_000 }),
    reference: fc.stringMatching(/^[A-Z0-9/]{1,20}$/),
  }),
);
const basketBody = fc.oneof(
  fc.record({ items: fc.array(plausibleItem, { minLength: 1, maxLength: 4 }) }),
  fc.record({ items: fc.array(basketItem, { maxLength: 22 }) }),
  fc.record({ items: fc.array(basketItem, { maxLength: 3 }), note: fc.string() }),
  fc.jsonValue(),
);

describe("visitor API bodies under hostile input", () => {
  it("POST /api/scan: a payload object with a __proto__ or constructor.prototype key is SLIP_UNREADABLE, and pollutes nothing", async () => {
    // Found by the property below (seed 2040376762, CI 2026-12-07): the JSON parser refused such a body
    // with a 400, where SPEC §1 answers every payload that cannot be a slip 422.
    for (const body of [
      '{"payload":{"__proto__":{"polluted":1}}}',
      '{"payload":{"constructor":{"prototype":{"polluted":1}}}}',
    ]) {
      const a = await post("/api/scan", body);
      expect(a.status, body).toBe(422);
      expect(a.body["code"]).toBe("SLIP_UNREADABLE");
    }
    const top = await post("/api/scan", '{"__proto__":{"payload":"x"}}');
    expect(a400(top)).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(({} as Record<string, unknown>)["payload"]).toBeUndefined();
  });

  it(
    "POST /api/scan: random bodies are refused as problems, never 500, never a summary",
    async () => {
      const valid = validators.get("/api/scan")!;
      await fc.assert(
        fc.asyncProperty(anyJson, async (body) => {
          const a = await post("/api/scan", JSON.stringify(body));
          expect(a.status).not.toBe(200);
          expect(isProblem(a)).toBe(true);
          if (!valid(body)) expect(a.body["code"]).toBe("VALIDATION");
          else expect(String(a.body["code"]).startsWith("SLIP_")).toBe(true);
        }),
        params(N),
      );
    },
    LIMIT,
  );

  it(
    "POST /api/basket: schema breaches refused as VALIDATION; accepted baskets add up in grosze",
    async () => {
      const valid = validators.get("/api/basket")!;
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(basketBody, async (body) => {
          const a = await post("/api/basket", JSON.stringify(body));
          if (!valid(body)) {
            expect(isProblem(a) && a.body["code"] === "VALIDATION").toBe(true);
            return;
          }
          if (a.status === 200) {
            const lines = a.body["lines"] as Array<{ amount: number }>;
            expect(a.body["state"]).toBe("summary");
            expect(lines.every((l) => Number.isInteger(l.amount) && l.amount > 0)).toBe(true);
            expect(a.body["total"]).toBe(lines.reduce((s, l) => s + l.amount, 0));
            accepted += 1;
            await backToIdle();
          } else {
            expect(isProblem(a)).toBe(true);
          }
        }),
        params(N),
      );
      expect(accepted).toBeGreaterThan(0);
    },
    LIMIT,
  );

  it(
    "POST /api/session/language: only an offered language switches it",
    async () => {
      const valid = validators.get("/api/session/language")!;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({ language: fc.constantFrom("pl", "en", "uk", "de", "PL", "") }),
            fc.jsonValue(),
          ),
          async (body) => {
            const a = await post("/api/session/language", JSON.stringify(body));
            if (valid(body)) {
              expect(a.status).toBe(200);
              expect(a.body["language"]).toBe((body as { language: string }).language);
            } else {
              expect(isProblem(a) && a.body["code"] === "VALIDATION").toBe(true);
            }
          },
        ),
        params(N),
      );
    },
    LIMIT,
  );

  it(
    "answers bodies that are not JSON, or not declared as JSON, with a problem and never a 500",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("/api/scan", "/api/basket", "/api/session/language"),
          fc.string({ unit: "binary", maxLength: 300 }),
          fc.constantFrom(
            "application/json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/octet-stream",
          ),
          async (url, text, type) => {
            const a = await post(url, text, type);
            expect(a.status).toBeLessThan(500);
            if (a.status !== 200) expect(a.type.startsWith("application/problem+json")).toBe(true);
            if (url === "/api/scan") expect(a.status).not.toBe(200);
            await backToIdle();
          },
        ),
        params(N),
      );
    },
    LIMIT,
  );
});
