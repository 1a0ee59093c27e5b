/**
 * The payment session's state vocabulary as the visitor API shows it (SPEC §4): written once here so
 * the kiosk (store, flow, route schemas) and the UI (visitor screens, cash desk) cannot disagree.
 * The legal moves between these states are the kiosk's business: `kiosk/flow/states.ts`.
 */

/** The states a stored payment session can be in, in the order a visit passes them. */
export const PAYMENT_STATES = [
  "summary",
  "authorizing",
  "approved",
  "declined",
  "unknown",
  "printing",
  "done",
  "cancelled",
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** What the screen shows: a stored session's state, or no session (`idle`, `out_of_order`). */
export const SCREEN_STATES = ["idle", ...PAYMENT_STATES, "out_of_order"] as const;
export type ScreenState = (typeof SCREEN_STATES)[number];

/**
 * A payment in progress: the terminal may be charging the card or the charge is not yet booked and
 * printed. Nobody may time the visitor out, start another payment, void it or close the day meanwhile.
 */
export const IN_PROGRESS_STATES = [
  "authorizing",
  "approved",
  "unknown",
  "printing",
] as const satisfies readonly PaymentState[];

const inProgressSet: ReadonlySet<string> = new Set(IN_PROGRESS_STATES);

/** True while the payment is in progress (see IN_PROGRESS_STATES); any string, so the UI may ask too. */
export function inProgress(state: string): boolean {
  return inProgressSet.has(state);
}

/** The payment's money status, apart from the visit's state (a reversed payment stays `done`). */
export const PAYMENT_STATUSES = ["authorizing", "approved", "declined", "unknown", "reversed"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
