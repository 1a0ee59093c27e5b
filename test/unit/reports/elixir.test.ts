import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { PAYOUT_DAYS } from "../../helpers/payout-days.ts";
import {
  ElixirError,
  elixirSubLines,
  elixirText,
  elixirTransfers,
  encodeElixir,
} from "../../../kiosk/reports/elixir.ts";
import { payoutFile } from "../../../kiosk/reports/commands.ts";
import { settlementSummary } from "../../../kiosk/reports/settlement-summary.ts";
import { openDatabase } from "../../../kiosk/store/db.ts";
import { makeNrb } from "../../../kiosk/domain/nrb.ts";
import {
  DAY,
  insertPayment,
  reportingConfig,
  seedFixedDay,
} from "../../integration/reporting/fixture-day.ts";

describe("Elixir-O", () => {
  it("keeps Polish letters and replaces what banks reject", () => {
    expect(elixirText('Gmina "Łódź": podatki; 50% & więcej — @x')).toBe("Gmina Łódź podatki 50 więcej - x");
  });

  it("breaks sub-lines of at most 35 characters between words, each part on its own lines", () => {
    // Before: "Starostwo Powiatowe w Przykładowie |" would have been cut at 35 (`Przykł|adowie` one letter on).
    expect(elixirSubLines(["SP-PRZ Starostwo Powiatowe w Przykładowie", "ROZLICZENIE 2026-12-07"])).toBe(
      "SP-PRZ Starostwo Powiatowe w|Przykładowie|ROZLICZENIE 2026-12-07",
    );
    expect(elixirSubLines(["Starostwo Powiatowe w Przykładowie – dochody"])).toBe(
      "Starostwo Powiatowe w Przykładowie|- dochody",
    );
    // A word of exactly 35 fills its line; a longer one is cut where the line ends.
    expect(elixirSubLines([`${"A".repeat(35)} B`])).toBe(`${"A".repeat(35)}|B`);
    expect(elixirSubLines([`x ${"C".repeat(40)}`])).toBe(`x|${"C".repeat(35)}|CCCCC`);
  });

  it("runs the parts on when each on its own lines needs more than four; refuses, naming the field, what four cannot hold", () => {
    const parts = [
      "ROZLICZENIE 2026-12-07",
      "SP-PRZ Starostwo",
      "Powiatowe",
      "w Przykładowie",
      "GEODEZJA+PODATKI",
    ];
    const lines = elixirSubLines(parts).split("|");
    expect(lines).toEqual([
      "ROZLICZENIE 2026-12-07 SP-PRZ",
      "Starostwo Powiatowe w Przykładowie",
      "GEODEZJA+PODATKI",
    ]);
    expect(lines.join(" ")).toBe(parts.join(" "));
    // Before: the first four sub-lines were kept and the rest dropped without a word.
    expect(() => elixirSubLines(["A".repeat(100), "B".repeat(100)], "title")).toThrow(ElixirError);
    expect(() => elixirSubLines(["A".repeat(100), "B".repeat(100)], "title")).toThrow(
      /title does not fit in 4 lines of 35 characters/,
    );
    expect(elixirSubLines(["A".repeat(140)]).split("|")).toEqual([
      "A".repeat(35),
      "A".repeat(35),
      "A".repeat(35),
      "A".repeat(35),
    ]);
  });

  it("transfers sum to the day's collected money less the operator's own share, and encode to CP1250", () => {
    const config = reportingConfig();
    const db = openDatabase(":memory:");
    seedFixedDay(db, config);
    const summary = settlementSummary(db, config, DAY, new Date());
    const text = elixirTransfers(summary, config, { executionDate: "2026-11-27" });
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines.every((l) => l.startsWith("110,20261127,"))).toBe(true);
    const sum = lines.reduce((a, l) => a + Number(l.split(",")[2]), 0);
    expect(sum).toBe(summary.totals.approvedTotal - 600);
    const cp1250 = encodeElixir(text, "cp1250");
    expect(iconv.decode(cp1250, "cp1250")).toBe(text);
    expect(cp1250.includes(Buffer.from([0xa3]))).toBe(true); // Ł in CP1250
    expect(() => elixirTransfers(summary, config, { orderingRecipient: "NOBODY" })).toThrow(
      /ordering account/,
    );
    db.close();
  });

  it("pays each account what was collected for it when a recipient's account changed during the day (one transfer per account)", () => {
    const before = reportingConfig();
    // The office corrected POWIAT's account at noon; each payment's lines keep the account they were taken for.
    const corrected = makeNrb("10205226", "0000000000000001");
    const after = reportingConfig({
      recipients: { ...before.recipients, POWIAT: { ...before.recipients["POWIAT"]!, nrb: corrected } },
    });
    const db = openDatabase(":memory:");
    const dr = (amount: number) => ({ code: "DR", amount, recipient: "POWIAT" });
    insertPayment(db, before, { id: "K01_1", paidAt: `${DAY}T09:00:00+01:00`, lines: [dr(5400), dr(100)] });
    insertPayment(db, after, { id: "K01_2", paidAt: `${DAY}T13:00:00+01:00`, lines: [dr(8000)] });
    const summary = settlementSummary(db, after, DAY, new Date());
    const old = before.recipients["POWIAT"]!.nrb;
    expect(summary.totals.perRecipient.map((r) => [r.recipient, r.nrb, r.lines, r.amount])).toEqual(
      [
        ["POWIAT", old, 2, 5500],
        ["POWIAT", corrected, 1, 8000],
      ].sort((a, b) => (String(a[1]) < String(b[1]) ? -1 : 1)),
    );
    // The component table names no account: one row for DR.
    expect(summary.totals.perComponent).toEqual([
      {
        code: "DR",
        label: "Dowód rejestracyjny",
        recipient: "POWIAT",
        lines: 3,
        quantity: 3,
        amount: 13_500,
      },
    ]);
    const transfers = elixirTransfers(summary, after, { executionDate: "2026-11-26" })
      .split("\r\n")
      .filter(Boolean)
      .map((l) => l.split(","))
      .map((f) => [f[6], Number(f[2])]);
    expect(transfers).toEqual(
      expect.arrayContaining([
        [`"${old}"`, 5500],
        [`"${corrected}"`, 8000],
      ]),
    );
    expect(transfers).toHaveLength(2);
    db.close();
  });

  it("without a handling-fee recipient: an empty day is an empty file; a day with money names the key to set", () => {
    // SPEC §3 makes handlingFee optional; such a kiosk has no account configured to order transfers from.
    const base = reportingConfig();
    const config = { ...base, handlingFee: { amount: 0 } } as typeof base;
    const db = openDatabase(":memory:");
    expect(elixirTransfers(settlementSummary(db, config, DAY, new Date()), config)).toBe("");
    seedFixedDay(db, base);
    const summary = settlementSummary(db, config, DAY, new Date());
    expect(() => elixirTransfers(summary, config)).toThrow(/handlingFee\.recipient/);
    expect(() => elixirTransfers(summary, config)).not.toThrow(/recipient {2}is/);
    db.close();
  });

  it("dates the transfers on the first banking day after the settlement day (a Friday's, a Saturday's and Easter's on the next working day), unless told", () => {
    // Before: the next calendar day, so a Saturday's file was dated Sunday, and Easter Sunday's Easter
    // Monday — days with no Elixir session.
    const config = reportingConfig();
    const db = openDatabase(":memory:");
    for (const [i, day] of Object.keys(PAYOUT_DAYS).entries())
      insertPayment(db, config, {
        id: `pay-${i + 1}`,
        paidAt: `${day}T10:00:00+01:00`,
        lines: [{ code: "DR", amount: 5400, recipient: "POWIAT" }],
      });
    const executionDates = (day: string, executionDate?: string) => [
      ...new Set(
        elixirTransfers(settlementSummary(db, config, day, new Date()), config, { executionDate })
          .split("\r\n")
          .filter(Boolean)
          .map((l) => l.split(",")[1]),
      ),
    ];
    for (const [day, execution] of Object.entries(PAYOUT_DAYS)) {
      expect(executionDates(day)).toEqual([execution.replaceAll("-", "")]);
      // The CLI's and admin route's file (`report payouts`) is the same file.
      const file = payoutFile(db, config, day, "utf8").toString("utf8");
      expect(file.split(",")[1]).toBe(execution.replaceAll("-", ""));
    }
    // An execution date the operator gives is kept as given, even a Saturday.
    expect(executionDates("2026-11-20", "2026-11-21")).toEqual(["20261121"]);
    db.close();
  });
});
