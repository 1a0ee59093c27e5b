/**
 * The audited action shared by the service, admin and staff-operations routes: the intent is
 * written to the audit log before the action runs, a failure adds a second entry, and a backend's
 * expected refusal (BackendError) becomes problem+json with its HTTP status.
 */
import type { FastifyReply } from "fastify";
import type { AuditWriter } from "../../service/ports.ts";
import { BackendError } from "../../service/errors.ts";
import { refusalKind } from "../errors.ts";
import { problem } from "../problem.ts";

export function sendBackendError(reply: FastifyReply, error: unknown): FastifyReply | undefined {
  if (error instanceof BackendError) {
    return problem(reply, refusalKind(error.code, error.reason), { title: error.message });
  }
  return undefined;
}

/**
 * Runs one audited action: audit the intent (refuse if that fails), run, and on failure audit the
 * failure and answer with problem+json for an expected refusal.
 */
export async function audited<T>(
  audit: AuditWriter,
  reply: FastifyReply,
  entry: { actor: string; action: string; target: string | null; details?: Record<string, unknown> },
  run: () => Promise<T> | T,
): Promise<T | FastifyReply> {
  await audit(entry.actor, entry.action, entry.target, entry.details ?? {});
  try {
    return await run();
  } catch (error) {
    const code = error instanceof BackendError ? error.code : "INTERNAL";
    await audit(entry.actor, `${entry.action}.failed`, entry.target, {
      ...entry.details,
      code,
      message: error instanceof Error ? error.message : String(error),
    });
    const sent = sendBackendError(reply, error);
    if (sent) return sent;
    throw error;
  }
}
