/** The outbox and alarm actions of the service and admin APIs, over the kiosk's store and worker. */
import { BackendError } from "./errors.ts";
import type { StaffOperationsBackend } from "./ports.ts";
import { acknowledgeAlarm, alarmById, openAlarms, recentAlarms } from "../store/alarms.ts";
import type { Db } from "../store/db.ts";
import { listOutbox } from "../store/outbox.ts";
import { type ConfiguredAccounts, previewAccounts, requeueMessages } from "../outbox/account-rewrite.ts";

export function staffOperationsBackend(ctx: {
  db: Db;
  /** The daemon's configuration: its recipients' accounts for a requeue with the accounts from it. */
  config: { recipients: ConfiguredAccounts };
  now: () => Date;
  /** The outbox worker, woken when a message was requeued. */
  outbox?: { kick(): void };
}): StaffOperationsBackend {
  return {
    outbox: (state) => listOutbox(ctx.db, state),
    requeue(ids, actor, options) {
      const accounts = options?.accountsFromConfig ? ctx.config.recipients : undefined;
      const result = requeueMessages(ctx.db, ids, actor, ctx.now(), accounts);
      if (result.requeued.length > 0) ctx.outbox?.kick();
      return result;
    },
    previewAccounts(id) {
      const preview = previewAccounts(ctx.db, id, ctx.config.recipients);
      if (!preview) throw new BackendError("NOT_FOUND", `not parked: ${id}`);
      return preview;
    },
    alarms: () => ({ open: openAlarms(ctx.db), recent: recentAlarms(ctx.db, 50) }),
    acknowledgeAlarm(id, actor, note) {
      if (!acknowledgeAlarm(ctx.db, id, actor, note, ctx.now()))
        throw new BackendError("NOT_FOUND", `no open alarm ${id}`);
      const alarm = alarmById(ctx.db, id);
      if (!alarm) throw new BackendError("NOT_FOUND", `no alarm ${id}`);
      return alarm;
    },
  };
}
