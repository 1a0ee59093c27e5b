/**
 * Issue 19 and issue 12 defect 4, through the real daemon (`oplatomat start`) and the real command
 * line, with scripted office-system stand-ins: per-payment order through parking and requeue, the
 * outbox commands and console/admin routes, the payment_conflict alarm, payouts, end-of-day
 * mismatches and the admin payment list's filters.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPin } from "../../../kiosk/auth/pin-hash.ts";
import type { KioskConfig } from "../../../kiosk/config/types.ts";
import { formatNrb, makeNrb } from "../../../kiosk/domain/nrb.ts";
import {
  type CliDaemon,
  oplatomat,
  payDemoSlip,
  ScriptedReceiver,
  startCliDaemon,
  until,
  writeConfig,
} from "../../helpers/cli-daemon.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";
import { serviceMessages } from "../../../ui/src/i18n/service.ts";
import { alarmSummary } from "../../../ui/src/service/alarm-summary.ts";
import type { Alarm } from "../../../ui/src/service/service-api.ts";

const ADMIN_TOKEN = "admin-token-0123456789-abcdefghijklmnop";
const PIN = "482913";
const keys = testKeys();
let dir = "";
let dataDir = "";
let configFile = "";
let daemon: CliDaemon | undefined;
const pik = new ScriptedReceiver();
const settlement = new ScriptedReceiver();
let serviceToken = "";

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-office-ops-"));
  dataDir = path.join(dir, "data");
  fs.mkdirSync(dataDir);
  await pik.start();
  await settlement.start();
  fs.writeFileSync(path.join(dir, "admin.token"), ADMIN_TOKEN);
  const base = testConfig(keys);
  const config = testConfig(keys, {
    recipients: {
      ...base.recipients,
      GMINA: {
        name: "Gmina Łódź-Żółkiewka",
        nrb: makeNrb("10205226", "0000987654321098"),
        nip: "7251801126",
      },
    },
    components: {
      ...base.components,
      PEL: { ...(base.components["PEL"] as KioskConfig["components"][string]), group: "Opłata skarbowa" },
    },
    integrations: {
      pik: { url: pik.url, reporting: "direct", timeoutMs: 2000 },
      settlement: { url: settlement.url, timeoutMs: 2000 },
    },
  });
  // The file form of the service section: the token is read from a file, as installed.
  configFile = writeConfig(dir, {
    ...config,
    server: { host: "127.0.0.1", port: 0, management: { host: "127.0.0.1", port: 0 } },
    service: {
      pinHash: await hashPin(PIN, { N: 1024, r: 8, p: 1 }),
      adminTokenFile: path.join(dir, "admin.token"),
    },
  });
  daemon = await startCliDaemon(configFile, dataDir, true);
  const login = await fetch(`${daemon.url}/api/service/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pin: PIN }),
  });
  serviceToken = ((await login.json()) as { token: string }).token;
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  await pik.close();
  await settlement.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const url = () => daemon?.url as string;
const cli = (...args: string[]) => oplatomat([...args, "--config", configFile, "--data", dataDir]);
const admin = (p: string, init: RequestInit = {}) =>
  fetch(`${daemon?.managementUrl}/api/admin${p}`, {
    ...init,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      "content-type": "application/json",
      ...(init.headers ?? {}),
    },
  });
const service = (p: string, init: RequestInit = {}) =>
  fetch(`${url()}/api/service${p}`, {
    ...init,
    headers: {
      authorization: `Bearer ${serviceToken}`,
      "content-type": "application/json",
      ...(init.headers ?? {}),
    },
  });
const auditActions = (): Array<{ actor: string; action: string; target: string | null }> => {
  const db = new Database(path.join(dataDir, "oplatomat.db"), { readonly: true });
  try {
    return db.prepare("SELECT actor, action, target FROM audit ORDER BY id").all() as Array<{
      actor: string;
      action: string;
      target: string | null;
    }>;
  } finally {
    db.close();
  }
};
/** The business day of a payment, from the kiosk's database. */
const businessDay = (id: string): string => {
  const db = new Database(path.join(dataDir, "oplatomat.db"), { readonly: true });
  try {
    return (db.prepare("SELECT business_day FROM sessions WHERE id = ?").get(id) as { business_day: string })
      .business_day;
  } finally {
    db.close();
  }
};
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/**
 * A day as the kiosk's commands give it: the settlement report's total and its totals per recipient
 * and account (JSON), the PDF's text, the CSV's account of each line of a payment, and the payout
 * file's amount per account.
 */
