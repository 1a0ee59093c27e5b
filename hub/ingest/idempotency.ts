/**
 * `Idempotency-Key` as SPEC §9 says: the first accepted request under a key is answered and its
 * answer stored in the same transaction as its rows; the same key with the same body answers that
 * again; the same key with another body is refused (422). Refusals are not stored: nothing of a
 * refused request stays, and sending it again is judged again.
 */
import { createHash } from "node:crypto";
import type { HubDb, SqlClient } from "../store/db.ts";
import {
  type DeviceRef,
  findAnswer,
  heartbeatKey,
  lockKey,
  type StoredAnswer,
  saveAnswer,
  saveHeartbeatKey,
} from "../store/ingest-store.ts";
import { HubRefusal } from "../http/problem.ts";

export interface Answer {
  status: number;
  body: unknown;
}

/** JSON with object keys sorted, so a body re-serialised by another client hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function bodyHash(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

/** Postgres errors worth one more try: a unique key raced by a concurrent twin, a deadlock, serialization. */
const RETRYABLE = new Set(["23505", "40P01", "40001"]);

export function isRetryable(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && RETRYABLE.has(String((error as { code?: unknown }).code))
  );
}

/** Where one kind of message keeps the answer given under each of a device's keys. */
export interface KeyStore {
  find(tx: SqlClient, device: DeviceRef, key: string): Promise<StoredAnswer | undefined>;
  save(tx: SqlClient, device: DeviceRef, key: string, answer: StoredAnswer): Promise<void>;
}

/** The ledger messages' keys (`ingest_keys`): kept for good, each with its answer's bytes. */
export const LEDGER_KEYS: KeyStore = { find: findAnswer, save: saveAnswer };

/**
 * The heartbeat's keys (`heartbeat_keys`, migration 005): one a minute per device would pile up for
 * good, so they are kept a day. Its answer is always 204 without a body: only the body's hash is kept.
 */
export const HEARTBEAT_KEYS: KeyStore = {
  async find(tx, device, key) {
    const sha = await heartbeatKey(tx, device, key);
    return sha === undefined ? undefined : { bodySha256: sha, status: 204, response: null };
  },
  save: (tx, device, key, answer) => saveHeartbeatKey(tx, device, key, answer.bodySha256),
};

/**
 * Runs `apply` in one transaction under the key; 2xx only after COMMIT returned. A refusal thrown by
 * `apply` rolls everything back and becomes the answer. `request`: what makes two requests the same
 * (the body, and for a reversal the transaction its path names). `keys`: where the answers are kept.
 * `storedBefore`: whether an answer kept under another hash is this request's all the same (one
 * stored before the request's hash covered what it covers now).
 */
export async function idempotent(
  db: HubDb,
  device: DeviceRef,
  key: string,
  request: unknown,
  apply: (tx: SqlClient) => Promise<Answer>,
  keys: KeyStore = LEDGER_KEYS,
  storedBefore: (prior: StoredAnswer) => boolean = () => false,
): Promise<Answer> {
  const sha = bodyHash(request);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        await lockKey(tx, device, key);
        const prior = await keys.find(tx, device, key);
        if (prior) {
          if (prior.bodySha256 === sha || storedBefore(prior))
            return { status: prior.status, body: prior.response };
          throw new HubRefusal(
            "IDEMPOTENCY_KEY_REUSED",
            "This Idempotency-Key was used for another body",
            `key ${key} was first used with a different request body`,
          );
        }
        const answer = await apply(tx);
        await keys.save(tx, device, key, { bodySha256: sha, status: answer.status, response: answer.body });
        return answer;
      });
    } catch (error) {
      if (error instanceof HubRefusal) return { status: error.status, body: error.toProblem() };
      if (attempt < 4 && isRetryable(error)) continue;
      throw error;
    }
  }
}
