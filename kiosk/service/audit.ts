/** The staff APIs' audit writer over the kiosk's audit log (store/records.ts). */
import type { Db } from "../store/db.ts";
import { appendAudit } from "../store/records.ts";
import type { AuditWriter } from "./ports.ts";

export function auditLog(db: Db): AuditWriter {
  return (actor, action, target, details) => appendAudit(db, { actor, action, target, details });
}
