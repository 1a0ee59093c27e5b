/**
 * The hour the clocks go back (Warsaw, last Sunday of October: 02:00–02:59:59 twice) as a finance clerk
 * reads the day: two payments at 02:30:00 are told apart on the page and in the settlement PDF, and
 * the rest of the day, midnight included, reads as before.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { HubConfig } from "../../../hub/config/types.ts";
import type { SettlementHeader } from "../../../hub/reports/settlement.ts";
import { settlementPdf } from "../../../hub/reports/settlement-pdf.ts";
import type { HubDb } from "../../../hub/store/db.ts";
import { timeOfDay } from "../../../hub/web/src/format.ts";
import { repeatedWallTime } from "../../../kiosk/domain/time.ts";

const SUMMER = "2026-10-25T02:30:00+02:00";
const WINTER = "2026-10-25T02:30:00+01:00";

describe("the repeated hour at the end of summer time", () => {
  it("is known as summer then winter time; other times, midnight and spring's change are not", () => {
    expect(repeatedWallTime(new Date(SUMMER))).toBe("summer");
    expect(repeatedWallTime(new Date(WINTER))).toBe("winter");
    expect(repeatedWallTime(new Date("2026-10-25T02:00:00+02:00"))).toBe("summer");
    expect(repeatedWallTime(new Date("2026-10-25T02:59:59+01:00"))).toBe("winter");
    for (const iso of [
      "2026-10-25T01:59:59+02:00",
      "2026-10-25T03:00:00+01:00",
      "2026-10-24T23:59:59+02:00",
      "2026-10-25T00:00:01+02:00",
      "2026-03-29T01:59:59+01:00",
      "2026-03-29T03:00:00+02:00",
      "2026-11-25T02:30:00+01:00",
    ])
      expect(repeatedWallTime(new Date(iso)), iso).toBeNull();
  });

  it("names summer and winter time on the page's transaction list, in Polish and English", () => {
    const shown = (iso: string, language: "pl" | "en") => timeOfDay(iso, language).replace(/\s+/g, " ");
    expect(shown(SUMMER, "pl")).toBe("02:30:00 (czas letni)");
    expect(shown(WINTER, "pl")).toBe("02:30:00 (czas zimowy)");
    expect(shown(SUMMER, "en")).toBe("02:30:00 (summer time)");
    expect(shown(WINTER, "en")).toBe("02:30:00 (winter time)");
    expect(shown("2026-10-25T00:00:01+02:00", "pl")).toBe("00:00:01");
    expect(shown("2026-10-25T23:59:59+01:00", "en")).toBe("23:59:59");
  });

  it("prints the offset in the settlement PDF for those two only", async () => {
    const rows = [
      ["tx-1", "2026-10-25T00:00:01+02:00"],
      ["tx-2", SUMMER],
      ["tx-3", WINTER],
      ["tx-4", "2026-10-25T23:59:59+01:00"],
    ].map(([id, paidAt]) => ({
      id,
      paid_at: paidAt,
      device: "K01",
      cashier: null,
      case_ref: "KOM/123/2026",
      reversed_at: null,
      recipient: "POWIAT",
      component: "DR",
      amount: 1_001,
    }));
    const db: HubDb = {
      kind: "embedded",
      query: async () => [],
      transaction: async () => {
        throw new Error("not here");
      },
      stream: async (_sql, _params, _batch, onRows) => onRows(rows as never[]),
      close: async () => {},
    };
    const config = {
      offices: { PZ1465: { id: "PZ1465", name: "Starostwo", recipients: {} } },
    } as unknown as HubConfig;
    const header = {
      count: 4,
      total: 4_004,
      closed: false,
      recipients: [],
      components: [],
      devices: [],
      reconciliation: [],
      reversals: [],
    } as unknown as SettlementHeader;
    const chunks: Buffer[] = [];
    for await (const c of settlementPdf(db, config, header, {
      office: "PZ1465",
      from: "2026-10-25",
      to: "2026-10-25",
    }))
      chunks.push(c as Buffer);
    const text = execFileSync("pdftotext", ["-layout", "-", "-"], {
      input: Buffer.concat(chunks),
      encoding: "utf8",
    });
    const timeOf = (id: string) =>
      text
        .split("\n")
        .find((l) => l.startsWith(id))
        ?.split(/\s+/)[1];
    expect([timeOf("tx-1"), timeOf("tx-2"), timeOf("tx-3"), timeOf("tx-4")]).toEqual([
      "2026-10-25T00:00:01",
      "2026-10-25T02:30:00+02:00",
      "2026-10-25T02:30:00+01:00",
      "2026-10-25T23:59:59",
    ]);
  });
});
