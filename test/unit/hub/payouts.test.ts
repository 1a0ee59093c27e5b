/**
 * The hub's payouts (SPEC §9): one transfer per recipient account for the day's net amount, as the
 * kiosk's Elixir-O export makes them — two recipient codes paid into one account are one transfer.
 */
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { PAYOUT_DAYS } from "../../helpers/payout-days.ts";
import type { HubConfig } from "../../../hub/config/types.ts";
import { payoutsElixir, payoutsOf } from "../../../hub/reports/payouts.ts";
import { ElixirError } from "../../../kiosk/domain/elixir.ts";
import type { SqlClient } from "../../../hub/store/db.ts";

const SHARED = "68124099900000000014652002";
const OWN = "12102099920000000014651001";
const PAYER = "10109010140000000146519999";

const config: HubConfig = {
  database: { url: "postgres://unused" },
  server: { host: "127.0.0.1", port: 0 },
  offices: {
    "UG-1": {
      id: "UG-1",
      name: "Urząd Gminy",
      recipients: {
        GEODEZJA: { name: "Gmina — dochody", nrb: SHARED },
        PODATKI: { name: "Gmina — dochody", nrb: SHARED },
        POWIAT: { name: "Powiat", nrb: OWN },
        OPERATOR: { name: "Operator", nrb: PAYER },
      },
    },
  },
  devices: [],
  staff: [],
  bank: { payerNrb: PAYER, payerName: "Operator" },
};

/** The day's per-recipient rows as the ledger gives them (code, account, count, net total). */
function ledger(rows: Array<{ code: string; nrb: string; count: number; total: number }>): SqlClient {
  return {
    async query<R extends object>(sql: string): Promise<R[]> {
      if (sql.includes("FROM office_days")) return [] as R[];
      return rows as unknown as R[];
    },
  };
}

describe("hub payouts", () => {
  it("pays two recipient codes that share an account in one transfer of their sum", async () => {
    const db = ledger([
      { code: "GEODEZJA", nrb: SHARED, count: 2, total: 1_500 },
      { code: "OPERATOR", nrb: PAYER, count: 3, total: 3 },
      { code: "PODATKI", nrb: SHARED, count: 1, total: 2_501 },
      { code: "POWIAT", nrb: OWN, count: 1, total: 700 },
    ]);
    const p = await payoutsOf(db, config, "UG-1", "2026-11-25");
    expect(p.transfers.map((t) => [t.nrb, t.amount])).toEqual([
      [SHARED, 4_001],
      [OWN, 700],
    ]);
    expect([p.count, p.total]).toEqual([2, 4_701]);
    expect(p.transfers[0]?.name).toBe("Gmina — dochody");
    const lines = payoutsElixir(p).split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`"${SHARED}"`);
    expect(lines[0]?.split(",")[2]).toBe("4001");
  });

  it("breaks the title between words: the exact line and its CP1250 bytes", async () => {
    const named: HubConfig = {
      ...config,
      offices: {
        "SP-PRZ": { ...config.offices["UG-1"]!, id: "SP-PRZ", name: "Starostwo Powiatowe w Przykładowie" },
      },
    };
    const db = ledger([{ code: "POWIAT", nrb: OWN, count: 1, total: 700 }]);
    const line = payoutsElixir(await payoutsOf(db, named, "SP-PRZ", "2026-12-07"));
    // Before: "ROZLICZENIE 2026-12-07|SP-PRZ Starostwo Powiatowe w Przykł|adowie|POWIAT".
    const title = '"ROZLICZENIE 2026-12-07|SP-PRZ Starostwo Powiatowe w|Przykładowie|POWIAT"';
    expect(line).toBe(
      `110,20261208,700,10901014,0,"${PAYER}","${OWN}","Operator","Powiat",0,10209992,${title},"","","51","SP-PRZ/20261207/001"\r\n`,
    );
    const bytes = iconv.encode(line, "cp1250");
    const at = bytes.indexOf(Buffer.from('"ROZLICZENIE'));
    const ascii = (t: string) => [...Buffer.from(t, "ascii")];
    expect([...bytes.subarray(at, at + title.length)]).toEqual([
      ...ascii('"ROZLICZENIE 2026-12-07|SP-PRZ Starostwo Powiatowe w|Przyk'),
      0xb3, // ł in CP1250
      ...ascii('adowie|POWIAT"'),
    ]);
    expect(bytes.subarray(-2)).toEqual(Buffer.from([0x0d, 0x0a]));
  });

  it("refuses a recipient's name too long for four sub-lines instead of cutting it", async () => {
    const long: HubConfig = {
      ...config,
      offices: {
        "UG-1": {
          ...config.offices["UG-1"]!,
          recipients: { POWIAT: { name: `Powiat ${"bardzo ".repeat(25)}długi`, nrb: OWN } },
        },
      },
    };
    const p = await payoutsOf(
      ledger([{ code: "POWIAT", nrb: OWN, count: 1, total: 700 }]),
      long,
      "UG-1",
      "2026-12-07",
    );
    expect(() => payoutsElixir(p)).toThrow(ElixirError);
    expect(() => payoutsElixir(p)).toThrow(/recipient name does not fit/);
  });

  it("dates the payouts on the first banking day after the business day, as the kiosk's export does", async () => {
    // Before: the next calendar day (a Saturday's payouts dated Sunday, Easter Sunday's Easter Monday).
    const db = ledger([{ code: "POWIAT", nrb: OWN, count: 1, total: 700 }]);
    for (const [day, execution] of Object.entries(PAYOUT_DAYS)) {
      const p = await payoutsOf(db, config, "UG-1", day);
      expect(p.executionDate).toBe(execution);
      expect(payoutsElixir(p).split(",")[1]).toBe(execution.replaceAll("-", ""));
    }
  });
});
