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

/** The body as its contract type, or a 422 VALIDATION refusal listing what is wrong. */
export function validBody<K extends BodyKind>(kind: K, body: unknown): Bodies[K] {
  const check = checks[kind] as unknown as Check<Bodies[K]>;
  if (check(body)) return body;
  const errors = (check.errors ?? []).map((e) => ({
    path: e.instancePath || "/",
    message: e.message ?? e.keyword,
  }));
  throw new HubRefusal("VALIDATION", `The ${kind} body does not follow the contract`, undefined, errors);
}
