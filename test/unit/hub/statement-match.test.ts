/**
 * Matching a payout account's statement as a finance clerk reads it: an acquirer that pays one day's
 * card takings in parts (one credit per card scheme) has paid that day in full, a credit booked twice
 * is one match and one extra line, and parts that do not add up are one difference of their sum.
 */
import { describe, expect, it } from "vitest";
import {
  acquirerCreditDue,
  type Expected,
  expectationWindow,
  matchStatement,
  payoutDue,
} from "../../../hub/statements/match.ts";
import { parseMt940, type Statement } from "../../../hub/statements/mt940.ts";

const PAYER = "10109010140000000146519999";

const credit = (day: string, amount: number): Expected => ({
  kind: "acquirer_credit",
  day,
  amount,
  dueFrom: "2026-10-25",
  dueTo: "2026-10-28",
});

function statement(lines: Array<[mark: "C" | "D", amount: string, title: string]>): Statement {
  const grosze = (a: string) => Number(a.replace(",", ""));
  const net = lines.reduce((a, [m, x]) => a + (m === "C" ? grosze(x) : -grosze(x)), 0);
  const closing = 1_000_000 + net;
  const text = [
    ":20:ST/2026/10/30",
    `:25:/PL${PAYER}`,
    ":28C:00001/1",
    ":60F:C261024PLN10000,00",
    ...lines.flatMap(([mark, amount, title]) => [`:61:2610261026${mark}${amount}NTRFNONREF`, `:86:${title}`]),
    `:62F:C261030PLN${Math.floor(closing / 100)},${String(closing % 100).padStart(2, "0")}`,
  ].join("\r\n");
  const parsed = parseMt940(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.statements[0]!;
}

const summary = (r: ReturnType<typeof matchStatement>) => ({
  matched: r.matched.map((m) => [m.expected.day, m.lines.map((l) => l.amount)]),
  different: r.different.map((d) => [d.expected.day, d.lines.map((l) => l.amount), d.difference]),
  missing: r.missing.map((x) => x.day),
  extra: r.extra.map((e) => [e.amount, e.details, e.repeats?.day ?? null]),
});

describe("a statement's credits against the acquirer's expected settlements", () => {
  it("takes a day paid in parts (one credit per card scheme) as paid in full, to the grosz", () => {
    const s = statement([
      ["C", "1000,01", "ROZLICZENIE 20261025 VISA"],
      ["C", "463,33", "ROZLICZENIE 20261025 MASTERCARD"],
    ]);
    expect(summary(matchStatement(s, "payer", [credit("2026-10-25", 146_334)]))).toEqual({
      matched: [["2026-10-25", [100_001, 46_333]]],
      different: [],
      missing: [],
      extra: [],
    });
  });

  it("compares parts that do not add up by their sum: one difference, nothing extra", () => {
    const s = statement([
      ["C", "1000,00", "ROZLICZENIE 2026-10-25 CZESC 1"],
      ["C", "463,00", "ROZLICZENIE 2026-10-25 CZESC 2"],
    ]);
    expect(summary(matchStatement(s, "payer", [credit("2026-10-25", 146_334)]))).toEqual({
      matched: [],
      different: [["2026-10-25", [100_000, 46_300], -34]],
      missing: [],
      extra: [],
    });
  });

  it("counts a credit booked twice once: the second is extra, named as repeating the matched day", () => {
    const s = statement([
      ["C", "123,45", "ROZLICZENIE TERMINALI 2026-10-24"],
      ["C", "123,45", "ROZLICZENIE TERMINALI 2026-10-24"],
    ]);
    expect(summary(matchStatement(s, "payer", [credit("2026-10-24", 12_345)]))).toEqual({
      matched: [["2026-10-24", [12_345]]],
      different: [],
      missing: [],
      extra: [[12_345, "ROZLICZENIE TERMINALI 2026-10-24", "2026-10-24"]],
    });
  });
  it("names a payout sent twice (the Elixir file imported twice) as repeating the matched one", () => {
    const payout: Expected = {
      kind: "payout",
      day: "2026-10-25",
      amount: 6_804,
      reference: "PZ1465/20261025/001",
      recipient: "GMINA",
      nrb: "68124099900000000014652002",
      dueFrom: "2026-10-26",
      dueTo: "2026-10-28",
    };
    const s = statement([
      ["D", "68,04", "PZ1465/20261025/001 GMINA"],
      ["D", "68,04", "PZ1465/20261025/001 GMINA"],
      ["C", "5,00", "ODSETKI"],
    ]);
    const r = matchStatement(s, "payer", [payout]);
    expect(r.matched.map((m) => m.expected.reference)).toEqual(["PZ1465/20261025/001"]);
    expect(r.extra.map((e) => [e.mark, e.amount, e.repeats?.reference ?? null])).toEqual([
      ["D", 6_804, "PZ1465/20261025/001"],
      ["C", 500, null],
    ]);
  });
});

describe("the windows credits and payouts are due in, in banking days", () => {
  it("keeps an ordinary week's windows and stretches them over weekends and holidays", () => {
    // Monday's takings: Tuesday to Thursday, as the calendar-day windows gave.
    expect(acquirerCreditDue("2026-11-16")).toEqual({ dueFrom: "2026-11-17", dueTo: "2026-11-19" });
    // Friday's: Monday to Wednesday (before: Saturday to Monday).
    expect(acquirerCreditDue("2026-11-20")).toEqual({ dueFrom: "2026-11-23", dueTo: "2026-11-25" });
    // Good Friday's: Tuesday after Easter Monday to Thursday (before: Saturday to Easter Monday).
    expect(acquirerCreditDue("2026-04-03")).toEqual({ dueFrom: "2026-04-07", dueTo: "2026-04-09" });
    expect(payoutDue("2026-04-07")).toEqual({ dueFrom: "2026-04-07", dueTo: "2026-04-09" });
    // A statement from Tuesday after Easter looks back to days whose credit may still come then.
    expect(expectationWindow("2026-04-07", "2026-04-07")).toEqual({ from: "2026-04-01", to: "2026-04-06" });
  });

  it("matches Good Friday's credit booked on the Tuesday after Easter Monday, naming no day", () => {
    const s = parseMt940(
      [
        ":20:ST/2026/04/07",
        `:25:/PL${PAYER}`,
        ":28C:00019/1",
        ":60F:C260402PLN10000,00",
        ":61:2604070407C123,45NTRFNONREF",
        ":86:UZNANIE ZBIORCZE",
        ":62F:C260407PLN10123,45",
      ].join("\r\n"),
    );
    if (!s.ok) throw new Error(JSON.stringify(s.errors));
    const friday: Expected = {
      kind: "acquirer_credit",
      day: "2026-04-03",
      amount: 12_345,
      ...acquirerCreditDue("2026-04-03"),
    };
    expect(summary(matchStatement(s.statements[0]!, "payer", [friday]))).toEqual({
      matched: [["2026-04-03", [12_345]]],
      different: [],
      missing: [],
      extra: [],
    });
  });
});
