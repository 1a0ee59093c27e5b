/** The outbox and alarm actions of the service and admin APIs, over the kiosk's store and worker. */
import { BackendError } from "./errors.ts";
import type { StaffOperationsBackend } from "./ports.ts";
import { acknowledgeAlarm, alarmById, openAlarms, recentAlarms } from "../store/alarms.ts";
import type { Db } from "../store/db.ts";
import { listOutbox, requeueParked } from "../store/outbox.ts";

export function staffOperationsBackend(ctx: {
  db: Db;
  now: () => Date;
  /** The outbox worker, woken when a message was requeued. */
  outbox?: { kick(): void };
}): StaffOperationsBackend {
  return {
    outbox: (state) => listOutbox(ctx.db, state),
    requeue(ids, actor) {
      const result = requeueParked(ctx.db, ids, actor, ctx.now());
      if (result.requeued.length > 0) ctx.outbox?.kick();
      return result;
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
