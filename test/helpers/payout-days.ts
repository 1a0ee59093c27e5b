/**
 * Business days and the execution date their payouts get (the first Polish banking day after), for
 * the kiosk's Elixir-O export and the hub's payouts alike: they must agree.
 */
export const PAYOUT_DAYS: Readonly<Record<string, string>> = {
  "2026-11-18": "2026-11-19", // Wednesday → Thursday, as before
  "2026-11-20": "2026-11-23", // Friday → Monday
  "2026-11-21": "2026-11-23", // Saturday → Monday
  "2026-04-05": "2026-04-07", // Easter Sunday, the day before Easter Monday → Tuesday
  "2026-12-23": "2026-12-28", // before Wigilia, Christmas and the weekend → Monday
};
