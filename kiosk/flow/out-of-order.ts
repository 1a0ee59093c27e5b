/**
 * Why the kiosk is out of order now: one reason per source (door, service switch, printer, database,
 * end-of-day, …), and the watch that puts it back in service once a full database has room again.
 * What going out of order does to the visit on screen is the flow's decision.
 */
import type { Db } from "../store/db.ts";
import { hasRoomToWrite } from "../store/space.ts";

/** Reasons set by a technician or a door, not a device fault: they end a finished visit's screen. */
export function isOperatorAction(key: string): boolean {
  return key === "service" || key === "door" || key === "service_key";
}

export class OutOfOrderReasons {
  private readonly reasons = new Map<string, string>();
  private spaceTimer: NodeJS.Timeout | null = null;

  get any(): boolean {
    return this.reasons.size > 0;
  }

  list(): string[] {
    return [...this.reasons.values()];
  }

  /** Sets or clears one reason; true when the set changed or a reason was stated (again). */
  set(key: string, reason: string | null): boolean {
    const before = this.reasons.size;
    if (reason) this.reasons.set(key, reason);
    else this.reasons.delete(key);
    return before !== this.reasons.size || Boolean(reason);
  }

  /** Calls `back` once a write fits the database again (space freed, or the ceiling raised). */
  watchSpace(db: Db, back: () => void): void {
    if (this.spaceTimer) return;
    this.spaceTimer = setInterval(() => {
      if (!hasRoomToWrite(db)) return;
      this.stopWatch();
      back();
    }, 1_000);
    this.spaceTimer.unref();
  }

  stopWatch(): void {
    if (this.spaceTimer) clearInterval(this.spaceTimer);
    this.spaceTimer = null;
  }
}
