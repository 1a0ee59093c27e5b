/**
 * A payment only staff can settle, for an office with no technician on site, through the real daemon
 * (`oplatomat start`, killed right after it wrote the intent to charge, then started again over a
 * terminal that repeats no transaction) and the real command line: the admin API lists it with its
 * start, slip, case, amount and the terminal's answer in words, and takes the office's verdict through
 * the flow's one resolution, audited; the day's settlement report warns of it on standard error and in
 * the PDF, while its JSON keeps the members consumers read.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { businessDay } from "../../../kiosk/domain/time.ts";
import { seededRandom } from "../../../kiosk/integrations/fake-server.ts";
import { oplatomat } from "../../helpers/cli-daemon.ts";
import {
  ADMIN_TOKEN,
  awaitsStaff,
  type Daemon,
  payOnce,
  type Rig,
  startDaemon,
  startRig,
  issueSlip,
} from "../../crash/rig.ts";

let rig: Rig;
let daemon: Daemon;
let slip = "";

beforeAll(async () => {
  rig = await startRig();
  // A terminal that repeats no transaction (PAX A80): after the kill nothing proves either outcome.
  rig.terminal.options.repeatReceipt = "none";
  slip = issueSlip(rig, seededRandom(31), 0);
  const first = await startDaemon(rig, { OPLATOMAT_CRASH_AT: "flow.authorizing.written" });
  expect(await payOnce(first.url as string, slip)).toBe("died");
  await first.kill();
  daemon = await startDaemon(rig);
  const deadline = Date.now() + 30_000;
  while (!(await awaitsStaff(daemon.url as string))) {
    if (Date.now() > deadline) throw new Error(`no payment awaits staff:\n${daemon.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}, 90_000);

afterAll(async () => {
  await daemon?.stop();
  await rig?.close();
});

const admin = (route: string, body?: unknown) =>
  fetch(`${daemon.managementUrl}/api/admin${route}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

interface Unresolved {
  id: string;
  startedAt: string;
  slip: string;
  caseRef: string;
  total: number;
  stageText: string;
  answerText: string;
}

async function unresolved(): Promise<Unresolved[]> {
  const res = await admin("/payments/unresolved");
  expect(res.status).toBe(200);
  return ((await res.json()) as { payments: Unresolved[] }).payments;
}

function audit(): Array<{ actor: string; action: string; target: string | null; details: string }> {
  const db = new Database(rig.dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT actor, action, target, details FROM audit ORDER BY id").all() as Array<{
      actor: string;
      action: string;
      target: string | null;
      details: string;
    }>;
  } finally {
    db.close();
  }
}

const report = (day: string, ...more: string[]) =>
  oplatomat([
    "report",
    "settlement",
    "--date",
    day,
    ...more,
    "--config",
    rig.configFile,
    "--data",
    rig.dataDir,
  ]);

describe("a payment only staff can settle, from the office", () => {
  it("is listed on the admin API, warned of by the day's report, and decided by the office, audited", async () => {
    const [payment, ...more] = await unresolved();
    expect(more).toEqual([]);
    if (!payment) throw new Error("no unresolved payment");
    const [, , slipId, caseRef] = slip.split("|");
    // What staff look for in the terminal's journal: when, which slip and case, how much.
    expect(payment).toMatchObject({
      slip: slipId,
      caseRef,
      stageText: "no sign yet that the terminal received the request",
      answerText: "it repeated no transaction",
    });
    expect(payment.total).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(payment.startedAt))).toBe(false);
    const day = businessDay(new Date(payment.startedAt), "Europe/Warsaw");

    // The day's report says it on standard error, and its JSON names it in `undecided` (in no total).
    const json = await report(day);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toContain(`warning: 1 payment of ${day} awaits a staff decision: ${payment.id}`);
    const body = JSON.parse(json.stdout.toString("utf8")) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      "header",
      "totals",
      "reconciliation",
      "reversals",
      "undecided",
      "payments",
    ]);
    const named = [
      {
        paymentId: payment.id,
        startedAt: expect.any(String),
        slip: slipId,
        case: caseRef,
        total: payment.total,
        state: "unknown",
      },
    ];
    expect(body["undecided"]).toEqual(named);
    // So do the admin API's downloads, which an office tool reads without the command's warning: the
    // JSON's member, and the CSV's `undecided` block before the payments (SPEC §7's columns unchanged).
    const download = (format: string) => admin(`/reports/settlement?date=${day}&format=${format}`);
    const jsonDownload = (await (await download("json")).json()) as Record<string, unknown>;
    expect(jsonDownload["undecided"]).toEqual(named);
    const csvDownload = await (await download("csv")).text();
    expect(csvDownload).toContain(
      `undecided\r\npayment_id,started_at,slip,case,total,state\r\n${payment.id},`,
    );
    expect(csvDownload.indexOf("undecided\r\n")).toBeLessThan(csvDownload.indexOf("payments\r\n"));
    // The PDF, for whoever signs the day, carries it as a note.
    const pdfFile = path.join(rig.dir, "report.pdf");
    const pdf = await report(day, "--format", "pdf", "--out", pdfFile);
    expect(pdf.code, pdf.stderr).toBe(0);
    expect(pdf.stderr).toContain(payment.id);
    const text = execFileSync("pdftotext", ["-layout", pdfFile, "-"], { encoding: "utf8" }).replace(
      /\s+/g,
      " ",
    );
    expect(text).toContain("UWAGA: płatności tego dnia czekające na decyzję obsługi: 1.");
    expect(text).toContain(payment.id);
    expect(text).toContain(`${slipId} / ${caseRef}`);
    fs.rmSync(pdfFile);

    // A verdict without the journal's note, or with a made-up verdict, changes nothing.
    for (const bad of [{ verdict: "charged" }, { verdict: "maybe", note: "checked the journal" }]) {
      expect((await admin(`/payments/${payment.id}/resolve`, bad)).status).toBe(400);
    }
    expect((await unresolved()).map((p) => p.id)).toEqual([payment.id]);

    const note = "terminal journal: no transaction at that time";
    const verdict = await admin(`/payments/${payment.id}/resolve`, { verdict: "not_charged", note });
    expect(verdict.status, await verdict.clone().text()).toBe(200);
    expect(await verdict.json()).toMatchObject({ id: payment.id, status: "declined" });
    // Decided once: the console (or a second office clerk) is told it is settled already.
    const again = await admin(`/payments/${payment.id}/resolve`, { verdict: "charged", note });
    expect(again.status).toBe(409);
    expect(await unresolved()).toEqual([]);

    // Audited as the console's verdict is: the request, and the flow's own entry with the note.
    const rows = audit().filter((r) => r.target === payment.id && r.action.includes("payment.resolve"));
    expect(rows.map((r) => [r.actor, r.action])).toEqual([
      ["office-admin", "admin.payment.resolve"],
      ["office-admin", "payment.resolve"],
      ["office-admin", "admin.payment.resolve"],
      ["office-admin", "admin.payment.resolve.failed"],
    ]);
    expect(JSON.parse(rows[1]?.details ?? "{}")).toMatchObject({ verdict: "not_charged", note });

    // The kiosk is in service again, the report has nothing to warn of, and the slip can be paid.
    const url = daemon.url as string;
    await expect.poll(async () => (await fetch(`${url}/ready`)).status, { timeout: 15_000 }).toBe(200);
    const after = await report(day);
    expect(after.code).toBe(0);
    expect(after.stderr).not.toContain("staff decision");
    expect((JSON.parse(after.stdout.toString("utf8")) as Record<string, unknown>)["undecided"]).toEqual([]);
    expect(await (await download("csv")).text()).not.toContain("undecided");
    expect(await payOnce(url, slip)).toBe("paid");
  }, 90_000);
});
