/**
 * The crash and chaos rig: the ZVT terminal simulator, the ESC/POS printer simulator and the fake
 * office and settlement servers run in the test process, so they outlive the daemon; the daemon is
 * the real `oplatomat start` in a child process, SIGKILLed (by its crash points or from outside)
 * and started again over the same data directory. `checkInvariants` is the verdict: every session
 * final, the database's approved payments equal to what the terminal really charged, no slip paid
 * twice, every outbox message delivered exactly once at each fake.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import YAML from "yaml";
import { EscPosPrinterSim } from "../../devices/sim/escpos-printer.ts";
import { ZvtTerminalSimulator } from "../../devices/sim/zvt-terminal.ts";
import { FakePik } from "../../kiosk/integrations/fake-pik.ts";
import { FakeSettlement } from "../../kiosk/integrations/fake-settlement.ts";
import { seededRandom } from "../../kiosk/integrations/fake-server.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "oplatomat.mjs");
export const OFFICE = "PZ1465";
/** The demo office's handling fee, added to every payment (config/demo.yaml). */
export const HANDLING_FEE = 200;
/** The demo configuration's technician PIN (config/demo.yaml). */
export const SERVICE_PIN = "246810";
export const ADMIN_TOKEN = "rig-admin-token-0123456789abcdefghijklmnop";

export interface RigOptions {
  /** Faults on the receivers' POSTs (deliveries); slip checks always pass untouched. */
  faults?: { errorRate: number; hangRate: number; seed: number };
  /** Receivers' deadline per request (ms); a hung delivery is retried after it. */
  deliveryTimeoutMs?: number;
  /** False: a printer without automatic status back (it says nothing by itself when its paper runs out). */
  printerStatusBack?: boolean;
}

export interface Rig {
  terminal: ZvtTerminalSimulator;
  printer: EscPosPrinterSim;
  pik: FakePik;
  settlement: FakeSettlement;
  dir: string;
  dataDir: string;
  configFile: string;
  dbFile: string;
  /** Changes the receivers' delivery faults (only when the rig was started with `faults`). */
  setDeliveryFaults(plan: NonNullable<RigOptions["faults"]>): void;
  close(): Promise<void>;
}

/**
 * A fault-injecting front for a fake receiver, for POSTs only (the receivers' own fault plan would
 * also hang slip checks, which wait 3 s each by SPEC). Like the fakes: a 503 before any effect; a
 * hang after the request took effect, its answer never sent.
 */
