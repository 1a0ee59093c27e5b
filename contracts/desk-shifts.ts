/**
 * A closed cash-desk shift as the developers' lists show it (SPEC §10 leaves their shape to us): the
 * admin API's `GET /api/admin/shifts` and the desk's `GET /api/shift/history` (kiosk) and the desk's
 * page (ui) read the same members, so the report behind each row can be found by its id.
 */
export interface ClosedShift {
  id: string;
  cashier: { id: string; name: string };
  businessDay: string;
  /** The office's local time with its offset, as the shift's report has them. */
  openedAt: string;
  closedAt: string;
  /** Payments still approved at the close, and their sum in grosze (the report's `count`, `total`). */
  count: number;
  total: number;
}

/** One page of closed shifts, newest close first; `total` counts every match. */
export interface ClosedShiftPage {
  items: ClosedShift[];
  total: number;
  limit: number;
  offset: number;
}
