/** The contracts' JSON schemas compiled once: the hub validates every body at its edge. */
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import addFormatsModule, { type FormatsPlugin } from "ajv-formats";
import { heartbeatSchema, type HeartbeatPayload } from "../../contracts/heartbeat.ts";
import {
  type ReceivedReversal,
  type SettlementDay,
  type SettlementTransaction,
  settlementDaySchema,
  settlementReversalSchema,
  settlementTransactionSchema,
} from "../../contracts/settlement.ts";
import { HubRefusal } from "../http/problem.ts";

const ajv = new Ajv2020({ allErrors: true, strict: false });
const plugin = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
(plugin.default ?? plugin)(ajv, ["date-time"]);

type Check<T> = ((data: unknown) => data is T) & { errors?: ErrorObject[] | null };

const checks = {
  transaction: ajv.compile(settlementTransactionSchema) as unknown as Check<SettlementTransaction>,
  reversal: ajv.compile(settlementReversalSchema) as unknown as Check<ReceivedReversal>,
  day: ajv.compile(settlementDaySchema) as unknown as Check<SettlementDay>,
  heartbeat: ajv.compile(heartbeatSchema) as unknown as Check<HeartbeatPayload>,
};

export type BodyKind = keyof typeof checks;
export interface Bodies {
  transaction: SettlementTransaction;
  reversal: ReceivedReversal;
  day: SettlementDay;
  heartbeat: HeartbeatPayload;
}

/**
 * Where the value holds U+0000 (in a string or a member's name), as JSON pointers. PostgreSQL's text
 * cannot hold it: stored, the message failed with 500 and its sender retried it without end, holding
 * back every later message of its queue (SPEC §6: in order per destination).
 */
function nulPaths(value: unknown, at = ""): string[] {
  if (typeof value === "string") return value.includes("\u0000") ? [at || "/"] : [];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const path = `${at}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    return [...(k.includes("\u0000") ? [path] : []), ...nulPaths(v, path)];
  });
}

/**
 * Why an RFC 3339 time the schema passed cannot be booked: a leap second or an offset beyond ±15:59
 * (what PostgreSQL's timestamptz takes) failed at the INSERT with a 500 its sender retried for ever, and
 * a year outside 1000–9998 has no YYYY-MM-DD business day for a report to ask for.
 */
function instantProblem(text: string): string | undefined {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return "not a time the hub can read (a leap second?)";
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(text);
  if (offset && Number(offset[2]) * 60 + Number(offset[3]) > 15 * 60 + 59)
    return "a UTC offset beyond ±15:59";
  const year = new Date(ms).getUTCFullYear();
  if (year < 1000 || year > 9998) return "a year outside 1000–9998";
  return undefined;
}

/** The times of a body the ledger stores as timestamps (heartbeats and days keep theirs as text). */
function instantProblems(kind: BodyKind, body: unknown): Array<{ path: string; message: string }> {
  const at = (path: string, value: unknown) => {
    const problem = typeof value === "string" ? instantProblem(value) : undefined;
    return problem ? [{ path, message: problem }] : [];
  };
  const b = body as { paidAt?: unknown; reversedAt?: unknown };
  if (kind === "transaction") return at("/paidAt", b.paidAt);
  if (kind === "reversal") return at("/reversedAt", b.reversedAt);
  return [];
}

/** The body as its contract type, or a 422 VALIDATION refusal listing what is wrong. */
export function validBody<K extends BodyKind>(kind: K, body: unknown): Bodies[K] {
  const check = checks[kind] as unknown as Check<Bodies[K]>;
  const nul = nulPaths(body);
  if (nul.length > 0)
    throw new HubRefusal(
      "VALIDATION",
      `The ${kind} body holds a NUL character (U+0000)`,
      undefined,
      nul.slice(0, 20).map((path) => ({ path, message: "holds a NUL character (U+0000)" })),
    );
  if (check(body)) {
    const times = instantProblems(kind, body);
    if (times.length > 0)
      throw new HubRefusal(
        "VALIDATION",
        `The ${kind} body holds a time the ledger cannot hold`,
        undefined,
        times,
      );
    return body;
  }
  const errors = (check.errors ?? []).map((e) => ({
    path: e.instancePath || "/",
    message: e.message ?? e.keyword,
  }));
  throw new HubRefusal("VALIDATION", `The ${kind} body does not follow the contract`, undefined, errors);
}
