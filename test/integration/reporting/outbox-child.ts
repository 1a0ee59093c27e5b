/**
 * A stand-in daemon for the outbox crash test, run as a child process and SIGKILLed at will: it
 * records payments (each with its outbox messages in one transaction, as the flow does) up to a
 * target count, and delivers the outbox to the fakes. After a restart it continues where the
 * database says it stopped.
 *
 * argv: <db file> <pik url> <settlement url> <payments>
 */
import { enqueuePaymentReports } from "../../../kiosk/outbox/enqueue.ts";
import { createReporting } from "../../../kiosk/outbox/from-config.ts";
import { inTransaction, openDatabase } from "../../../kiosk/store/db.ts";
import { insertPayment, reportingConfig } from "./fixture-day.ts";

const [file, pikUrl, settlementUrl, target] = process.argv.slice(2) as [string, string, string, string];
const config = reportingConfig({
  integrations: {
    pik: { url: pikUrl, reporting: "direct", timeoutMs: 60 },
    settlement: { url: settlementUrl, timeoutMs: 60 },
  },
});
const db = openDatabase(file);
const reporting = createReporting(db, config, { backoff: { baseDelayMs: 2, maxDelayMs: 20 }, pollMs: 20 });
reporting.worker.start();
process.stdout.write("ready\n");

const total = Number(target);
let next = (db.prepare("SELECT COUNT(*) AS n FROM sessions").get() as { n: number }).n;
while (next < total) {
  const id = `pay-${String(next).padStart(6, "0")}`;
  const second = String(next % 60).padStart(2, "0");
  const minute = String(Math.floor(next / 60) % 60).padStart(2, "0");
  inTransaction(db, () => {
    insertPayment(db, config, {
      id,
      paidAt: `2026-11-25T10:${minute}:${second}+01:00`,
      slip: `S/2026/${String(next).padStart(6, "0")}`,
      caseRef: `KOM/${next}/2026`,
      lines: [
        { code: "DR", amount: 5400 + (next % 7), recipient: "POWIAT" },
        { code: "FEE", amount: 200, recipient: "OPERATOR", label: "Opłata manipulacyjna" },
      ],
    });
    enqueuePaymentReports(db, id, config);
  });
  reporting.worker.kick();
  next++;
  // A payment every few milliseconds, like a busy kiosk compressed in time.
  await new Promise((r) => setTimeout(r, 2));
}
