/**
 * What the console says about a payment recovery could not decide, in the console's language: when
 * it started and which slip it paid (what staff look for in the terminal's journal), how far it got,
 * what the terminal repeated, and the receipt number of an approval the kiosk stored before it died.
 */
import type { Language } from "../api.ts";
import { formatDateTime } from "../format.ts";
import type { ServiceMessages } from "../i18n/service.ts";
import type { UnresolvedPayment } from "./service-api.ts";

export function unresolvedFacts(
  p: UnresolvedPayment,
  t: ServiceMessages["payments"],
  lang: Language,
): string[] {
  const started = [p.startedAt ? `${t.startedAt}: ${formatDateTime(p.startedAt, lang)}` : null];
  if (p.slip) started.push(`${t.slip}: ${p.slip}`);
  const facts = [
    started.filter((s) => s !== null).join(" · "),
    `${t.stage}: ${t.stages[p.stage] ?? p.stage}`,
    `${t.terminalAnswer}: ${p.answer ? (t.answers[p.answer] ?? p.answer) : "–"}`,
  ];
  if (p.receiptNo) facts.push(`${t.storedReceipt}: ${p.receiptNo}`);
  return facts.filter((f) => f !== "");
}
