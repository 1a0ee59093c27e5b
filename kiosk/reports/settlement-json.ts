/** The settlement report as JSON (amounts in grosze), streamed: the payment list is written as it is read. */
import type { Writable } from "node:stream";
import type { Db } from "../store/db.ts";
import { scanPaidPaymentsJson } from "../store/paid-payments-json.ts";
import type { SettlementSummary } from "./settlement-summary.ts";
import { Sink } from "./sink.ts";

function member(name: string, value: unknown): string {
  return `  ${JSON.stringify(name)}: ${JSON.stringify(value, null, 2).replaceAll("\n", "\n  ")}`;
}

export async function writeSettlementJson(
  db: Db,
  summary: SettlementSummary,
  out: Writable | NodeJS.WritableStream,
): Promise<void> {
  const sink = new Sink(out);
  sink.write("{\n");
  // `undecided` is an addition (session 17), before the payments, which are streamed last.
  for (const key of ["header", "totals", "reconciliation", "reversals", "undecided"] as const)
    sink.write(`${member(key, summary[key])},\n`);
  sink.write('  "payments": [');
  let n = 0;
  // Each page arrives as its payments' JSON texts (the ReportPayment shape), already joined.
  await scanPaidPaymentsJson(
    db,
    { fromDay: summary.header.day, toDay: summary.header.day },
    (text, payments) => {
      sink.write(n === 0 ? "\n    " : ",\n    ");
      sink.write(text);
      n += payments;
    },
    () => sink.drain(),
  );
  sink.write(n === 0 ? "]\n}\n" : "\n  ]\n}\n");
  await sink.drain();
}
