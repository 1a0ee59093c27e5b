/** What is still to be sent, per destination (the SQL lives in kiosk/store/outbox.ts). */
export { type DestinationBacklog, outboxBacklog } from "../store/outbox.ts";
