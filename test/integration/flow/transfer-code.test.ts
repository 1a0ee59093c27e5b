/**
 * SPEC §1b through the visitor API: a bank transfer QR to an account whose recipient takes transfer
 * codes is a basket of one service line (the code's amount, its title as the reference), paid by card
 * and reported to settlement only; any other transfer code is SLIP_UNREADABLE and starts nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FakePrinter } from "../../../devices/sim/fake-printer.ts";
import { FakeTerminal } from "../../../devices/sim/fake-terminal.ts";
import type { KioskConfig } from "../../../kiosk/config/types.ts";
import { createKiosk } from "../../../kiosk/main.ts";
import { createLogger } from "../../../kiosk/ops/logger.ts";
import { type Harness, makeHarness, postTo, testLogFile, waitForState } from "../../helpers/kiosk-harness.ts";
import { StandInIo, StandInScanner } from "../../helpers/stand-ins.ts";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const post = (url: string, body?: unknown) => postTo(h, url, body);

function takesTransferCodes(c: KioskConfig): KioskConfig {
  const gmina = c.recipients.GMINA;
  if (!gmina) throw new Error("the test office has a GMINA recipient");
  return {
    ...c,
    recipients: { ...c.recipients, GMINA: { ...gmina, transferCodes: { service: "TAX_LOCAL" } } },
    // Unreachable receivers: the messages stay in the outbox, where the test reads them.
    integrations: {
      pik: { url: "http://127.0.0.1:9", reporting: "direct" },
      settlement: { url: "http://127.0.0.1:9" },
    },
  } as KioskConfig;
}

function code(nrb: string, amount: string, title = "Podatek od nieruchomości 2026 rata 1"): string {
  return `1234563218|PL|${nrb}|${amount}|Gmina Testowo|${title}|||`;
}

function outboxBy(destination: string): number {
  return (
    h.kiosk.db.prepare("SELECT count(*) AS n FROM outbox WHERE destination = ?").get(destination) as {
      n: number;
    }
  ).n;
}

describe("bank transfer codes (SPEC §1b)", () => {
  it("pays a transfer code to a recipient that takes them as one service line, reported to settlement only", async () => {
    h = await makeHarness({ logName: "transfer-code", config: takesTransferCodes });
    const nrb = h.kiosk.config.recipients.GMINA?.nrb as string;
    const scanned = await post("/api/scan", { payload: code(nrb, "012345") });
    expect(scanned.statusCode).toBe(200);
    const view = scanned.json();
    expect(view.state).toBe("summary");
    expect(view.slip).toBeNull();
    expect(view.slips).toEqual([]);
    expect(view.total).toBe(12_345);
    expect(view.lines).toEqual([
      expect.objectContaining({
        code: "TAX_LOCAL",
        amount: 12_345,
        recipient: "GMINA",
        recipientName: "Gmina Testowo",
        reference: "Podatek od nieruchomości 2026 rata 1",
      }),
    ]);
    expect((await post("/api/session/pay")).statusCode).toBe(202);
    await waitForState(h.kiosk, ["done"]);
    expect(h.terminal.turnover.map((t) => t.amount)).toEqual([12_345]);
    expect(outboxBy("pik")).toBe(0);
    expect(outboxBy("settlement")).toBe(1);
  });

  it("keeps the whole title as the line's reference, however long within the code's 160 characters", async () => {
    h = await makeHarness({ logName: "transfer-code-title", config: takesTransferCodes });
    const nrb = h.kiosk.config.recipients.GMINA?.nrb as string;
    const title =
      "Decyzja FN.3120.123.2026 z 15.01.2026: podatek od nieruchomości, rata 1 z 4, ul. Źródlana 7/12";
    const payload = code(nrb, "012345", title);
    expect(payload.length).toBeLessThanOrEqual(160);
    const scanned = await post("/api/scan", { payload });
    expect(scanned.statusCode).toBe(200);
    expect(scanned.json().lines[0].reference).toBe(title);
    expect((await post("/api/session/pay")).statusCode).toBe(202);
    await waitForState(h.kiosk, ["done"]);
    const paid = h.kiosk.flow.view().payment?.id as string;
    expect(h.kiosk.flow.receiptModel(paid)?.lines[0]?.reference).toBe(title);
  });

  it.each([
    [
      "to an account whose recipient takes no transfer codes",
      (n: { powiat: string }) => code(n.powiat, "012345"),
      "a bank transfer code to an account no recipient here takes transfer codes for",
    ],
    [
      "for less than the service allows",
      (n: { gmina: string }) => code(n.gmina, "000050"),
      "a bank transfer code for 50 grosze, outside TAX_LOCAL's range 100–1000000",
    ],
    [
      "with a foreign country code",
      (n: { gmina: string }) => code(n.gmina, "012345").replace("|PL|", "|DE|"),
      "expected 10 fields, got 9",
    ],
  ])("refuses a code %s as SLIP_UNREADABLE and starts nothing", async (_what, make, why) => {
    h = await makeHarness({ logName: "transfer-code-refused", config: takesTransferCodes });
    const nrbs = {
      gmina: h.kiosk.config.recipients.GMINA?.nrb as string,
      powiat: h.kiosk.config.recipients.POWIAT?.nrb as string,
    };
    const scanned = await post("/api/scan", { payload: make(nrbs) });
    expect(scanned.statusCode).toBe(422);
    expect(scanned.json().code).toBe("SLIP_UNREADABLE");
    // The title says why, for the technician: a transfer code, and what of the configuration refused it.
    expect(scanned.json().title).toBe(`SLIP_UNREADABLE: ${why}`);
    expect(h.kiosk.flow.view().state).toBe("idle");
    expect(h.kiosk.flow.view().error).toMatchObject({ code: "SLIP_UNREADABLE" });
    expect((h.kiosk.db.prepare("SELECT count(*) AS n FROM sessions").get() as { n: number }).n).toBe(0);
  });

  it("refuses a code whose service is not on today's price list (only a later version), naming it", async () => {
    const later = (c: KioskConfig): KioskConfig => {
      const t = takesTransferCodes(c);
      return {
        ...t,
        catalog: t.catalog.map((i) => (i.code === "TAX_LOCAL" ? { ...i, validFrom: "2099-01-01" } : i)),
      };
    };
    h = await makeHarness({ logName: "transfer-code-later", config: later });
    const nrb = h.kiosk.config.recipients.GMINA?.nrb as string;
    const scanned = await post("/api/scan", { payload: code(nrb, "012345") });
    expect(scanned.statusCode).toBe(422);
    expect(scanned.json().title).toBe(
      "SLIP_UNREADABLE: a bank transfer code for GMINA, whose service TAX_LOCAL is not on today's price list",
    );
  });

  it("asks the visitor for the amount of a 000000 code, within the service's range, before it can be paid", async () => {
    h = await makeHarness({ logName: "transfer-code-open", config: takesTransferCodes });
    const nrb = h.kiosk.config.recipients.GMINA?.nrb as string;
    const fee = h.kiosk.config.handlingFee.amount;
    const scanned = await post("/api/scan", { payload: code(nrb, "000000") });
    expect(scanned.statusCode).toBe(200);
    const view = scanned.json();
    expect(view.state).toBe("summary");
    expect(view.total).toBe(fee);
    expect(view.lines).toEqual([
      expect.objectContaining({
        code: "TAX_LOCAL",
        amount: 0,
        amountToEnter: { min: 100, max: 1_000_000 },
        reference: "Podatek od nieruchomości 2026 rata 1",
      }),
    ]);
    // What the visitor (and the event stream) sees is the same.
    expect((await h.kiosk.app.inject({ method: "GET", url: "/api/session" })).json().lines[0].amount).toBe(0);

    // Nothing is paid, and no slip joins, before the amount is there.
    const early = await post("/api/session/pay");
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe("VALIDATION");
    expect(h.terminal.turnover).toEqual([]);
    for (const amount of [99, 1_000_001]) {
      const refused = await post("/api/session/amount", { amount });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().code).toBe("VALIDATION");
    }
    expect(h.kiosk.flow.view().lines[0]?.amount).toBe(0);

    const entered = await post("/api/session/amount", { amount: 25_050 });
    expect(entered.statusCode).toBe(200);
    expect(entered.json().total).toBe(25_050 + fee);
    expect(entered.json().lines[0]).toEqual(expect.objectContaining({ amount: 25_050 }));
    expect(entered.json().lines[0].amountToEnter).toBeUndefined();
    // Once entered, it is not open any more.
    expect((await post("/api/session/amount", { amount: 300 })).statusCode).toBe(409);

    expect((await post("/api/session/pay")).statusCode).toBe(202);
    await waitForState(h.kiosk, ["done"]);
    expect(h.terminal.turnover.map((t) => t.amount)).toEqual([25_050 + fee]);
  });

  it("a restart before the amount is typed ends the visit: the placeholder held meanwhile is never paid (risk 3b)", async () => {
    h = await makeHarness({ logName: "transfer-code-restart", config: takesTransferCodes });
    const nrb = h.kiosk.config.recipients.GMINA?.nrb as string;
    const scanned = (await post("/api/scan", { payload: code(nrb, "000000") })).json();
    const id = scanned.id as string;
    // What is stored meanwhile is the service's minimum; only memory knows it is not the visitor's.
    const stored = () =>
      h.kiosk.db.prepare("SELECT state, total FROM sessions WHERE id = ?").get(id) as {
        state: string;
        total: number;
      };
    expect(stored()).toEqual({ state: "summary", total: 100 + h.kiosk.config.handlingFee.amount });

    // The daemon stops with the summary on screen and starts again on the same data.
    await h.kiosk.close();
    const terminal = new FakeTerminal();
    const kiosk = await createKiosk({
      config: h.kiosk.config,
      dataDir: h.dataDir,
      devices: { terminal, printer: new FakePrinter(), scanner: new StandInScanner(), gpio: new StandInIo() },
      logger: createLogger({ level: "debug", destination: testLogFile("transfer-code-restart-2") }),
      uiDir: `${h.dataDir}/no-ui`,
    });
    await kiosk.start({ port: 0 });
    h = { ...h, kiosk, terminal };

    // The visit is over: nothing to pay, no amount to enter, and the placeholder was never charged.
    expect(stored().state).toBe("cancelled");
    expect(kiosk.flow.view().state).toBe("idle");
    expect((await post("/api/session/pay")).statusCode).toBe(409);
    expect((await post("/api/session/amount", { amount: 25_050 })).statusCode).toBe(409);
    expect(terminal.turnover).toEqual([]);
  });

  it("refuses an amount where no transfer code asked for one", async () => {
    h = await makeHarness({ logName: "transfer-code-no-open", config: takesTransferCodes });
    const nrb = h.kiosk.config.recipients.GMINA?.nrb as string;
    expect((await post("/api/scan", { payload: code(nrb, "012345") })).statusCode).toBe(200);
    expect((await post("/api/session/amount", { amount: 500 })).statusCode).toBe(409);
    expect(h.kiosk.flow.view().total).toBe(12_345 + h.kiosk.config.handlingFee.amount);
  });
});
