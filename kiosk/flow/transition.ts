/**
 * Applies one row of the transition table (kiosk/flow/states.ts) to a stored session: the store
 * checks the row's `from` states (and money status) and writes the state, the patch and the journal
 * entry in one transaction, before the caller runs the side effect the move enables.
 */
import { type SessionPatch, type SessionRow, type SessionStore, StaleStateError } from "../store/sessions.ts";
import { TRANSITIONS, type TransitionName, type TransitionRule } from "./states.ts";

export interface TransitionOptions {
  data?: Record<string, unknown>;
  now?: string;
  /** Runs inside the same transaction (e.g. enqueueing the outbox messages of a committed payment). */
  extra?: () => void;
}

/** Moves session `id` by the row `name`; throws StaleStateError when the row does not allow it now. */
export function transition(
  store: SessionStore,
  id: string,
  name: TransitionName,
  reason: string,
  patch: SessionPatch = {},
  options: TransitionOptions = {},
): SessionRow {
  const rule: TransitionRule = TRANSITIONS[name];
  return store.transition(id, rule.from, rule.to === "same" ? null : rule.to, reason, patch, {
    ...options,
    ...(rule.status ? { status: rule.status } : {}),
  });
}

/** A move that may have been overtaken (a late terminal event, a restart): skipped and logged, not thrown. */
export function tryTransition(
  store: SessionStore,
  log: { warn(obj: object, msg?: string): void },
  ...args: Parameters<typeof transition> extends [unknown, ...infer Rest] ? Rest : never
): SessionRow | null {
  try {
    return transition(store, ...args);
  } catch (e) {
    if (e instanceof StaleStateError) {
      log.warn({ err: e.message }, "stale transition skipped");
      return null;
    }
    throw e;
  }
}

/**
 * Ends a visit that waits for its visitor (row `abandon`); one that already moved on is left as it is.
 * True when this call ended it, so the caller counts the end once (a late time-out after a cancel is not
 * a second end).
 */
export function abandonVisit(store: SessionStore, id: string, reason: string): boolean {
  try {
    transition(store, id, "abandon", reason);
    return true;
  } catch (e) {
    if (!(e instanceof StaleStateError)) throw e;
    return false;
  }
}