async function dayFigures(day: string) {
  const json = await cli("report", "settlement", "--date", day, "--format", "json");
  expect(json.stderr).toBe("");
  const report = JSON.parse(json.stdout.toString()) as {
    totals: {
      approvedTotal: number;
      perRecipient: Array<{ recipient: string; nrb: string; amount: number }>;
    };
  };
  const csv = (await cli("report", "settlement", "--date", day, "--format", "csv")).stdout.toString();
  const pdfFile = path.join(dir, `settlement-${day}.pdf`);
  expect((await cli("report", "settlement", "--date", day, "--format", "pdf", "--out", pdfFile)).code).toBe(
    0,
  );
  const payouts = await cli("report", "payouts", "--date", day);
  expect(payouts.stderr).toBe("");
  const transfers = new Map<string, number>();
  for (const line of payouts.stdout.toString().split("\r\n").filter(Boolean)) {
    const fields = line.split(",");
    transfers.set((fields[6] ?? "").replaceAll('"', ""), Number(fields[2]));
  }
  // The report's last block: every payment line with the accounting export's columns.
  const rows = csv.split("\r\n");
  const header = rows[rows.indexOf("payments") + 1]?.split(",") ?? [];
  return {
    total: report.totals.approvedTotal,
    perAccount: new Map(report.totals.perRecipient.map((r) => [`${r.recipient} ${r.nrb}`, r.amount])),
    transfers,
    pdf: execFileSync("pdftotext", ["-layout", pdfFile, "-"], { encoding: "utf8" }),
    csvAccounts: (payment: string) =>
      rows
        .filter((l) => l.startsWith(`${payment},`))
        .map((l) => l.split(",")[header.indexOf("recipient_nrb")]),
  };
}

const ready = async () =>
  (await (await fetch(`${url()}/ready`)).json()) as {
    status: string;
    checks: Record<string, Array<{ status: string; output?: string }>>;
  };

