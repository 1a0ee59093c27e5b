/**
 * The ingest routes (SPEC §9): the §6 settlement messages at their paths and the heartbeat. Each
 * request is one device (401 otherwise, before its body is read), carries an Idempotency-Key (400
 * otherwise), and is answered 2xx only after its transaction committed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { HeartbeatPayload } from "../../contracts/heartbeat.ts";
import type { HubConfig, HubDevice } from "../config/types.ts";
import { HubRefusal, type Problem, problem, sendProblem } from "../http/problem.ts";
import type { HubMetrics } from "../ops/metrics.ts";
import type { HubDb, SqlClient } from "../store/db.ts";
import { noteActivity, type StoredAnswer, saveHeartbeat } from "../store/ingest-store.ts";
import { DeviceDirectory } from "./device-auth.ts";
import { type Answer, bodyHash, HEARTBEAT_KEYS, idempotent, LEDGER_KEYS } from "./idempotency.ts";
import { bookDay, bookReversal, bookTransaction, checkHeartbeat } from "./ingest.ts";
import { type BodyKind, validBody } from "./schemas.ts";

export const INGEST_BODY_LIMIT = 1024 * 1024;
const KEY = /^[\x21-\x7e]{1,200}$/;

export interface IngestDeps {
  config: HubConfig;
  db: HubDb;
  metrics: HubMetrics;
}

declare module "fastify" {
  interface FastifyRequest {
    hubDevice?: HubDevice;
  }
}

function idempotencyKey(request: FastifyRequest): string {
  const key = request.headers["idempotency-key"];
  if (typeof key !== "string" || !KEY.test(key))
    throw new HubRefusal(
      "IDEMPOTENCY_KEY_REQUIRED",
      "An Idempotency-Key header is required",
      "1–200 visible ASCII characters",
    );
  return key;
}

/**
 * What makes two reversals the same request: the body and the transaction of the path. SPEC §6 names
 * the path, not the body, so a body may name no transaction (`{ office, kiosk }`): the same key and
 * bytes sent to another transaction's path are another request (422), not a repeat of the first.
 * A body that names the path's transaction (the kiosk's) hashes as before.
 */
function reversalRequest(pathId: string, body: unknown): unknown {
  const named = (body as { transactionId?: unknown }).transactionId;
  if (named === undefined) return { ...(body as Record<string, unknown>), transactionId: pathId };
  if (named === pathId) return body;
  // A body naming another transaction than its path (refused by bookReversal) is a request of its
  // own: given the path's id in place of the body's, it hashed as the first and replayed its 201.
  return { body, path: pathId };
}

/**
 * A reversal's answer kept before the path was part of its hash (the body's alone): the same request
 * when it answered for this path's transaction.
 */
function storedReversal(pathId: string, body: unknown): (prior: StoredAnswer) => boolean {
  return (prior) =>
    prior.bodySha256 === bodyHash(body) &&
    (prior.response as { transactionId?: unknown } | null)?.transactionId === pathId;
}

export async function ingestRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const directory = new DeviceDirectory(deps.config.devices);
  const { db, metrics, config } = deps;

  // Runs before the body is read: an unknown sender never gets to upload anything.
  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const device = directory.identify(request);
    if (!device) {
      metrics.ingestRefused("unknown", 401);
      request.log.warn(
        { url: request.url, remoteAddress: request.ip, ...DeviceDirectory.certificateProblem(request) },
        "ingest refused: unknown device",
      );
      return problem(reply, "UNAUTHORIZED", {
        title: "Unknown device",
        detail: "send the device's bearer token or client certificate",
      });
    }
    request.hubDevice = device;
  };

  /** The ledger messages: one idempotent transaction each. */
  const book = (
    tx: SqlClient,
    kind: BodyKind,
    device: HubDevice,
    request: FastifyRequest,
  ): Promise<Answer> => {
    const body = request.body as never;
    if (kind === "transaction") return bookTransaction(tx, config, device, body);
    if (kind === "reversal") return bookReversal(tx, device, (request.params as { id: string }).id, body);
    return bookDay(tx, device, body);
  };

  /**
   * The heartbeat: idempotent like the ledger messages, its keys kept a day (HEARTBEAT_KEYS), so a key
   * seen that day answers as the first time (204, nothing changed) or, with another body, 422.
   */
  const heartbeat = (device: HubDevice, key: string, body: HeartbeatPayload): Promise<Answer> => {
    checkHeartbeat(device, body);
    const ref = { office: device.office, device: device.id };
    return idempotent(
      db,
      ref,
      key,
      body,
      async (tx) => {
        await saveHeartbeat(tx, ref, body);
        await noteActivity(tx, ref, null);
        metrics.heartbeat(device, body);
        return { status: 204, body: null };
      },
      HEARTBEAT_KEYS,
    );
  };

  const handle = (kind: BodyKind) => async (request: FastifyRequest, reply: FastifyReply) => {
    const device = request.hubDevice!;
    let answer: Answer;
    try {
      const key = idempotencyKey(request);
      const body = validBody(kind, request.body);
      const ref = { office: device.office, device: device.id };
      if (kind === "heartbeat") answer = await heartbeat(device, key, body as HeartbeatPayload);
      else if (kind === "reversal") {
        const pathId = (request.params as { id: string }).id;
        answer = await idempotent(
          db,
          ref,
          key,
          reversalRequest(pathId, body),
          (tx) => book(tx, kind, device, request),
          LEDGER_KEYS,
          storedReversal(pathId, body),
        );
      } else answer = await idempotent(db, ref, key, body, (tx) => book(tx, kind, device, request));
    } catch (error) {
      if (!(error instanceof HubRefusal)) throw error;
      answer = { status: error.status, body: error.toProblem() };
    }
    metrics.ingest(kind, device, answer.status);
    if (answer.status >= 400) {
      const refusal = answer.body as Problem;
      // The device parks a refused message and only its own operator sees the answer: the hub's log
      // says which device, which message and why, for whoever watches the fleet.
      request.log.warn(
        {
          office: device.office,
          device: device.id,
          kind,
          idempotencyKey: request.headers["idempotency-key"],
          status: refusal.status,
          code: refusal.code,
          detail: refusal.detail,
          errors: refusal.errors,
        },
        "ingest refused",
      );
      return sendProblem(reply, refusal);
    }
    if (answer.status === 204) return reply.code(204).send();
    return reply.code(answer.status).send(answer.body);
  };

  // Every message of SPEC §6 is JSON, whatever its label: a sender's client may say text/plain
  // (fetch with a string body does) or nothing, and a refusal would park a payment the hub can read.
  // A body that is not JSON (or empty) is still 400 MALFORMED_JSON: fastify's own JSON parser, its
  // prototype-poisoning guard included, for every label. This scope's routes only.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, app.getDefaultJsonParser("error", "error"));

  const route = { bodyLimit: INGEST_BODY_LIMIT, onRequest: authenticate };
  app.post("/transactions", route, handle("transaction"));
  app.post("/transactions/:id/reversal", route, handle("reversal"));
  app.post("/days", route, handle("day"));
  app.post("/fleet/heartbeat", route, handle("heartbeat"));
}
