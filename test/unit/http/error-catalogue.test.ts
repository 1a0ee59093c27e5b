/**
 * The error catalogues against the wire: each code's HTTP status as SPEC §1, §1a, §4 and §9 say (or,
 * where the SPEC leaves it to us, as the API has always answered), for the kiosk and the hub, and the
 * kiosk's error handler answering a refusal from that table.
 */
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import {
  API_ERROR_CODES,
  HUB_PROBLEM_CODES,
  KIOSK_PROBLEM_CODES,
  SLIP_ERROR_CODES,
} from "../../../contracts/error-codes.ts";
import { FlowError } from "../../../kiosk/flow/errors.ts";
import { BY_CODE, HTTP_PROBLEMS, KIOSK_PROBLEMS, refusalKind } from "../../../kiosk/http/errors.ts";
import { installProblemHandlers } from "../../../kiosk/http/problem.ts";
import { HUB_BY_CODE, HUB_PROBLEMS } from "../../../hub/http/errors.ts";
import { HubRefusal } from "../../../hub/http/problem.ts";

const statusOf = (table: Record<string, { status: number }>) =>
  Object.fromEntries(Object.entries(table).map(([code, row]) => [code, row.status]));

describe("the kiosk's error catalogue (kiosk/http/errors.ts)", () => {
  it("answers every slip refusal 422 (SPEC §1, §1a, §4: scan, basket, added slip)", () => {
    for (const code of SLIP_ERROR_CODES)
      expect(KIOSK_PROBLEMS.kind(code)).toMatchObject({ code, status: 422 });
  });

  it("gives each of SPEC §4's codes the status the API has always answered", () => {
    expect(statusOf(BY_CODE)).toMatchObject({
      VALIDATION: 422,
      NOT_FOUND: 404,
      CONFLICT: 409,
      UNAUTHORIZED: 401,
      DEVICE_UNAVAILABLE: 503,
      PRINTER_UNAVAILABLE: 503,
      INTERNAL: 500,
    });
    expect(Object.keys(BY_CODE).sort()).toEqual([...KIOSK_PROBLEM_CODES].sort());
  });

  it("answers a slip paid meanwhile 409 and a locked-out PIN 429, with their codes unchanged", () => {
    expect(refusalKind("SLIP_ALREADY_PAID", "changed_meanwhile")).toMatchObject({
      code: "SLIP_ALREADY_PAID",
      status: 409,
    });
    expect(refusalKind("UNAUTHORIZED", "locked_out")).toMatchObject({ code: "UNAUTHORIZED", status: 429 });
  });

  it("puts only SPEC §4's codes on the HTTP layer's own refusals: 421 foreign Host, 403 cross-site, 400, 413, 415, 429", () => {
    expect(
      Object.fromEntries(Object.entries(HTTP_PROBLEMS).map(([name, p]) => [name, `${p.status} ${p.code}`])),
    ).toEqual({
      INVALID_REQUEST: "400 VALIDATION",
      BODY_TOO_LARGE: "413 VALIDATION",
      UNSUPPORTED_MEDIA_TYPE: "415 VALIDATION",
      MISDIRECTED: "421 VALIDATION",
      CROSS_SITE: "403 UNAUTHORIZED",
      TOO_MANY_REQUESTS: "429 UNAUTHORIZED",
      NO_ROUTE: "404 NOT_FOUND",
    });
    for (const p of Object.values(HTTP_PROBLEMS)) expect(API_ERROR_CODES).toContain(p.code);
  });

  it("answers a flow's refusal as problem+json with the catalogue's status and the flow's sentence", async () => {
    const app = Fastify();
    installProblemHandlers(app);
    app.get("/paid", () => {
      throw new FlowError("SLIP_ALREADY_PAID", "this slip has already been paid", {
        reason: "changed_meanwhile",
      });
    });
    app.get("/busy", () => {
      throw new FlowError("CONFLICT", "a payment is in progress");
    });
    const paid = await app.inject({ url: "/paid" });
    expect(paid.statusCode).toBe(409);
    expect(paid.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(paid.json()).toEqual({
      type: "urn:oplatomat:problem:slip_already_paid",
      title: "this slip has already been paid",
      status: 409,
      code: "SLIP_ALREADY_PAID",
    });
    const busy = await app.inject({ url: "/busy" });
    expect([busy.statusCode, busy.json().code]).toEqual([409, "CONFLICT"]);
    const none = await app.inject({ url: "/nothing-here" });
    expect([none.statusCode, none.json().code]).toEqual([404, "NOT_FOUND"]);
    await app.close();
  });
});

describe("the hub's error catalogue (hub/http/errors.ts)", () => {
  it("gives each code the status SPEC §9 says, or the hub has always answered", () => {
    expect(statusOf(HUB_BY_CODE)).toEqual({
      VALIDATION: 422,
      NOT_FOUND: 404,
      CONFLICT: 409,
      UNAUTHORIZED: 401,
      FORBIDDEN: 403,
      CSRF: 403,
      RATE_LIMITED: 429,
      PAYLOAD_TOO_LARGE: 413,
      MALFORMED_JSON: 400,
      IDEMPOTENCY_KEY_REQUIRED: 400,
      IDEMPOTENCY_KEY_REUSED: 422,
      SPLITS_MISMATCH: 422,
      TOTAL_MISMATCH: 422,
      UNKNOWN_ACCOUNT: 422,
      STATEMENT_INVALID: 422,
      DATABASE_UNAVAILABLE: 503,
      INTERNAL: 500,
    });
    expect(Object.keys(HUB_BY_CODE).sort()).toEqual([...HUB_PROBLEM_CODES].sort());
    expect(HUB_PROBLEMS.kind("INVALID_REQUEST")).toMatchObject({ code: "VALIDATION", status: 400 });
  });

  it("builds a refusal's problem from the code alone", () => {
    const refusal = new HubRefusal("FORBIDDEN", "The body names another device", "authenticated as A/1");
    expect(refusal.status).toBe(403);
    expect(refusal.toProblem()).toEqual({
      type: "urn:oplatomat:problem:forbidden",
      title: "The body names another device",
      status: 403,
      code: "FORBIDDEN",
      detail: "authenticated as A/1",
    });
  });
});
