/**
 * The settlement hub (SPEC §9) as the independent checker drives it: `oplatomat hub migrate` and
 * `oplatomat hub start` as processes, a YAML configuration unlike ours (an office without a NIP, three
 * recipients with Polish names, a device whose token is an environment variable, a desk, a reporting
 * system with a token file), its own PostgreSQL, and stand-in devices posting SPEC §6 bodies. An empty
 * day, 1-grosz payments, a day over 2^31 grosze, a reversal, replays and reused keys, a stranger.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, get, post } from "../../helpers/hub-harness.ts";
import { type PostgresCluster, startPostgres } from "../../helpers/postgres.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const BIN = path.join(ROOT, "bin/oplatomat.mjs");

const OFFICE = "UG-0042";
const ACCOUNTS = {
  SKARB: "91114020040000360277001234",
  OPL_GM: "02105000157000000098765432",
  "ZUS-1": "39102040141111222233334444",
  payer: "13124050199999000011112222",
} as const;
const TOKEN = {
  kiosk: "kiosk-a7-token-from-the-environment-0123456789",
  desk: "desk-kasa-2-token-in-a-file-abcdefghijklmnop",
  finance: "finance-system-token-of-the-gmina-zzzzzzzzzz",
};

let cluster: PostgresCluster;
let dir: string;
let configFile: string;
let hub: ChildProcess;
let url: string;
const env = { ...process.env, OPLATOMAT_LOG_LEVEL: "warn", KIOSK_A7_TOKEN: TOKEN.kiosk };

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, "hub", ...args], { cwd: ROOT, env, encoding: "utf8" });
}

beforeAll(async () => {
  cluster = await startPostgres();
  const dbUrl = await cluster.createDatabase("ledger_gmina");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-hub-unseen-"));
  fs.writeFileSync(path.join(dir, "kasa2.token"), `${TOKEN.desk}\n`);
  fs.writeFileSync(path.join(dir, "finance.token"), TOKEN.finance);
  configFile = path.join(dir, "hub.yaml");
  fs.writeFileSync(
    configFile,
    `database: { url: "${dbUrl}" }
server: { host: 127.0.0.1, port: 1 }
offices:
  ${OFFICE}:
    name: Urząd Gminy Łęczyca – Źródła
    recipients:
      SKARB: { name: "Skarb Państwa – opłata skarbowa", nrb: "${ACCOUNTS.SKARB}" }
      OPL_GM: { name: "Gmina Łęczyca — dochody własne", nrb: "${ACCOUNTS.OPL_GM}" }
      ZUS-1: { name: "Żółć i Syn sp. z o.o.", nrb: "${ACCOUNTS["ZUS-1"]}" }
devices:
  - { id: A7, office: ${OFFICE}, kind: kiosk, tokenEnv: KIOSK_A7_TOKEN }
  - { id: KASA-2, office: ${OFFICE}, kind: desk, tokenFile: kasa2.token }
staff:
  - { login: ksiegowosc, name: System księgowy, offices: all, tokenFile: finance.token }
bank: { payerNrb: "${ACCOUNTS.payer}", payerName: "Gmina Łęczyca" }
`,
  );
  const port = await freePort();
  hub = spawn(process.execPath, [BIN, "hub", "start", "--config", configFile, "--port", String(port)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let text = "";
    hub.stderr!.on("data", (c: Buffer) => {
      text += c.toString();
      if (text.includes("listening on")) resolve();
    });
    hub.once("exit", (code) => reject(new Error(`hub exited ${code}: ${text}`)));
  });
  url = `http://127.0.0.1:${port}`;
});

afterAll(() => {
  hub?.kill("SIGTERM");
  cluster?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const card = {
  brand: "MASTERCARD",
  maskedPan: "5***********0001",
  authCode: "A1B2C3",
  terminalId: "29000042",
  traceNumber: "000007",
};

let n = 0;
function tx(paidAt: string, splits: Array<[string, string, number]>, over: Record<string, unknown> = {}) {
  n++;
  return {
    transactionId: `A7-2026-${n}`,
    office: OFFICE,
    kiosk: "A7",
    paidAt,
    total: splits.reduce((s, [, , a]) => s + a, 0),
    slip: `GM/${n}/2026`,
    case: "Sprawa „Źdźbło” №7",
    splits: splits.map(([recipient, component, amount]) => ({
      recipient,
      nrb: ACCOUNTS[recipient as keyof typeof ACCOUNTS],
      component,
      amount,
    })),
    card,
    ...over,
  };
}

const asKiosk = (path: string, body: unknown, key?: string) =>
  post(`${url}${path}`, body, { token: TOKEN.kiosk, ...(key ? { key } : {}) });
const staff = (p: string) => get(`${url}${p}`, TOKEN.finance);

interface Report {
  office: string;
  date: string;
  count: number;
  total: number;
  recipients: Array<{ code: string; name: string; nrb: string; count: number; total: number }>;
  devices: Array<{ id: string; count: number; total: number }>;
  transactions: Array<Record<string, unknown>>;
}

describe("hub CLI with an unseen configuration", () => {
  it("`hub migrate` exits 0 on a database the hub already migrated, saying it is up to date", () => {
    const r = cli(["migrate", "--config", configFile]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/up to date/);
  });

  it("a configuration breaking a rule exits 2 naming the path", () => {
    const bad = path.join(dir, "bad.yaml");
    fs.writeFileSync(bad, fs.readFileSync(configFile, "utf8").replace("kind: desk", "kind: kasa"));
    const r = cli(["start", "--config", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/devices\/1\/kind|devices\[1\]\.kind|devices\.1\.kind/);
  });
});

describe("reports of an unseen office", () => {
  it("an empty day: zero totals, no transactions, an empty payout file", async () => {
    const report = await staff(`/api/offices/${OFFICE}/settlement?date=2026-03-02&format=json`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ office: OFFICE, date: "2026-03-02", count: 0, total: 0 });
    expect((report.body as unknown as Report).transactions).toEqual([]);
    expect((report.body as unknown as Report).devices).toEqual([]);
    const payouts = await staff(`/api/offices/${OFFICE}/payouts?date=2026-03-02&format=json`);
    expect(payouts.status).toBe(200);
    expect(payouts.body["transfers"]).toEqual([]);
    const elixir = await staff(`/api/offices/${OFFICE}/payouts?date=2026-03-02&format=elixir`);
    expect(elixir.status).toBe(200);
    expect(elixir.text.trim()).toBe("");
    const csv = await staff(`/api/offices/${OFFICE}/settlement?date=2026-03-02&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split("\r\n")).toHaveLength(1);
  });

  it("1-grosz payments and a day over 2^31 grosze add up exactly, per recipient, device and payout", async () => {
    const day = "2026-03-03T10:00:00+01:00";
    const big = () => tx(day, [["SKARB", "OS", 999_999_999]]);
    for (const body of [big(), big(), big(), tx(day, [["ZUS-1", "X", 1]]), tx(day, [["OPL_GM", "Y", 1]])])
      expect((await asKiosk("/transactions", body)).status).toBe(201);
    const desk = tx(day, [["OPL_GM", "Y", 1]], { kiosk: "KASA-2", cashier: "ŻANETA" });
    expect((await post(`${url}/transactions`, desk, { token: TOKEN.desk })).status).toBe(201);

    const report = (await staff(`/api/offices/${OFFICE}/settlement?date=2026-03-03`))
      .body as unknown as Report;
    expect(report.count).toBe(6);
    expect(report.total).toBe(2_999_999_997 + 3);
    expect(report.recipients.map((r) => [r.code, r.name, r.nrb, r.count, r.total])).toEqual([
      ["OPL_GM", "Gmina Łęczyca — dochody własne", ACCOUNTS.OPL_GM, 2, 2],
      ["SKARB", "Skarb Państwa – opłata skarbowa", ACCOUNTS.SKARB, 3, 2_999_999_997],
      ["ZUS-1", "Żółć i Syn sp. z o.o.", ACCOUNTS["ZUS-1"], 1, 1],
    ]);
    expect(report.devices).toEqual([
      { id: "A7", count: 5, total: 2_999_999_999 },
      { id: "KASA-2", count: 1, total: 1 },
    ]);
    const t = report.transactions.find((x) => x["transactionId"] === desk.transactionId)!;
    expect(t).toMatchObject({
      case: "Sprawa „Źdźbło” №7",
      slip: desk.slip,
      device: "KASA-2",
      cashier: "ŻANETA",
    });
    expect(report.transactions.filter((x) => x["device"] === "A7").map((x) => x["cashier"])).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);

    const pdf = await fetch(`${url}/api/offices/${OFFICE}/settlement?date=2026-03-03&format=pdf`, {
      headers: { authorization: `Bearer ${TOKEN.finance}` },
    });
    expect(pdf.status).toBe(200);
    const pdfBytes = Buffer.from(await pdf.arrayBuffer());
    expect(pdfBytes.subarray(0, 5).toString()).toBe("%PDF-");
    // The cash desk's row names its cashier beside the desk, in the PDF and the CSV's last column.
    const pdfText = execFileSync("pdftotext", ["-layout", "-", "-"], { input: pdfBytes, encoding: "utf8" });
    expect(pdfText).toContain("KASA-2 / ŻANETA");
    // Each payment's time whole on its row (it wrapped into the next row's place before).
    expect(pdfText.match(/2026-03-03T10:00:00\+01:00|2026-03-03T10:00:00/g)).toHaveLength(6);
    const csvRows = (await staff(`/api/offices/${OFFICE}/settlement?date=2026-03-03&format=csv`)).text
      .trim()
      .split("\r\n")
      .map((l) => l.split(","));
    expect(csvRows[0]?.at(-1)).toBe("cashier");
    const deviceAndCashier = csvRows.slice(1).map((cells) => `${cells[4]}:${cells.at(-1)}`);
    expect(deviceAndCashier.sort()).toEqual([...Array(5).fill("A7:"), "KASA-2:ŻANETA"]);

    const payouts = (await staff(`/api/offices/${OFFICE}/payouts?date=2026-03-03&format=json`)).body as {
      transfers: Array<{ nrb: string; amount: number }>;
      total: number;
    };
    expect(payouts.transfers.map((p) => [p.nrb, p.amount])).toEqual([
      [ACCOUNTS.OPL_GM, 2],
      [ACCOUNTS.SKARB, 2_999_999_997],
      [ACCOUNTS["ZUS-1"], 1],
    ]);
    expect(payouts.total).toBe(3_000_000_000);
    const elixir = await staff(`/api/offices/${OFFICE}/payouts?date=2026-03-03&format=elixir`);
    const amounts = elixir.text
      .split("\r\n")
      .filter(Boolean)
      .map((l) => l.split(",")[2]);
    expect(amounts).toEqual(["2", "2999999997", "1"]);
  });

  it("matches a bank's MT940 in SWIFT blocks with structured :86: sub-fields against that day's payouts", async () => {
    const text = [
      "{1:F01BREXPLPWAXXX0000000000}{2:I940BREXPLPWXXXXN}{4:",
      ":20:MT940/2026/03/04",
      `:25:/PL${ACCOUNTS.payer}`,
      ":28C:00061/1",
      ":60F:C260303PLN0,00",
      ":61:2603040304C30000000,00NTRFNONREF//ACQ-77",
      ":86:020~00ROZLICZENIE~20ROZLICZENIE TERMINALI 20260303~21KARTY~3010500015~31",
      ":61:2603040304D0,02NTRFNONREF",
      `:86:020~00PRZELEW~20${OFFICE}/20260303/001~21OPL_GM~38PL${ACCOUNTS.OPL_GM}`,
      ":61:2603040304D29999999,97NTRFNONREF",
      `:86:020~00PRZELEW~20${OFFICE}/20260303/002~21SKARB~38PL${ACCOUNTS.SKARB}`,
      ":61:2603040304D0,01NTRFNONREF",
      `:86:020~00PRZELEW~20${OFFICE}/20260303/003~21ZUS-1~38PL${ACCOUNTS["ZUS-1"]}`,
      ":62F:C260304PLN0,00",
      "-}",
    ].join("\r\n");
    const res = await fetch(`${url}/api/offices/${OFFICE}/statements`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN.finance}`, "content-type": "text/plain" },
      body: text,
    });
    const body = (await res.json()) as {
      statements: Array<{
        matched: Array<{ expected: { kind: string; day: string; amount: number } }>;
        different: unknown[];
        extra: unknown[];
      }>;
    };
    expect(res.status).toBe(200);
    const [r] = body.statements;
    expect(r!.different).toEqual([]);
    expect(r!.extra).toEqual([]);
    expect(r!.matched.map((m) => `${m.expected.kind} ${m.expected.day} ${m.expected.amount}`).sort()).toEqual(
      [
        "acquirer_credit 2026-03-03 3000000000",
        "payout 2026-03-03 1",
        "payout 2026-03-03 2",
        "payout 2026-03-03 2999999997",
      ],
    );
  });

  it("a day with a reversal nets it out of totals and payouts and lists it", async () => {
    const day = "2026-03-04T08:15:00+01:00";
    const kept = tx(day, [
      ["SKARB", "OS", 1_700],
      ["OPL_GM", "DR", 5_400],
    ]);
    const undone = tx(day, [["ZUS-1", "X", 12_345]]);
    expect((await asKiosk("/transactions", kept)).status).toBe(201);
    expect((await asKiosk("/transactions", undone)).status).toBe(201);
    const reversal = {
      transactionId: undone.transactionId,
      office: OFFICE,
      kiosk: "A7",
      total: 12_345,
      reversedAt: "2026-03-04T08:20:00+01:00",
      reason: "Anulowano – błędna kwota",
    };
    const r = await asKiosk(`/transactions/${encodeURIComponent(undone.transactionId)}/reversal`, reversal);
    expect(r.status).toBe(201);
    const report = (await staff(`/api/offices/${OFFICE}/settlement?date=2026-03-04`))
      .body as unknown as Report & {
      reversals: Array<{ transactionId: string }>;
    };
    expect([report.count, report.total]).toEqual([1, 7_100]);
    expect(report.recipients.map((x) => x.code)).toEqual(["OPL_GM", "SKARB"]);
    expect(report.reversals.map((x) => x.transactionId)).toEqual([undone.transactionId]);
    const payouts = (await staff(`/api/offices/${OFFICE}/payouts?date=2026-03-04&format=json`)).body as {
      transfers: Array<{ nrb: string; amount: number }>;
    };
    expect(payouts.transfers.map((p) => [p.nrb, p.amount])).toEqual([
      [ACCOUNTS.OPL_GM, 5_400],
      [ACCOUNTS.SKARB, 1_700],
    ]);
  });
});

describe("ingest from stand-in devices", () => {
  it("answers a replay as the first time and a reused key with another body 422, on every message kind", async () => {
    const t = tx("2026-03-05T12:00:00+01:00", [["SKARB", "OS", 1]]);
    const first = await asKiosk("/transactions", t, "msg-1");
    expect(first.status).toBe(201);
    const again = await asKiosk("/transactions", t, "msg-1");
    expect([again.status, again.text]).toEqual([first.status, first.text]);
    expect(
      (await asKiosk("/transactions", { ...t, total: 2, splits: [{ ...t.splits[0], amount: 2 }] }, "msg-1"))
        .status,
    ).toBe(422);

    const day = {
      office: OFFICE,
      kiosk: "A7",
      date: "2026-03-05",
      count: 1,
      total: 1,
      terminalTotals: { count: 1, total: 1, closedAt: "2026-03-05T20:00:00+01:00" },
    };
    const d1 = await asKiosk("/days", day, "msg-2");
    expect(d1.status).toBeGreaterThanOrEqual(200);
    expect(d1.status).toBeLessThan(300);
    const d2 = await asKiosk("/days", day, "msg-2");
    expect([d2.status, d2.text]).toEqual([d1.status, d1.text]);
    expect((await asKiosk("/days", { ...day, count: 2, total: 2 }, "msg-2")).status).toBe(422);

    const rev = {
      transactionId: t.transactionId,
      office: OFFICE,
      kiosk: "A7",
      total: 1,
      reversedAt: "2026-03-05T12:01:00+01:00",
      reason: "zwrot",
    };
    const revPath = `/transactions/${encodeURIComponent(t.transactionId)}/reversal`;
    expect((await asKiosk(revPath, rev, "msg-3")).status).toBe(201);
    expect((await asKiosk(revPath, rev, "msg-3")).status).toBe(201);
    expect((await asKiosk(revPath, { ...rev, reason: "inny powód" }, "msg-3")).status).toBe(422);
  });

  it("books a reversal and a day whose bodies carry only what SPEC names (§6 fixes neither in detail)", async () => {
    const t = tx("2026-03-08T09:00:00+01:00", [["OPL_GM", "Y", 250]]);
    expect((await asKiosk("/transactions", t)).status).toBe(201);
    const revPath = `/transactions/${encodeURIComponent(t.transactionId)}/reversal`;
    // The ledger's key is (office, device, id): the desk booked no transaction of that id, so for it
    // there is none to reverse (404, as any id it never booked); the kiosk's stays untouched.
    const byDesk = await post(`${url}${revPath}`, { office: OFFICE, kiosk: "KASA-2" }, { token: TOKEN.desk });
    expect([byDesk.status, byDesk.body["code"]]).toEqual([404, "NOT_FOUND"]);
    const bare = await asKiosk(revPath, { office: OFFICE, kiosk: "A7" });
    expect(bare.status).toBe(201);
    const again = await asKiosk(revPath, { office: OFFICE, kiosk: "A7", reason: "duplikat" });
    expect(again.status).toBe(409);
    const report = (await staff(`/api/offices/${OFFICE}/settlement?date=2026-03-08`))
      .body as unknown as Report & {
      reversals: Array<{ transactionId: string }>;
    };
    expect([report.count, report.total]).toEqual([0, 0]);
    expect(report.reversals.map((r) => r.transactionId)).toEqual([t.transactionId]);
    const otherPath = `/transactions/${encodeURIComponent("A7-unknown")}/reversal`;
    expect((await asKiosk(otherPath, { office: OFFICE, kiosk: "A7" })).status).toBe(404);
    expect((await asKiosk(revPath, { office: OFFICE, kiosk: "KASA-2" })).status).toBe(403);

    const day = {
      office: OFFICE,
      kiosk: "A7",
      date: "2026-03-08",
      count: 0,
      total: 0,
      terminalTotals: { count: 0, total: 0 },
    };
    const d = await asKiosk("/days", day);
    expect(d.status).toBeGreaterThanOrEqual(200);
    expect(d.status).toBeLessThan(300);
  });

  it("the same key from two devices is two messages (keys are the sender's)", async () => {
    const a = tx("2026-03-06T09:00:00+01:00", [["SKARB", "OS", 100]]);
    const b = tx("2026-03-06T09:00:00+01:00", [["SKARB", "OS", 200]], { kiosk: "KASA-2" });
    expect((await asKiosk("/transactions", a, "1")).status).toBe(201);
    expect((await post(`${url}/transactions`, b, { token: TOKEN.desk, key: "1" })).status).toBe(201);
    const report = (await staff(`/api/offices/${OFFICE}/settlement?date=2026-03-06`))
      .body as unknown as Report;
    expect(report.total).toBe(300);
  });

  it("refuses a device it does not know (401), a desk sending as the kiosk (403), and a split to another account (422)", async () => {
    const t = tx("2026-03-07T09:00:00+01:00", [["SKARB", "OS", 100]]);
    const stranger = await post(`${url}/transactions`, t, {
      token: "a-token-no-device-of-this-hub-has-0000000",
    });
    expect(stranger.status).toBe(401);
    expect(stranger.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect((await post(`${url}/transactions`, t, { token: TOKEN.desk })).status).toBe(403);
    const wrong = tx("2026-03-07T09:00:00+01:00", [["SKARB", "OS", 100]]);
    wrong.splits[0]!.nrb = ACCOUNTS.OPL_GM;
    expect((await asKiosk("/transactions", wrong)).status).toBe(422);
    const report = (await staff(`/api/offices/${OFFICE}/settlement?date=2026-03-07`))
      .body as unknown as Report;
    expect(report.count).toBe(0);
  });

  it("a heartbeat shows the device in /api/fleet and in the metrics under the office's labels", async () => {
    const beat = {
      office: OFFICE,
      kiosk: "A7",
      version: "9.9.9",
      sentAt: new Date().toISOString(),
      uptimeSeconds: 12,
      outOfOrder: true,
      devices: [],
    };
    expect((await asKiosk("/fleet/heartbeat", beat)).status).toBe(204);
    const fleet = await staff("/api/fleet");
    expect(fleet.status).toBe(200);
    expect(fleet.text).toContain('"A7"');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`oplatomat_hub_device_out_of_order\\{[^}]*office="${OFFICE}"[^}]*\\} 1`),
    );
    expect(metrics).toMatch(/oplatomat_hub_device_last_seen_seconds\{[^}]*device="A7"/);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
  });
});
