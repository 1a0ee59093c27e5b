/**
 * Applies one row of the transition table (kiosk/flow/states.ts) to a stored session: the store
 * checks the row's `from` states (and money status) and writes the state, the patch and the journal
 * entry in one transaction, before the caller runs the side effect the move enables.
 */
import type { SessionPatch, SessionRow, SessionStore } from "../store/sessions.ts";
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
