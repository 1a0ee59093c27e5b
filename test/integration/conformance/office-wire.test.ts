/**
 * SPEC §6 and §7 on the wire, against a kiosk unlike the demo's: `oplatomat start` in a child
 * process with another office and kiosk id, a handling fee, a price-list service, slip ids with `/`
 * at the maximum length, a Unicode case reference of 40 characters and 1-grosz lines; the office
 * systems are neutral HTTP stand-ins that record every request byte-for-byte as it arrived. What is
 * asserted is only what SPEC says a receiver can rely on.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNrb } from "../../../kiosk/domain/nrb.ts";
import { type CliDaemon, oplatomat, startCliDaemon, until, writeConfig } from "../../helpers/cli-daemon.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";

interface Heard {
  method: string;
  rawPath: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** An office system stand-in: records each request as it came; slips are open; payments 201. */
async function receiver(): Promise<{ url: string; heard: Heard[]; close(): Promise<void> }> {
  const heard: Heard[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      heard.push({
        method: req.method ?? "",
        rawPath: req.url ?? "",
        headers: req.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      });
      res.writeHead(req.method === "GET" ? 200 : 201, { "content-type": "application/json" });
      res.end(JSON.stringify(req.method === "GET" ? { status: "open" } : {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    heard,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const keys = testKeys();
const OFFICE = "UM-GDANSK-01";
const KIOSK = "KASA-7";
const NRB_CITY = makeNrb("11602202", "0000000123456789");
const NRB_OPER = makeNrb("10901014", "0000000112233445");
// 24 characters, the most SPEC §1 allows, with the `/` that must be percent-encoded in the check.
const SLIP_A = "UM/2027/WA/0000000000001";
const SLIP_B = "UM/2027/WA-2";
const CASE_A = "Sprawa Łukasza Żółkiewskiego – ÓĆŹŚĘĄ/1".slice(0, 40);

let dir = "";
let daemon: CliDaemon | undefined;
let pik: Awaited<ReturnType<typeof receiver>>;
let settlement: Awaited<ReturnType<typeof receiver>>;
let configFile = "";
let dataDir = "";
let paymentId = "";
let paidTotal = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-conf-wire-"));
  dataDir = path.join(dir, "data");
  fs.mkdirSync(dataDir);
  pik = await receiver();
  settlement = await receiver();
  const base = testConfig(keys);
  configFile = writeConfig(dir, {
    ...base,
    office: {
      id: OFFICE,
      name: "Urząd Miejski w Gdańsku",
      address: "ul. Nowe Ogrody 8/12",
      nip: "7781425636",
    },
    kiosk: { id: KIOSK, languages: ["pl", "en"] },
    recipients: {
      MIASTO: { name: "Miasto Gdańsk – dochody", nrb: NRB_CITY },
      OPER: { name: "Operator płatności", nrb: NRB_OPER },
    },
    components: {
      SKAR: { label: { pl: "Opłata skarbowa", en: "Stamp duty" }, recipient: "MIASTO" },
      KARTA_PARK: { label: { pl: "Karta parkingowa – ĄĘŁŃÓŚŹŻ" }, recipient: "MIASTO" },
    },
    catalog: [
      {
        code: "ODPIS",
        label: { pl: "Odpis aktu stanu cywilnego", en: "Civil status certificate" },
        price: 3300,
        recipient: "MIASTO",
        validFrom: "2020-01-01",
      },
    ],
    handlingFee: { amount: 199, recipient: "OPER" },
    integrations: {
      pik: { url: pik.url, reporting: "direct" },
      settlement: { url: settlement.url },
    },
  });
  daemon = await startCliDaemon(configFile, dataDir);
  const slipA = issueSlip(keys, {
    office: OFFICE,
    slip: SLIP_A,
    caseRef: CASE_A,
    lines: [
      { code: "SKAR", amount: 1 },
      { code: "KARTA_PARK", amount: 1 },
      { code: "SKAR", amount: 999_999_997 },
    ],
  });
  const slipB = issueSlip(keys, {
    office: OFFICE,
    slip: SLIP_B,
    caseRef: "",
    lines: [{ code: "SKAR", amount: 1 }],
  });
  const post = (p: string, body?: object) =>
    fetch(`${daemon?.url}${p}`, {
      method: "POST",
      headers: body ? { "content-type": "application/json" } : {},
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const basket = await post("/api/basket", {
    items: [{ slip: slipA }, { code: "ODPIS", quantity: 2 }, { slip: slipB }],
  });
  expect(basket.status, await basket.clone().text()).toBe(200);
  const session = (await basket.json()) as { total: number; state: string };
  paidTotal = session.total;
  expect((await post("/api/session/pay")).status).toBe(202);
  paymentId = await until(async () => {
    const s = (await (await fetch(`${daemon?.url}/api/session`)).json()) as {
      state: string;
      payment?: { id: string } | null;
    };
    return s.payment?.id && (s.state === "done" || s.state === "idle") ? s.payment.id : undefined;
  }, "the payment");
  await until(() => (pik.heard.filter((h) => h.method === "POST").length >= 2 ? true : undefined), "PiK");
  await until(() => (settlement.heard.length >= 1 ? true : undefined), "settlement");
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  await pik?.close();
  await settlement?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("SPEC §6 on the wire", () => {
  it("asks PiK about each slip with every path segment percent-encoded", () => {
    const checks = pik.heard.filter((h) => h.method === "GET").map((h) => h.rawPath);
    expect(checks).toEqual([
      `/slips/${OFFICE}/${encodeURIComponent(SLIP_A)}`,
      `/slips/${OFFICE}/${encodeURIComponent(SLIP_B)}`,
    ]);
    expect(checks[0]).toContain("UM%2F2027%2FWA%2F0000000000001");
  });

  it("sends PiK one POST /payments per slip, <payment>.<n> in basket order, the slip's lines and total only", () => {
    const posts = pik.heard.filter((h) => h.method === "POST");
    expect(posts.map((h) => h.rawPath)).toEqual(["/payments", "/payments"]);
    expect(posts.map((h) => h.body["paymentId"])).toEqual([`${paymentId}.1`, `${paymentId}.2`]);
    const [a, b] = posts.map((h) => h.body);
    expect(a).toMatchObject({
      office: OFFICE,
      kiosk: KIOSK,
      slip: SLIP_A,
      case: CASE_A,
      total: 999_999_999,
      currency: "PLN",
      lines: [
        { code: "SKAR", amount: 1, recipient: "MIASTO" },
        { code: "KARTA_PARK", amount: 1, recipient: "MIASTO" },
        { code: "SKAR", amount: 999_999_997, recipient: "MIASTO" },
      ],
    });
    expect(b).toMatchObject({
      slip: SLIP_B,
      case: "",
      total: 1,
      lines: [{ code: "SKAR", amount: 1, recipient: "MIASTO" }],
    });
    for (const body of [a, b]) {
      expect(body?.["paidAt"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
      expect(Object.keys(body?.["card"] as object).sort()).toEqual(
        ["authCode", "brand", "maskedPan", "terminalId", "traceNumber"].sort(),
      );
      expect(body?.["card"]).toEqual(a?.["card"]);
    }
  });

  it("sends every message with its own stable Idempotency-Key and JSON", () => {
    const posts = [...pik.heard, ...settlement.heard].filter((h) => h.method === "POST");
    const keysSent = posts.map((h) => h.headers["idempotency-key"]);
    for (const k of keysSent) expect(typeof k === "string" && k.length > 0).toBe(true);
    expect(new Set(keysSent).size).toBe(posts.length);
    for (const h of posts) expect(h.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("sends settlement one transaction: splits per line naming their slip, the fee a split to its recipient", () => {
    const [tx] = settlement.heard.filter((h) => h.rawPath === "/transactions").map((h) => h.body);
    expect(tx).toMatchObject({
      transactionId: paymentId,
      office: OFFICE,
      kiosk: KIOSK,
      total: paidTotal,
      slip: SLIP_A,
      case: CASE_A,
      slips: [
        { slip: SLIP_A, case: CASE_A, total: 999_999_999 },
        { slip: SLIP_B, case: "", total: 1 },
      ],
    });
    expect(paidTotal).toBe(999_999_999 + 2 * 3300 + 1 + 199);
    const splits = tx?.["splits"] as Array<Record<string, unknown>>;
    expect(splits.reduce((n, s) => n + (s["amount"] as number), 0)).toBe(paidTotal);
    expect(splits.filter((s) => s["slip"] === SLIP_A).map((s) => s["amount"])).toEqual([1, 1, 999_999_997]);
    expect(splits.filter((s) => s["slip"] === SLIP_B).map((s) => s["amount"])).toEqual([1]);
    const rest = splits.filter((s) => s["slip"] === undefined);
    expect(rest).toContainEqual(expect.objectContaining({ recipient: "OPER", nrb: NRB_OPER, amount: 199 }));
    expect(rest).toContainEqual(
      expect.objectContaining({ recipient: "MIASTO", nrb: NRB_CITY, component: "ODPIS" }),
    );
    for (const s of splits.filter((x) => x["recipient"] === "MIASTO")) expect(s["nrb"]).toBe(NRB_CITY);
    expect(Object.keys(tx?.["card"] as object).sort()).toEqual(
      ["authCode", "brand", "maskedPan", "terminalId", "traceNumber"].sort(),
    );
  });
});

describe("SPEC §7 from the command line", () => {
  const HEADER =
    "payment_id,paid_at,office,kiosk,slip,case,line_no,code,label,recipient,recipient_nrb,amount,currency,card_brand,masked_pan,auth_code,terminal_id,trace_no,status";
  const day = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Warsaw" }).format(new Date());
  const exportOf = (...extra: string[]) =>
    oplatomat([
      "export",
      "payments",
      "--from",
      day(),
      "--to",
      day(),
      "--config",
      configFile,
      "--data",
      dataDir,
      ...extra,
    ]);

  it("writes RFC 4180 CSV: the header, CRLF line ends, one row per line, the fee as FEE, amounts with a dot", async () => {
    const out = await exportOf("--format", "csv");
    expect(out.code, out.stderr).toBe(0);
    const text = out.stdout.toString("utf8");
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const rows = text.slice(0, -2).split("\r\n");
    expect(rows[0]).toBe(HEADER);
    expect(rows).toHaveLength(1 + 3 + 1 + 1 + 1);
    const amounts = rows.slice(1).map((r) => r.split(",").at(-8));
    expect(amounts).toEqual(expect.arrayContaining(["0.01", "9999999.97", "66.00", "1.99"]));
    const fee = rows.find((r) => r.split(",")[7] === "FEE");
    expect(fee).toBeDefined();
    expect(fee?.split(",").slice(9, 12)).toEqual(["OPER", NRB_OPER, "1.99"]);
    expect(rows.slice(1).every((r) => r.endsWith(",approved"))).toBe(true);
    expect(rows[1]?.split(",")[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/);
  });

  it("writes excel-pl with a byte-order mark, semicolons and a decimal comma", async () => {
    const out = await exportOf("--format", "csv", "--dialect", "excel-pl");
    expect(out.code, out.stderr).toBe(0);
    const bytes = out.stdout;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
    expect(rows[0]).toBe(HEADER.replace(/,/g, ";"));
    expect(rows.slice(1).map((r) => r.split(";").at(-8))).toEqual(
      expect.arrayContaining(["0,01", "9999999,97", "66,00", "1,99"]),
    );
  });

  it("writes JSON rows with the same keys as the CSV", async () => {
    const out = await exportOf("--format", "json");
    expect(out.code, out.stderr).toBe(0);
    const rows = JSON.parse(out.stdout.toString("utf8")) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(Object.keys(r)).toEqual(HEADER.split(","));
    expect(rows.find((r) => r["code"] === "FEE")).toMatchObject({ recipient: "OPER", currency: "PLN" });
  });
});

describe("a payment of services only (SPEC §6)", () => {
  it("is not sent to PiK, only to settlement", async () => {
    const piksBefore = pik.heard.length;
    const post = (p: string, body?: object) =>
      fetch(`${daemon?.url}${p}`, {
        method: "POST",
        headers: body ? { "content-type": "application/json" } : {},
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    expect((await post("/api/basket", { items: [{ code: "ODPIS" }] })).status).toBe(200);
    expect((await post("/api/session/pay")).status).toBe(202);
    const tx = await until(
      () => settlement.heard.filter((h) => h.rawPath === "/transactions")[1]?.body,
      "the second settlement transaction",
    );
    expect(tx).toMatchObject({ office: OFFICE, kiosk: KIOSK, total: 3300 + 199 });
    const splits = tx["splits"] as Array<Record<string, unknown>>;
    expect(splits.every((s) => s["slip"] === undefined)).toBe(true);
    // Give a wrongly queued PiK message the time the settlement one took, then some.
    await new Promise((r) => setTimeout(r, 500));
    expect(pik.heard.length).toBe(piksBefore);
  });
});