async function faultyFront(
  target: string,
  initial: NonNullable<RigOptions["faults"]>,
): Promise<{
  url: string;
  setFaults(plan: NonNullable<RigOptions["faults"]>): void;
  close(): Promise<void>;
}> {
  let faults = initial;
  let random = seededRandom(faults.seed);
  const hanging = new Set<http.ServerResponse>();
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = req.method === "POST" ? random() : 1;
      if (r < faults.errorRate) {
        res.writeHead(503, { "content-type": "application/json" }).end('{"code":"INJECTED"}');
        return;
      }
      const hang = r < faults.errorRate + faults.hangRate;
      const forward = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (up) => {
          const body: Buffer[] = [];
          up.on("data", (c: Buffer) => body.push(c));
          up.on("end", () => {
            if (hang) {
              hanging.add(res);
              res.on("close", () => hanging.delete(res));
              return;
            }
            res.writeHead(up.statusCode ?? 502, up.headers).end(Buffer.concat(body));
          });
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setFaults(plan) {
      faults = plan;
      random = seededRandom(plan.seed);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The simulator stamps transactions with the wall clock of this process (UTC on CI); a terminal in a
 * Polish office shows Polish time, so its clock is shifted to Europe/Warsaw wall time.
 */
export function warsawTerminalClock(): Date {
  const now = new Date();
  const wall = (format: Intl.DateTimeFormat) => Date.parse(`${format.format(now).replace(" ", "T")}Z`);
  return new Date(now.getTime() + wall(WALL_CLOCKS.warsaw) - wall(WALL_CLOCKS.local));
}

/**
 * The formats `toLocaleString("sv-SE", …)` would build on every call (its numeric date and time,
 * "2026-12-06 13:05:09"): made once, since the clock is read inside every simulated payment.
 */
const WALL_CLOCKS = (() => {
  const fields = {
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  } as const;
  return {
    warsaw: new Intl.DateTimeFormat("sv-SE", { ...fields, timeZone: "Europe/Warsaw" }),
    local: new Intl.DateTimeFormat("sv-SE", fields),
  };
})();

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-crash-"));
  const dataDir = path.join(dir, "data");
  fs.mkdirSync(dataDir);
  const terminal = new ZvtTerminalSimulator({
    intermediateDelayMs: 0,
    answerTimeoutMs: 2_000,
    now: warsawTerminalClock,
  });
  const printer = new EscPosPrinterSim({ statusBack: options.printerStatusBack ?? true });
  const pik = await FakePik.start({ office: OFFICE, kid: "pik2026" });
  const settlement = await FakeSettlement.start();
  const fronts = options.faults
    ? await Promise.all([
        faultyFront(pik.url, options.faults),
        faultyFront(settlement.url, { ...options.faults, seed: options.faults.seed + 1 }),
      ])
    : [];
  const terminalPort = await terminal.listenTcp(0);
  const printerPort = await printer.listenTcp(0);

  const keyFile = path.join(dir, "pik.pub.pem");
  fs.writeFileSync(keyFile, pik.publicKeyPem);
  const demo = YAML.parse(fs.readFileSync(path.join(ROOT, "config", "demo.yaml"), "utf8")) as Record<
    string,
    unknown
  >;
  const timeoutMs = options.deliveryTimeoutMs ?? 2_000;
  const config = {
    ...demo,
    slips: { trustedKeys: [{ kid: "pik2026", publicKeyFile: keyFile }], offlinePolicy: "refuse" },
    devices: {
      terminal: {
        protocol: "zvt",
        transport: { type: "tcp", host: "127.0.0.1", port: terminalPort },
        password: "000000",
      },
      printer: {
        protocol: "escpos",
        transport: { type: "tcp", host: "127.0.0.1", port: printerPort },
        columns: 48,
        codePage: "cp852",
      },
      scanner: { type: "keyboard" },
      gpio: { backend: "sim" },
    },
    integrations: {
      pik: { url: fronts[0]?.url ?? pik.url, reporting: "direct", timeoutMs },
      settlement: { url: fronts[1]?.url ?? settlement.url, timeoutMs },
    },
    storage: { path: "oplatomat.db" },
    // The management listener serves the admin API (voids).
    server: { host: "127.0.0.1", port: 0, management: { host: "127.0.0.1", port: 0 } },
    logging: { level: "warn" },
  } as Record<string, unknown>;
  // The demo's technician PIN (staff resolve payments recovery could not decide) and an admin token
  // of the rig's own; no scheduled end-of-day in the middle of a run.
  const adminTokenFile = path.join(dir, "admin-token");
  fs.writeFileSync(adminTokenFile, ADMIN_TOKEN);
  config["service"] = { pinHash: (demo["service"] as { pinHash: string }).pinHash, adminTokenFile };
  delete config["endOfDay"];
  const configFile = path.join(dir, "kiosk.yaml");
  fs.writeFileSync(configFile, YAML.stringify(config));
  return {
    terminal,
    printer,
    pik,
    settlement,
    dir,
    dataDir,
    configFile,
    dbFile: path.join(dataDir, "oplatomat.db"),
    setDeliveryFaults(plan) {
      fronts[0]?.setFaults(plan);
      fronts[1]?.setFaults({ ...plan, seed: plan.seed + 1 });
    },
    async close() {
      await Promise.allSettled([
        terminal.stop(),
        ...fronts.map((f) => f.close()),
        pik.close(),
        settlement.close(),
      ]);
      await printer.close();
      // CRASH_KEEP=1 keeps the data directory of a failing run for a post-mortem.
      if (process.env["CRASH_KEEP"] === "1") process.stderr.write(`rig kept in ${dir}\n`);
      else fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Daemon {
  proc: ChildProcess;
  /** The base URL once listening; null when it died first (a crash point during recovery). */
  url: string | null;
  /** The management listener's base URL (admin API). */
  managementUrl: string | null;
  output(): string;
  alive(): boolean;
  /** SIGKILL: no clean-up, like a power cut of the process. */
  kill(): Promise<void>;
  /** SIGTERM and wait: the orderly stop. */
  stop(): Promise<void>;
}

/** How the daemon's process is started: the node binary, its flags, and the `oplatomat` command file. */
export interface Launch {
  node?: string;
  nodeArgs?: string[];
  bin?: string;
}

/** Starts `oplatomat start` over the rig; resolves when it listens, or when it died before that. */
export async function startDaemon(
  rig: Rig,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
  launch: Launch = {},
): Promise<Daemon> {
  const proc = spawn(
    launch.node ?? process.execPath,
    [
      ...(launch.nodeArgs ?? []),
      launch.bin ?? BIN,
      "start",
      "--config",
      rig.configFile,
      "--data",
      rig.dataDir,
      "--port",
      "0",
    ],
    {
      // The simulator answers on loopback at once: a T3 of 2 s still leaves room on a loaded machine.
      env: { ...process.env, OPLATOMAT_OUTBOX_BACKOFF_MS: "20,400", OPLATOMAT_ZVT_T3_MS: "2000", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once("exit", () => resolve());
  });
  const url = await new Promise<string | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`daemon did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = /oplatomat listening on (\S+)/.exec(out);
      if (m && /oplatomat management on (\S+)/.test(out)) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    proc.stdout?.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      if (proc.signalCode === "SIGKILL") resolve(null);
      else reject(new Error(`daemon exited with ${proc.exitCode}:\n${out}`));
    });
  });
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  return {
    proc,
    url,
    managementUrl: /oplatomat management on (\S+)/.exec(out)?.[1] ?? null,
    output: () => out,
    alive,
    async kill() {
      if (alive()) proc.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (alive()) proc.kill("SIGTERM");
      await exited;
    },
  };
}

// ───────────────────────────── the visitor, over HTTP ─────────────────────────────

export type Outcome =
  | "paid"
  | "declined"
  | "not_charged"
  | "already_paid"
  | "unavailable"
  | "died"
  /** The terminal could not prove the outcome: the kiosk is out of order until staff resolve it. */
  | "unknown";

interface SessionBody {
  state?: string;
  code?: string;
  payment?: { status?: string } | null;
}

async function call(
  url: string,
  method: "GET" | "POST",
  route: string,
  body?: unknown,
): Promise<{ status: number; json: SessionBody }> {
  const res = await fetch(url + route, {
    method,
    ...(body !== undefined
      ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
      : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json: SessionBody = {};
  try {
    json = JSON.parse(text) as SessionBody;
  } catch {
    // not JSON: only the status matters then
  }
  return { status: res.status, json };
}

/**
 * One visitor: scans the slip, pays, waits for the end, leaves. Any connection failure means the
 * daemon died under them ("died"); the slip is then tried again after the restart.
 */
export async function payOnce(
  url: string,
  payload: string | string[],
  deadlineMs = 20_000,
): Promise<Outcome> {
  try {
    // Several slips are one basket and one card payment (SPEC §4): all paid, or none.
    const scan =
      typeof payload === "string"
        ? await call(url, "POST", "/api/scan", { payload })
        : await call(url, "POST", "/api/basket", { items: payload.map((slip) => ({ slip })) });
    if (scan.status === 422 && scan.json.code === "SLIP_ALREADY_PAID") return "already_paid";
    if (scan.status !== 200) return "unavailable";
    const pay = await call(url, "POST", "/api/session/pay");
    if (pay.status === 409 && pay.json.code === "SLIP_ALREADY_PAID") return "already_paid";
    if (pay.status !== 202) return "unavailable";
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const { json } = await call(url, "GET", "/api/session");
      const state = json.state ?? "";
      if (state === "done") {
        await call(url, "POST", "/api/session/cancel");
        return "paid";
      }
      if (state === "declined") {
        await call(url, "POST", "/api/session/cancel");
        return "declined";
      }
      if (state === "cancelled" || state === "idle" || state === "out_of_order") return "not_charged";
      if (state === "unknown" && (await awaitsStaff(url))) return "unknown";
      if (Date.now() > deadline) throw new Error(`payment stuck in ${state}`);
      // As often as a screen would look: polling faster only takes CPU from the daemon under test.
      await new Promise((r) => setTimeout(r, 25));
    }
  } catch (e) {
    if (
      e instanceof TypeError ||
      (e instanceof Error && /fetch failed|ECONNRE|socket|aborted/i.test(e.message))
    )
      return "died";
    throw e;
  }
}

/** True when the kiosk is out of order because a payment's outcome awaits staff. */
export async function awaitsStaff(url: string): Promise<boolean> {
  const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(15_000) });
  return res.status === 503 && (await res.text()).includes("staff must check");
}

/** Waits until start-up recovery is over (the daemon listens before it); false when the daemon died. */
export async function startedUp(url: string, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const text = await (await fetch(`${url}/ready`, { signal: AbortSignal.timeout(15_000) })).text();
      if (!text.includes("unfinished payments are being checked")) return true;
    } catch {
      return false;
    }
    if (Date.now() > deadline) throw new Error("start-up recovery did not end");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A technician resolves every payment the kiosk could not decide, as staff do: by the terminal's own
 * journal (here the simulator's turnover). A charged transaction of that amount no approved payment
 * in the database holds is booked with its receipt number; none: not charged. Returns how many.
 */
export async function resolveAsStaff(url: string, rig: Rig): Promise<number> {
  const post = (route: string, body: unknown, token?: string) =>
    fetch(`${url}/api/service${route}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  const token = await serviceToken(url);
  const list = (await (
    await fetch(`${url}/api/service/payments/unresolved`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(15_000),
    })
  ).json()) as { payments: Array<{ id: string; total: number }> };
  for (const p of list.payments) {
    const booked = new Set(bookedReceipts(rig));
    const found = rig.terminal
      .turnover()
      .find((t) => t.state === "charged" && t.amount === p.total && !booked.has(t.receiptNumber));
    const verdict = found
      ? {
          verdict: "charged",
          note: "found on the terminal's journal",
          receiptNo: String(found.receiptNumber),
        }
      : { verdict: "not_charged", note: "not on the terminal's journal" };
    const res = await post(`/payments/${p.id}/resolve`, verdict, token);
    if (res.status !== 200) throw new Error(`resolve ${p.id}: ${res.status} ${await res.text()}`);
  }
  return list.payments.length;
}

/** A technician's bearer token (the demo's PIN). */
async function serviceToken(url: string): Promise<string> {
  const res = await fetch(`${url}/api/service/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pin: SERVICE_PIN }),
    signal: AbortSignal.timeout(15_000),
  });
  if (res.status !== 200) throw new Error(`service login: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** The reconciliation part of the service console's end-of-day answer. */
export interface EndOfDayAnswer {
  count: number;
  total: number;
  reconciliation: { matches: boolean; kiosk: { count: number; total: number }; differences: unknown[] };
}

/** A technician closes the terminal's day from the service console (06 50 and the reconciliation). */
export async function endOfDayAsStaff(url: string): Promise<EndOfDayAnswer> {
  const token = await serviceToken(url);
  const res = await fetch(`${url}/api/service/terminal/end-of-day`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(60_000),
  });
  if (res.status !== 200) throw new Error(`end-of-day: ${res.status} ${await res.text()}`);
  return (await res.json()) as EndOfDayAnswer;
}

function bookedReceipts(rig: Rig): number[] {
  const db = new Database(rig.dbFile, { readonly: true, fileMustExist: true });
  try {
    return (
      db
        .prepare(
          "SELECT receipt_no FROM sessions WHERE payment_status = 'approved' AND receipt_no IS NOT NULL",
        )
        .all() as Array<{
        receipt_no: string;
      }>
    ).map((r) => Number(r.receipt_no));
  } finally {
    db.close();
  }
}

// ───────────────────────────── slips and the verdict ─────────────────────────────

let slipCounter = 0;

/** Two or three slips paid together (never declined by amount: their totals end in 00 or 50 + the fee). */
export function issueSlips(rig: Rig, random: () => number): string[] {
  return Array.from({ length: 2 + Math.floor(random() * 2) }, () => issueSlip(rig, random, 0));
}

/** A slip from the fake office; a share of totals end in 51 grosze (the simulator declines those). */
export function issueSlip(rig: Rig, random: () => number, declineShare = 0.1): string {
  slipCounter += 1;
  const base = 1_000 + Math.floor(random() * 400) * 50;
  const declined = random() < declineShare;
  // The fee is added by the kiosk; the terminal sees total + fee.
  const dr = declined ? base + 51 - ((base + HANDLING_FEE) % 100) : base;
  return rig.pik.issueSlip({
    slip: `S/2026/${process.pid}-${slipCounter}`,
    caseRef: `KOM/${slipCounter}/2026`,
    lines: [
      { code: "DR", amount: dr },
      { code: "TAB", amount: 8_000 },
    ],
  });
}

interface SessionRow {
  id: string;
  state: string;
  payment_status: string | null;
  committed_at: string | null;
  office_id: string;
  slip_id: string | null;
  total: number;
  receipt_no: string | null;
}

interface OutboxRow {
  id: string;
  destination: string;
  status: string;
  session_id: string | null;
}

export interface Verdict {
  sessions: number;
  approved: number;
  charged: number;
  outbox: number;
  problems: string[];
}

/** Waits (with the daemon running) until no outbox message is pending. */
export async function waitForOutbox(rig: Rig, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const db = new Database(rig.dbFile, { readonly: true, fileMustExist: true });
    let pending: number;
    try {
      pending = (
        db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number }
      ).n;
    } finally {
      db.close();
    }
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} outbox messages still pending`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function readDb<T>(rig: Rig, read: (db: Database.Database) => T): T | null {
  if (!fs.existsSync(rig.dbFile)) return null;
  const db = new Database(rig.dbFile, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The ids and states of every session in the database (none before the first start). */
export function sessionStates(rig: Rig): Map<string, string> {
  const rows = readDb(
    rig,
    (db) => db.prepare("SELECT id, state FROM sessions").all() as Array<{ id: string; state: string }>,
  );
  return new Map((rows ?? []).map((r) => [r.id, r.state]));
}

/**
 * What must hold at every moment, even right after a SIGKILL: the database is intact, no slip is
 * paid twice, no terminal receipt is booked twice, and every payment the kiosk booked (committed)
 * was charged by the terminal with that receipt number and amount. The terminal may hold charges
 * the kiosk has not booked yet: recovery books them in the next life, the final check proves it.
 */
export function checkAfterKill(rig: Rig): string[] {
  return (
    readDb(rig, (db) => {
      const problems: string[] = [];
      const integrity = db.prepare("PRAGMA integrity_check").pluck().get();
      if (integrity !== "ok") problems.push(`integrity_check: ${String(integrity)}`);
      problems.push(...doublePaidSlips(db));
      const booked = db
        .prepare(
          "SELECT id, total, receipt_no FROM sessions WHERE payment_status = 'approved' AND committed_at IS NOT NULL",
        )
        .all() as Array<{ id: string; total: number; receipt_no: string | null }>;
      // An acknowledgement written just before the kill may still be on its way to the simulator.
      const taken = rig.terminal
        .turnover()
        .filter((t) => t.state === "charged" || (t.state === "pending" && !t.originalTrace));
      const seen = new Map<string, string>();
      for (const b of booked) {
        const receipt = String(Number(b.receipt_no));
        const other = seen.get(receipt);
        if (other) problems.push(`terminal receipt ${receipt} booked twice: ${other} and ${b.id}`);
        seen.set(receipt, b.id);
        if (!taken.some((t) => String(t.receiptNumber) === receipt && t.amount === b.total))
          problems.push(
            `payment ${b.id} booked (receipt ${receipt}, ${b.total}) but not charged by the terminal`,
          );
      }
      return problems;
    }) ?? []
  );
}

/**
 * Once start-up recovery is over, every session a previous life left behind is final or honestly
 * unknown: `unknown` only while the kiosk refuses payments until staff decide (`outOfOrder`).
 */
export function checkRecovered(rig: Rig, before: ReadonlySet<string>, outOfOrder: boolean): string[] {
  const problems: string[] = [];
  for (const [id, state] of sessionStates(rig)) {
    if (!before.has(id) || state === "done" || state === "cancelled") continue;
    if (state === "unknown" && outOfOrder) continue;
    problems.push(
      `session ${id} left ${state} by start-up recovery${state === "unknown" ? " while the kiosk takes payments" : ""}`,
    );
  }
  return problems;
}

/** Slips of approved payments paid more than once (the second and third of a basket too). */
function doublePaidSlips(db: Database.Database): string[] {
  const slipRows = db
    .prepare(
      `SELECT x.slip_id FROM session_slips x JOIN sessions s ON s.id = x.session_id
        WHERE s.committed_at IS NOT NULL AND s.payment_status = 'approved'`,
    )
    .all() as Array<{ slip_id: string }>;
  const perSlip = new Map<string, number>();
  for (const s of slipRows) perSlip.set(s.slip_id, (perSlip.get(s.slip_id) ?? 0) + 1);
  return [...perSlip].filter(([, n]) => n > 1).map(([slip, n]) => `slip ${slip} paid ${n} times`);
}

/** The invariants, read from the stopped daemon's database and the simulators' own records. */
export function checkInvariants(rig: Rig): Verdict {
  const problems: string[] = [];
  const db = new Database(rig.dbFile, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.prepare("PRAGMA integrity_check").pluck().get();
    if (integrity !== "ok") problems.push(`integrity_check: ${String(integrity)}`);
    const sessions = db.prepare("SELECT * FROM sessions").all() as SessionRow[];
    for (const s of sessions) {
      if (s.state !== "done" && s.state !== "cancelled")
        problems.push(`session ${s.id} not final: ${s.state}/${s.payment_status}`);
      if (s.payment_status === "approved" && !s.committed_at)
        problems.push(`session ${s.id} approved but never committed`);
    }
    const approved = sessions.filter((s) => s.committed_at && s.payment_status === "approved");
    const charged = rig.terminal.turnover().filter((t) => t.state === "charged");
    const key = (receipt: number, amount: number) => `${receipt}:${amount}`;
    const dbSide = approved.map((s) => key(Number(s.receipt_no), s.total)).sort();
    const terminalSide = charged.map((t) => key(t.receiptNumber, t.amount)).sort();
    if (JSON.stringify(dbSide) !== JSON.stringify(terminalSide))
      problems.push(
        `approved in the database ${JSON.stringify(dbSide)} ≠ charged by the terminal ${JSON.stringify(terminalSide)}`,
      );

    problems.push(...doublePaidSlips(db));

    const outbox = db.prepare("SELECT id, destination, status, session_id FROM outbox").all() as OutboxRow[];
    for (const m of outbox) if (m.status !== "delivered") problems.push(`outbox ${m.id} is ${m.status}`);
    for (const s of approved) {
      for (const dest of ["pik", "settlement"]) {
        if (!outbox.some((m) => m.session_id === s.id && m.destination === dest))
          problems.push(`payment ${s.id} has no message for ${dest}`);
      }
    }
    for (const [dest, fake] of [
      ["pik", rig.pik],
      ["settlement", rig.settlement],
    ] as const) {
      const seen = fake.countByKey();
      const sent = outbox.filter((m) => m.destination === dest);
      for (const m of sent) {
        const n = seen.get(m.id) ?? 0;
        if (n !== 1) problems.push(`${dest} took message ${m.id} ${n} times`);
      }
      for (const k of seen.keys())
        if (!sent.some((m) => m.id === k)) problems.push(`${dest} got unknown key ${k}`);
    }
    for (const p of rig.pik.payments()) {
      // A payment of several slips is `<payment id>.<n>` at PiK, one per slip.
      const id = String(p["paymentId"]).replace(/\.\d+$/, "");
      if (!approved.some((s) => s.id === p["paymentId"] || s.id === id))
        problems.push(`PiK holds payment ${String(p["paymentId"])} the kiosk does not`);
    }
    return {
      sessions: sessions.length,
      approved: approved.length,
      charged: charged.length,
      outbox: outbox.length,
      problems,
    };
  } finally {
    db.close();
  }
}
