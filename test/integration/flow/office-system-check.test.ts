/**
 * The slip checks that ask the office system (SPEC §1, §6): a cancelled slip, a changed amount, a
 * slip the office already marked paid, and no answer in time under both offline policies.
 */
import { generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FakePik } from "../../../kiosk/integrations/fake-pik.ts";
import { type Harness, makeHarness } from "../../helpers/kiosk-harness.ts";

let h: Harness | undefined;
let pik: FakePik | undefined;
afterEach(async () => {
  await h?.close();
  await pik?.close();
  h = undefined;
  pik = undefined;
});

async function setup(offlinePolicy: "refuse" | "accept" = "refuse") {
  const { privateKey } = generateKeyPairSync("ed25519");
  pik = await FakePik.start({ office: "PZ1465", kid: "pik2026", privateKey });
  const fake = pik;
  h = await makeHarness({
    logName: "office-check",
    config: (c) => ({
      ...c,
      slips: { trustedKeys: [{ kid: "pik2026", publicKey: fake.publicKeyPem }], offlinePolicy },
      integrations: { pik: { url: fake.url, reporting: "direct" } },
    }),
  });
  return { pik: fake, harness: h };
}

const lines = [
  { code: "DR", amount: 5400 },
  { code: "TAB", amount: 8000 },
];

async function scan(harness: Harness, payload: string) {
  return harness.kiosk.app.inject({ method: "POST", url: "/api/scan", payload: { payload } });
}

describe("slip check with the office system", () => {
  it("an open slip passes", async () => {
    const { pik, harness } = await setup();
    const res = await scan(harness, pik.issueSlip({ slip: "S/1", caseRef: "KOM/1/2026", lines }));
    expect(res.statusCode).toBe(200);
  });

  const refusals: Array<[string, (pik: FakePik, slip: string) => void]> = [
    ["SLIP_CANCELLED", (p, s) => p.cancelSlip(s)],
    ["SLIP_AMOUNT_CHANGED", (p, s) => p.changeTotal(s, 99999)],
    ["SLIP_CHECK_UNAVAILABLE", (p) => p.setFaults({ hangRate: 1 })],
  ];
  for (const [code, fault] of refusals) {
    it(`${code}: 422, nothing stored but an audit entry`, async () => {
      const { pik, harness } = await setup();
      const payload = pik.issueSlip({ slip: "S/2", caseRef: "KOM/2/2026", lines });
      fault(pik, "S/2");
      const res = await scan(harness, payload);
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe(code);
      expect((harness.kiosk.db.prepare("SELECT COUNT(*) AS n FROM sessions").get() as { n: number }).n).toBe(
        0,
      );
      expect(harness.kiosk.db.prepare("SELECT target FROM audit").all()).toEqual([{ target: code }]);
    });
  }

  it("SLIP_ALREADY_PAID when the office system says paid", async () => {
    const { pik, harness } = await setup();
    const payload = pik.issueSlip({ slip: "S/3", caseRef: "KOM/3/2026", lines });
    await fetch(`${pik.url}/payments`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "elsewhere-1" },
      body: JSON.stringify({
        paymentId: "X",
        office: "PZ1465",
        kiosk: "K09",
        slip: "S/3",
        total: 13400,
        lines: [],
      }),
    });
    const res = await scan(harness, payload);
    expect(res.json().code).toBe(
      pik.slipStatus("S/3")?.status === "paid" ? "SLIP_ALREADY_PAID" : "unexpected fake state",
    );
  });

  it("a refused token is SLIP_CHECK_UNAVAILABLE for the visitor, and the audit says the office system answered 401", async () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    pik = await FakePik.start({ office: "PZ1465", kid: "pik2026", privateKey });
    const fake = pik;
    const refusing = http.createServer((_req, res) => res.writeHead(401).end());
    refusing.listen(0, "127.0.0.1");
    await once(refusing, "listening");
    try {
      h = await makeHarness({
        logName: "office-check",
        config: (c) => ({
          ...c,
          slips: { trustedKeys: [{ kid: "pik2026", publicKey: fake.publicKeyPem }], offlinePolicy: "refuse" },
          integrations: {
            pik: { url: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`, reporting: "direct" },
          },
        }),
      });
      const res = await scan(h, fake.issueSlip({ slip: "S/5", caseRef: "KOM/5/2026", lines }));
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe("SLIP_CHECK_UNAVAILABLE");
      const audit = h.kiosk.db.prepare("SELECT target, details FROM audit").all() as Array<{
        target: string;
        details: string;
      }>;
      expect(audit.map((a) => [a.target, JSON.parse(a.details).detail])).toEqual([
        [
          "SLIP_CHECK_UNAVAILABLE",
          "the office system answered 401: check integrations.pik's token or client certificate",
        ],
      ]);
    } finally {
      refusing.close();
    }
  });

  it("offline policy accept lets the slip through when the office system does not answer", async () => {
    const { pik, harness } = await setup("accept");
    const payload = pik.issueSlip({ slip: "S/4", caseRef: "KOM/4/2026", lines });
    pik.setFaults({ hangRate: 1 });
    const res = await scan(harness, payload);
    expect(res.statusCode).toBe(200);
    expect(res.json().state).toBe("summary");
  });
});
