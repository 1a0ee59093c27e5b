/**
 * The service console's alarm line in each language, from the alarm's kind and details; the
 * daemon's English summary only where the details do not say enough.
 */
import { describe, expect, it } from "vitest";
import type { Language } from "../../../ui/src/api.ts";
import { serviceMessages } from "../../../ui/src/i18n/service.ts";
import { alarmSummary } from "../../../ui/src/service/alarm-summary.ts";
import type { Alarm } from "../../../ui/src/service/service-api.ts";

const plain = (s: string) => s.replace(/\u00a0/g, " ");
const line = (a: Pick<Alarm, "kind" | "subject" | "summary" | "details">, lang: Language) =>
  plain(alarmSummary(a, serviceMessages(lang).queue, lang));

const mismatch = {
  kind: "end_of_day_mismatch",
  subject: "2026-12-05",
  summary:
    "end-of-day 2026-12-05: the terminal closed 3 payment(s) for 48000 gr, the kiosk recorded 2 for 32000 gr",
  details: { closingId: 4, terminalCount: 3, terminalTotal: 48000, kioskCount: 2, kioskTotal: 32000 },
};

describe("alarm lines in the console's language", () => {
  it("words an end-of-day mismatch with counted nouns and the language's amounts", () => {
    expect(line(mismatch, "pl")).toMatch(
      /terminal zamknął 3 płatności na 480,00 zł, automat zapisał 2 płatności na 320,00 zł/,
    );
    expect(line(mismatch, "uk")).toMatch(
      /термінал закрив 3 платежі на 480,00 zł, кіоск записав 2 платежі на 320,00 zł/,
    );
    expect(line(mismatch, "en")).toMatch(
      /terminal closed 3 payments for PLN 480.00, the kiosk recorded 2 payments for PLN 320.00/,
    );
    expect(line({ ...mismatch, details: { ...mismatch.details, kioskCount: 1 } }, "pl")).toContain(
      "1 płatność",
    );
  });

  it("keeps the daemon's line for a kind it does not know or details it lacks", () => {
    expect(line({ ...mismatch, details: null }, "pl")).toBe(mismatch.summary);
    expect(line({ ...mismatch, kind: "something_new" }, "uk")).toBe(mismatch.summary);
    expect(
      line({ kind: "payment_conflict", subject: "p1", summary: "pik answered 409", details: {} }, "pl"),
    ).toBe("pik answered 409");
  });
});
