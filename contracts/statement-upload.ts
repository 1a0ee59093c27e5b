/**
 * The largest MT940 file the hub takes at `POST /api/offices/{office}/statements` (SPEC §9). Shared by
 * the hub's route and its back-office page, which refuses a larger file before sending it, in the
 * page's language. A month's statement of a busy office is well under a megabyte.
 */
export const STATEMENT_BODY_LIMIT = 5 * 1024 * 1024;