describe("per-payment order through parking and requeue (issue 12.4, 19.2)", () => {
  it("holds a reversal behind its parked payment and sends both in order after `outbox requeue`", async () => {
    let refuse = true;
    pik.answer = (c) => (c.path === "/payments" && refuse ? 422 : 201);
    const id = await payDemoSlip(url(), issueSlip(keys));
    await until(() => pik.calls.find((c) => c.key === `pik.payment.${id}`), "the refused payment");
    const voided = await admin(`/payments/${id}/void`, {
      method: "POST",
      body: JSON.stringify({ reason: "zła kwota" }),
    });
    expect(voided.status).toBe(200);
    // The settlement reversal goes out: the worker has run past the reversal's place in the queue.
    await until(
      () => settlement.calls.find((c) => c.path.endsWith("/reversal") && c.key.endsWith(id)),
      "the settlement reversal",
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(pik.calls.filter((c) => c.path.includes("/reversal"))).toEqual([]);

    const failed = await cli("outbox", "list", "--state", "failed");
    expect(failed.code).toBe(0);
    expect(failed.stdout.toString()).toMatch(new RegExp(`pik\\.payment\\.${id}\\tfailed\\t1\\t.*422`));
    const pending = await cli("outbox", "list", "--state", "pending", "--json");
    const entries = JSON.parse(pending.stdout.toString()) as Array<{ id: string; waitingFor: string | null }>;
    expect(entries.find((e) => e.id === `pik.payment_reversal.${id}`)?.waitingFor).toBe(`pik.payment.${id}`);

    refuse = false;
    const requeue = await cli("outbox", "requeue", `pik.payment.${id}`);
    expect(requeue.code).toBe(0);
    await until(() => pik.calls.find((c) => c.path.includes("/reversal")), "the PiK reversal");
    expect(pik.calls.map((c) => [c.key, c.status])).toEqual([
      [`pik.payment.${id}`, 422],
      [`pik.payment.${id}`, 201],
      [`pik.payment_reversal.${id}`, 201],
    ]);
    expect(auditActions()).toContainEqual(
      expect.objectContaining({ action: "outbox.requeue", target: `pik.payment.${id}` }),
    );
    // Requeueing what is not parked changes nothing and says so.
    const again = await cli("outbox", "requeue", `pik.payment.${id}`);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("not parked");
  }, 60_000);

  it("shows parked messages with their last error in the service console API and requeues them (audited); the admin API too", async () => {
    pik.answer = (c) => (c.path === "/payments" ? 400 : 201);
    const id = await payDemoSlip(url(), issueSlip(keys));
    const parked = await until(async () => {
      const body = (await (await service("/outbox?state=failed")).json()) as {
        messages: Array<{ id: string; lastStatus: number; lastError: string }>;
      };
      return body.messages.find((m) => m.id === `pik.payment.${id}`);
    }, "the parked message in the console");
    expect(parked.lastStatus).toBe(400);
    expect(parked.lastError).toContain("HTTP 400");
    const adminList = (await (await admin("/outbox?state=failed")).json()) as {
      messages: Array<{ id: string }>;
    };
    expect(adminList.messages.map((m) => m.id)).toContain(`pik.payment.${id}`);

    pik.answer = () => 201;
    const requeued = await service("/outbox/requeue", {
      method: "POST",
      body: JSON.stringify({ ids: [`pik.payment.${id}`] }),
    });
    expect(requeued.status).toBe(200);
    await until(
      () => pik.calls.find((c) => c.key === `pik.payment.${id}` && c.status === 201),
      "delivery after requeue",
    );
    const actions = auditActions();
    expect(actions).toContainEqual(expect.objectContaining({ action: "service.outbox.requeue" }));
    expect(actions).toContainEqual(
      expect.objectContaining({ action: "outbox.requeue", target: `pik.payment.${id}` }),
    );
    const bad = await admin("/outbox/requeue", { method: "POST", body: JSON.stringify({ ids: ["nope"] }) });
    expect(bad.status).toBe(409);
  }, 60_000);

  it("a transaction the hub refused for a wrong account: a plain requeue is refused again; `--accounts-from-config` after the configuration is corrected sends the account it holds now, amounts unchanged, audited", async () => {
    // The kiosk's POWIAT account was mistyped at installation; the hub holds the right one.
    // (Not the operator's account, which orders the payouts: the payout file has no transfer to it.)
    const right = makeNrb("10205226", "0000444455556666");
    const refusesWrongAccount = (c: { path: string; body: Record<string, unknown> }) => {
      if (c.path !== "/transactions") return 201;
      const splits = c.body["splits"] as Array<{ recipient: string; nrb: string }>;
      return splits.every((x) => x.recipient !== "POWIAT" || x.nrb === right) ? 201 : 422;
    };
    settlement.answer = refusesWrongAccount;
    try {
      const id = await payDemoSlip(url(), issueSlip(keys));
      const key = `settlement.transaction.${id}`;
      await until(() => settlement.calls.find((c) => c.key === key && c.status === 422), "the refusal");
      const first = settlement.calls.find((c) => c.key === key)!;

      const plain = await cli("outbox", "requeue", key);
      expect(plain.code).toBe(0);
      await until(
        () => settlement.calls.filter((c) => c.key === key).length === 2 || undefined,
        "the second refusal",
      );
      expect(settlement.calls.filter((c) => c.key === key).map((c) => c.status)).toEqual([422, 422]);
      await until(
        async () =>
          (await cli("outbox", "list", "--state", "failed")).stdout.toString().includes(key) || undefined,
        "parked again",
      );

      // The console's preview asks the running daemon, whose configuration still holds the wrong
      // account: nothing to change until it is restarted with the corrected one (docs/operations.md).
      const preview = await admin(`/outbox/accounts?id=${encodeURIComponent(key)}`);
      expect(await preview.json()).toEqual({ id: key, changes: [], records: [] });

      // The day's report and payout file before: the kiosk's records name the account of payment time.
      const day = businessDay(id);
      const before = await dayFigures(day);

      // Staff correct the configuration's account, then requeue with the accounts it holds now.
      const corrected = JSON.parse(fs.readFileSync(configFile, "utf8")) as {
        recipients: Record<string, { nrb: string }>;
      };
      const wrong = corrected.recipients["POWIAT"]!.nrb;
      corrected.recipients["POWIAT"]!.nrb = right;
      const correctedFile = path.join(dir, "corrected.yaml");
      fs.writeFileSync(correctedFile, JSON.stringify(corrected));
      const fixed = await oplatomat([
        ...["outbox", "requeue", key, "--accounts-from-config"],
        ...["--config", correctedFile, "--data", dataDir],
      ]);
      expect(fixed.stderr).toBe("");
      expect(fixed.code).toBe(0);
      const powiatLines = (first.body["splits"] as Array<{ recipient: string }>).filter(
        (x) => x.recipient === "POWIAT",
      ).length;
      expect(fixed.stdout.toString()).toBe(
        `requeued ${key}; accounts from the configuration: POWIAT ${wrong} -> ${right}; the kiosk's records: ${powiatLines} lines\n`,
      );
      const sent = await until(
        () => settlement.calls.find((c) => c.key === key && c.status === 201),
        "delivery with the corrected account",
      );
      // Only the accounts changed: every split's amount, recipient and component, the total and the card stay.
      const strip = (b: Record<string, unknown>) => ({
        ...b,
        splits: (b["splits"] as Array<Record<string, unknown>>).map(({ nrb: _nrb, ...rest }) => rest),
      });
      expect(strip(sent.body)).toEqual(strip(first.body));
      expect(
        (sent.body["splits"] as Array<{ recipient: string; nrb: string }>)
          .filter((x) => x.recipient === "POWIAT")
          .map((x) => x.nrb),
      ).toEqual(
        (first.body["splits"] as Array<{ recipient: string }>)
          .filter((x) => x.recipient === "POWIAT")
          .map(() => right),
      );
      const db = new Database(path.join(dataDir, "oplatomat.db"), { readonly: true });
      try {
        const audit = db
          .prepare("SELECT details FROM audit WHERE action = 'outbox.requeue' AND target = ? ORDER BY id")
          .all(key) as Array<{ details: string | null }>;
        expect(audit.map((a) => (a.details ? JSON.parse(a.details) : null))).toEqual([
          null,
          {
            accounts: [{ recipient: "POWIAT", from: wrong, to: right }],
            records: [{ recipient: "POWIAT", from: wrong, to: right, lines: powiatLines }],
          },
        ]);
      } finally {
        db.close();
      }

      expect((await admin(`/outbox/accounts?id=${encodeURIComponent(key)}`)).status).toBe(404);

      // The kiosk's report, its CSV and PDF, and its payout file name the account the hub was sent,
      // for this payment's POWIAT money only, and the day's money is the same to the grosz.
      const moved = (sent.body["splits"] as Array<{ recipient: string; amount: number }>)
        .filter((x) => x.recipient === "POWIAT")
        .reduce((a, x) => a + x.amount, 0);
      const after = await dayFigures(day);
      expect(after.total).toBe(before.total);
      expect(sum(after.perAccount)).toBe(sum(before.perAccount));
      expect(after.perAccount.get(`POWIAT ${right}`)).toBe(moved);
      expect(after.perAccount.get(`POWIAT ${wrong}`) ?? 0).toBe(
        (before.perAccount.get(`POWIAT ${wrong}`) ?? 0) - moved,
      );
      expect(sum(after.transfers)).toBe(sum(before.transfers));
      expect(before.transfers.get(right)).toBeUndefined();
      expect(after.transfers.get(right)).toBe(moved);
      expect(after.transfers.get(wrong) ?? 0).toBe((before.transfers.get(wrong) ?? 0) - moved);
      expect(before.csvAccounts(id)).toEqual(expect.arrayContaining([wrong]));
      expect(after.csvAccounts(id)).not.toContain(wrong);
      expect(after.csvAccounts(id)).toContain(right);
      expect(before.pdf).not.toContain(formatNrb(right));
      expect(after.pdf).toContain(formatNrb(right));
    } finally {
      settlement.answer = () => 201;
    }
  }, 60_000);
});

describe("payment_conflict (issue 19.3)", () => {
  it("a receiver's 409 is delivered, audited, counted and warns on /ready until acknowledged in the console", async () => {
    expect((await ready()).checks["payment_conflict"]?.[0]?.status).toBe("pass");
    pik.answer = (c) => (c.path === "/payments" ? 409 : 201);
    const id = await payDemoSlip(url(), issueSlip(keys));
    const check = await until(async () => {
      const c = (await ready()).checks["payment_conflict"]?.[0];
      return c?.status === "warn" ? c : undefined;
    }, "the payment_conflict warning");
    expect(check.output).toContain(id);
    const metrics = await until(async () => {
      const t = await (await fetch(`${url()}/metrics`)).text();
      return /^oplatomat_payment_conflicts_total 1$/m.test(t) ? t : undefined;
    }, "the conflict counter");
    expect(metrics).toMatch(/^oplatomat_alarms_unacknowledged\{alarm="payment_conflict"\} 1$/m);
    // Delivered: nothing is parked or retried.
    const list = JSON.parse((await cli("outbox", "list", "--json")).stdout.toString()) as Array<{
      id: string;
    }>;
    expect(list.map((m) => m.id)).not.toContain(`pik.payment.${id}`);
    expect(auditActions()).toContainEqual(
      expect.objectContaining({ actor: "outbox", action: "payment_conflict", target: id }),
    );

    const alarms = (await (await service("/alarms")).json()) as {
      open: Array<{ id: number; kind: string; subject: string }>;
    };
    const alarm = alarms.open.find((a) => a.kind === "payment_conflict" && a.subject === id);
    expect(alarm).toBeDefined();
    // The console words the alarm in its own language from the details, not the daemon's English line.
    const shown = (lang: "pl" | "en" | "uk") =>
      alarmSummary(alarm as unknown as Alarm, serviceMessages(lang).queue, lang);
    expect(shown("pl")).toContain(`komunikat pik.payment.${id}`);
    expect(shown("pl")).not.toContain("answered");
    expect(shown("uk")).toContain(`повідомлення pik.payment.${id}`);
    expect(shown("en")).toContain(`message pik.payment.${id}`);
    const ack = await service(`/alarms/${alarm?.id}/acknowledge`, {
      method: "POST",
      body: JSON.stringify({ note: "refunded at the cash desk" }),
    });
    expect(ack.status).toBe(200);
    expect((await ready()).checks["payment_conflict"]?.[0]?.status).toBe("pass");
    expect(auditActions()).toContainEqual(
      expect.objectContaining({ action: "alarm.acknowledge", target: String(alarm?.id) }),
    );
    expect((await service(`/alarms/${alarm?.id}/acknowledge`, { method: "POST", body: "{}" })).status).toBe(
      404,
    );
    pik.answer = () => 201;
  }, 60_000);
});

describe("payouts (issue 19.4)", () => {
  it("writes one Elixir-O transfer per recipient account in CP1250, with net amounts equal to the settlement report's", async () => {
    pik.answer = () => 201;
    await payDemoSlip(
      url(),
      issueSlip(keys, {
        lines: [
          { code: "PEL", amount: 1700 },
          { code: "DR", amount: 5400 },
        ],
      }),
    );
    const day = (await (await fetch(`${url()}/api/session`)).json()) as { payment: { paidAt: string } };
    const date = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Warsaw" }).format(
      new Date(day.payment.paidAt),
    );
    const out = path.join(dir, "payouts.txt");
    const run = await cli("report", "payouts", "--date", date, "--encoding", "cp1250", "--out", out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const bytes = fs.readFileSync(out);
    expect(bytes.includes(iconv.encode("Gmina Łódź-Żółkiewka", "cp1250"))).toBe(true);
    expect(bytes.includes(Buffer.from("Łódź", "utf8"))).toBe(false);
    const lines = iconv.decode(bytes, "cp1250").split("\r\n").filter(Boolean);
    const report = JSON.parse(
      (await cli("report", "settlement", "--date", date, "--format", "json")).stdout.toString(),
    ) as {
      totals: {
        perRecipient: Array<{ recipient: string; nrb: string; amount: number; nip?: string }>;
        perComponent: Array<{ code: string; group?: string }>;
      };
    };
    // Issue 19.8: the recipient's NIP and the component's group are on the report.
    expect(report.totals.perRecipient.find((r) => r.recipient === "GMINA")?.nip).toBe("7251801126");
    expect(report.totals.perComponent.find((c) => c.code === "PEL")?.group).toBe("Opłata skarbowa");
    expect(report.totals.perComponent.find((c) => c.code === "DR")?.group).toBeUndefined();
    const expected = report.totals.perRecipient.filter((r) => r.recipient !== "OPERATOR" && r.amount > 0);
    expect(lines).toHaveLength(expected.length);
    for (const r of expected) {
      const line = lines.find((l) => l.includes(`"${r.nrb.replace(/\s/g, "")}"`));
      expect(line?.split(",")[0]).toBe("110");
      expect(Number(line?.split(",")[2])).toBe(r.amount);
    }
    const viaAdmin = await admin(`/reports/payouts?date=${date}&encoding=cp1250`);
    expect(viaAdmin.status).toBe(200);
    expect(Buffer.from(await viaAdmin.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await admin("/reports/payouts?date=2026-13-45")).status).toBe(400);
  }, 60_000);
});

describe("admin payment list (issue 19.7)", () => {
  it("filters cancelled sessions and refuses impossible dates with a 400 VALIDATION problem", async () => {
    const scan = await fetch(`${url()}/api/scan`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payload: issueSlip(keys) }),
    });
    const session = (await scan.json()) as { id: string };
    expect((await fetch(`${url()}/api/session/cancel`, { method: "POST" })).status).toBeLessThan(300);
    const cancelled = (await (await admin("/payments?status=cancelled")).json()) as {
      items: Array<{ id: string }>;
    };
    expect(cancelled.items.map((i) => i.id)).toContain(session.id);
    const approved = (await (await admin("/payments?status=approved")).json()) as {
      items: Array<{ id: string }>;
    };
    expect(approved.items.map((i) => i.id)).not.toContain(session.id);
    const auditBefore = auditActions().length;
    for (const q of [
      "/payments?from=2026-13-45",
      "/payments?to=2026-02-30",
      "/reports/settlement?date=2026-13-45",
    ]) {
      const res = await admin(q);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe("VALIDATION");
    }
    expect(auditActions().length).toBe(auditBefore);
  }, 30_000);
});
