/**
 * A cashier's shift at an attended desk (SPEC §10) through `oplatomat start`, as a cashier works it:
 * two payments one after the other without cancelling in between, a basket of a slip and a service,
 * a void with the PIN and a reason, and the close's report (payments, voids, totals per recipient and
 * per card brand) agreeing with what the settlement receiver got. A cashier with a Polish name, a
 * handling fee of 1 grosz, a 1-grosz slip line.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { businessDay } from "../../../kiosk/domain/time.ts";
import { hashPin } from "../../../kiosk/auth/pin-hash.ts";
import { ScriptedReceiver, until } from "../../helpers/cli-daemon.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";
import { type ConformanceKiosk, startConformanceKiosk } from "./rig.ts";

const keys = testKeys();
const settlement = new ScriptedReceiver();
const PIN = "55443322";
let desk: ConformanceKiosk | undefined;

const ADMIN_TOKEN = "office-admin-token-of-kasa-7-0123456789";
const adminTokenFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "opl-kasa7-")), "admin.token");

beforeAll(async () => {
  await settlement.start();
  fs.writeFileSync(adminTokenFile, ADMIN_TOKEN);
  desk = await startConformanceKiosk(
    "desk-day",
    {
      ...testConfig(keys),
      server: { host: "127.0.0.1", port: 0, management: { host: "127.0.0.1", port: 0 } },
      service: { pinHash: await hashPin("13572468", { N: 1024, r: 8, p: 1 }), adminTokenFile },
      kiosk: { id: "KASA-7", mode: "attended", languages: ["pl", "en"] },
      handlingFee: { amount: 1, recipient: "OPERATOR" },
      integrations: { settlement: { url: settlement.url } },
      cashiers: [
        { id: "MZ", name: "Małgorzata Żółkiewska", pinHash: await hashPin(PIN, { N: 1024, r: 8, p: 1 }) },
      ],
    },
    { management: true },
  );
}, 60_000);
afterAll(async () => {
  await desk?.close();
  await settlement.close();
  fs.rmSync(path.dirname(adminTokenFile), { recursive: true, force: true });
});

async function call(method: string, p: string, token?: string, body?: object) {
  const res = await fetch(`${desk?.url}${p}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: res.status, json, text, type: res.headers.get("content-type") ?? "" };
}

interface Session {
  state: string;
  total: number;
  slips: Array<{ id: string }>;
  lines: Array<{ code: string; amount: number; recipient: string }>;
  payment?: { id: string; cardBrand: string | null } | null;
}

async function pay(token: string): Promise<{ id: string; cardBrand: string | null }> {
  expect((await call("POST", "/api/session/pay", token)).status).toBe(202);
  return until(async () => {
    const s = (await call("GET", "/api/session", token)).json as unknown as Session;
    return s.state === "done" && s.payment?.id ? s.payment : undefined;
  }, "the payment");
}

describe("a cashier's shift (SPEC §10)", () => {
  it("takes payments one after another, voids one with PIN and reason, and closes with a report that agrees", async () => {
    expect((await call("GET", "/api/shift")).status).toBe(401);
    const open = await call("POST", "/api/shift/open", undefined, { cashier: "MZ", pin: PIN });
    expect(open.status).toBe(200);
    const token = open.json["token"] as string;

    // First payment: one slip of 1 grosz (+ the 1-grosz fee).
    const a = issueSlip(keys, { slip: "KS/1", lines: [{ code: "DR", amount: 1 }] });
    const first = await call("POST", "/api/scan", token, { payload: a });
    expect(first.status).toBe(200);
    expect((first.json as unknown as Session).total).toBe(2);
    const p1 = await pay(token);
    // The confirmation names the cashier who took the payment (the screen's image is the paper's text).
    const svg = await call("GET", `/api/payments/${encodeURIComponent(p1.id)}/receipt.svg`, token);
    expect(svg.status).toBe(200);
    // One <tspan> per character: the text is what is left without the tags.
    const printed = svg.text.replace(/<[^>]+>/g, "").replaceAll("&#xa0;", " ");
    expect(printed).toContain("Kasjer: Małgorzata Żółkiewska");

    // The next visitor's slip, scanned straight after the receipt: a new basket, not the paid one.
    const b = issueSlip(keys, { slip: "KS/2", lines: [{ code: "PEL", amount: 1_700 }] });
    const second = await call("POST", "/api/scan", token, { payload: b });
    expect(second.status).toBe(200);
    const s2 = second.json as unknown as Session;
    expect(s2.state).toBe("summary");
    expect(s2.slips.map((s) => s.id)).toEqual(["KS/2"]);
    expect(s2.total).toBe(1_701);
    const p2 = await pay(token);

    // A basket of a service and a slip, built in one request.
    const c = issueSlip(keys, { slip: "KS/3", lines: [{ code: "TAB", amount: 8_000 }] });
    const basket = await call("POST", "/api/basket", token, {
      items: [{ code: "GEO_MAP" }, { slip: c }],
    });
    expect(basket.status).toBe(200);
    expect((basket.json as unknown as Session).total).toBe(5_000 + 8_000 + 1);
    const p3 = await pay(token);
    expect(new Set([p1.id, p2.id, p3.id]).size).toBe(3);

    // A void needs the PIN and a reason.
    const voidPath = `/api/shift/payments/${encodeURIComponent(p2.id)}/void`;
    expect((await call("POST", voidPath, token, { pin: "00000000", reason: "pomyłka kasjera" })).status).toBe(
      401,
    );
    expect((await call("POST", voidPath, token, { pin: PIN })).status).toBe(400);
    const voided = await call("POST", voidPath, token, { pin: PIN, reason: "pomyłka kasjera" });
    expect(voided.status).toBe(200);

    const shift = await call("GET", "/api/shift", token);
    expect(shift.status).toBe(200);
    expect(shift.text).toContain("MZ");

    const closed = await call("POST", "/api/shift/close", token);
    expect(closed.status).toBe(200);
    const report = closed.json as {
      count: number;
      total: number;
      payments: Array<{ id: string; status: string }>;
      voids: Array<{ id: string; reason: string }>;
      recipients: Array<{ code: string; total: number }>;
      cardBrands: Array<{ code: string; count: number; total: number }>;
      shift: { cashier: { id: string; name: string } };
    };
    expect(report.shift.cashier).toEqual({ id: "MZ", name: "Małgorzata Żółkiewska" });
    expect(report.payments.map((p) => [p.id, p.status]).sort()).toEqual(
      [
        [p1.id, "approved"],
        [p2.id, "reversed"],
        [p3.id, "approved"],
      ].sort(),
    );
    expect(report.voids).toEqual([expect.objectContaining({ id: p2.id, reason: "pomyłka kasjera" })]);
    expect([report.count, report.total]).toEqual([2, 2 + 13_001]);
    const byRecipient = Object.fromEntries(report.recipients.map((r) => [r.code, r.total]));
    expect(byRecipient).toEqual({ POWIAT: 1 + 5_000 + 8_000, OPERATOR: 2 });
    expect(report.cardBrands.reduce((s, r) => s + r.total, 0)).toBe(13_003);
    expect(report.cardBrands.reduce((s, r) => s + r.count, 0)).toBe(2);

    // Every payment reached settlement with the cashier; the void as a reversal.
    const txs = await until(() => {
      const list = settlement.calls.filter((x) => x.path === "/transactions");
      return list.length === 3 ? list : undefined;
    }, "three settlement transactions");
    expect(txs.map((t) => t.body["cashier"])).toEqual(["MZ", "MZ", "MZ"]);
    await until(
      () => settlement.calls.find((x) => x.path === `/transactions/${encodeURIComponent(p2.id)}/reversal`),
      "the void's reversal",
    );

    expect((await call("GET", "/api/shift", token)).status).toBe(401);
    expect((await call("POST", "/api/scan", token, { payload: issueSlip(keys) })).status).toBe(401);

    // Office staff's payments list names the cashier of each payment, voided or not.
    const today = businessDay(new Date());
    const listed = await fetch(`${desk?.daemon.managementUrl}/api/admin/payments?from=${today}&to=${today}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(listed.status).toBe(200);
    const items = ((await listed.json()) as { items: Array<{ id: string; cashier: string | null }> }).items;
    expect(items.map((i) => [i.id, i.cashier]).sort()).toEqual(
      [
        [p1.id, "MZ"],
        [p2.id, "MZ"],
        [p3.id, "MZ"],
      ].sort(),
    );

    // The office fetches the closed shift's report by its id, as it closed (JSON) and as PDF; an open
    // or unknown shift has none (the developers' own admin route).
    const shiftId = (closed.json as { shift: { id: string } }).shift.id;
    const admin = (p: string) =>
      fetch(`${desk?.daemon.managementUrl}/api/admin${p}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
    // Staff find the id in the list of closed shifts: newest first, who, when, count and total in grosze.
    const closing = closed.json as {
      shift: { id: string; businessDay: string; openedAt: string; closedAt: string };
      count: number;
      total: number;
    };
    const shifts = await admin("/shifts?limit=5");
    expect(shifts.status).toBe(200);
    expect(await shifts.json()).toEqual({
      items: [
        {
          id: shiftId,
          cashier: { id: "MZ", name: "Małgorzata Żółkiewska" },
          businessDay: closing.shift.businessDay,
          openedAt: closing.shift.openedAt,
          closedAt: closing.shift.closedAt,
          count: closing.count,
          total: closing.total,
        },
      ],
      total: 1,
      limit: 5,
      offset: 0,
    });
    const day = closing.shift.businessDay;
    const ofDay = (await (await admin(`/shifts?from=${day}&to=${day}&cashier=mz`)).json()) as {
      items: Array<{ id: string }>;
    };
    expect(ofDay.items.map((i) => i.id)).toEqual([shiftId]);
    const none = (await (await admin("/shifts?from=2020-01-01&to=2020-01-31")).json()) as { total: number };
    expect(none.total).toBe(0);
    expect((await admin("/shifts?offset=1")).status).toBe(200);
    const refused = [];
    for (const bad of [
      "limit=0",
      "limit=1000",
      "from=2026-13-01",
      "from=2026-12-08&to=2026-12-07",
      "sort=asc",
    ])
      refused.push((await admin(`/shifts?${bad}`)).status);
    // A schema refusal is 400; from after to is refused as the export route refuses it (422).
    expect(refused).toEqual([400, 400, 400, 422, 400]);
    expect((await fetch(`${desk?.daemon.managementUrl}/api/admin/shifts`)).status).toBe(401);
    const kept = await admin(`/shifts/${shiftId}/report`);
    expect(kept.status).toBe(200);
    expect(await kept.json()).toEqual(closed.json);
    const pdf = await admin(`/shifts/${shiftId}/report?format=pdf`);
    expect([pdf.status, pdf.headers.get("content-type")]).toEqual([200, "application/pdf"]);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    expect((await admin("/shifts/KASA-7_SH_none/report")).status).toBe(404);
    expect((await fetch(`${desk?.daemon.managementUrl}/api/admin/shifts/${shiftId}/report`)).status).toBe(
      401,
    );
  });
});
