/**
 * A hub under test: a throwaway PostgreSQL cluster (test/helpers/postgres.ts), a database for the
 * caller, a configuration with two offices, devices with bearer tokens and staff logins, and the hub
 * itself in process (`createHub`) or as a child process (`oplatomat hub start`) for crash tests.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { parseHubConfig } from "../../hub/config/load.ts";
import type { HubConfig } from "../../hub/config/types.ts";
import { createHub, type Hub } from "../../hub/main.ts";
import { createHubLogger } from "../../hub/ops/logger.ts";
import type { SettlementTransaction } from "../../contracts/settlement.ts";
import { type PostgresCluster, startPostgres } from "./postgres.ts";
import { testLogFile } from "./test-logs.ts";

export const NRB = {
  POWIAT: "12102099920000000014651001",
  GMINA: "68124099900000000014652002",
  OPERATOR: "10109010140000000146519999",
} as const;

/** A valid NRB the hub does not hold for any recipient. */
export const FOREIGN_NRB = "14102052260000123456789012";

export const TOKENS = {
  K01: "token-of-kiosk-k01-in-office-pz1465-aaaa",
  K02: "token-of-kiosk-k02-in-office-pz1465-bbbb",
  D01: "token-of-desk-d01-in-office-pz1465-cccccc",
  W01: "token-of-kiosk-w01-in-office-wa0001-dddd",
  staffSystem: "token-of-the-accounting-system-eeeeeeeee",
} as const;

/** scrypt (N=1024) of STAFF_PASSWORD: cheap enough for tests, the same format as production. */
export const STAFF_PASSWORD = "haslo-finanse-1";
const STAFF_PASSWORD_HASH =
  "scrypt$1024$8$1$eJJBeCUDUnKq6uttCKs9qA==$jncZCQXeEFhoN4sW2foOZ7RgAgW1uane41VkV7J/yd4=";

export interface HubHarness {
  cluster: PostgresCluster;
  dbUrl: string;
  dir: string;
  configFile: string;
  config: HubConfig;
  /** Extra devices (`PZ1465/K03`…`K50`) for load tests, each with token `bench-token-<id>-…`. */
  deviceToken(id: string): string;
  stop(): Promise<void>;
}

export function loadDevices(n: number): Array<{ id: string; token: string }> {
  return Array.from({ length: n }, (_, i) => {
    const id = `L${String(i + 1).padStart(3, "0")}`;
    return { id, token: `load-token-for-device-${id}-0123456789abcdef` };
  });
}

export async function startHubHarness(
  options: {
    name?: string;
    loadDevices?: number;
    cluster?: PostgresCluster;
    /** A database the caller set up (an operator's role and grants); none is created then. */
    databaseUrl?: string;
  } = {},
): Promise<HubHarness> {
  const cluster = options.cluster ?? (await startPostgres());
  const dbUrl = options.databaseUrl ?? (await cluster.createDatabase(options.name ?? "hub"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-hub-test-"));
  const tokenFile = (name: string, token: string) => {
    const file = path.join(dir, `${name}.token`);
    fs.writeFileSync(file, token);
    return file;
  };
  const load = loadDevices(options.loadDevices ?? 0);
  const config = {
    database: { url: dbUrl },
    server: { host: "127.0.0.1", port: 0 },
    offices: {
      PZ1465: {
        name: "Starostwo Powiatowe w Przykładowie",
        recipients: {
          POWIAT: { name: "Starostwo – dochody", nrb: NRB.POWIAT },
          GMINA: { name: "Urząd Miasta – opłata skarbowa", nrb: NRB.GMINA },
          OPERATOR: { name: "Operator", nrb: NRB.OPERATOR },
        },
      },
      WA0001: { name: "Urząd Warszawa", recipients: { POWIAT: { name: "Warszawa", nrb: NRB.POWIAT } } },
    },
    devices: [
      { id: "K01", office: "PZ1465", kind: "kiosk", tokenFile: tokenFile("K01", TOKENS.K01) },
      { id: "K02", office: "PZ1465", kind: "kiosk", tokenFile: tokenFile("K02", TOKENS.K02) },
      { id: "D01", office: "PZ1465", kind: "desk", tokenFile: tokenFile("D01", TOKENS.D01) },
      { id: "W01", office: "WA0001", kind: "kiosk", tokenFile: tokenFile("W01", TOKENS.W01) },
      ...load.map((d) => ({
        id: d.id,
        office: "PZ1465",
        kind: "kiosk",
        tokenFile: tokenFile(d.id, d.token),
      })),
    ],
    staff: [
      { login: "anna", name: "Anna Finanse", offices: ["PZ1465"], passwordHash: STAFF_PASSWORD_HASH },
      { login: "wanda", name: "Wanda Warszawa", offices: ["WA0001"], passwordHash: STAFF_PASSWORD_HASH },
      {
        login: "system",
        name: "Księgowość",
        offices: "all",
        tokenFile: tokenFile("staff", TOKENS.staffSystem),
      },
    ],
    bank: { payerNrb: NRB.OPERATOR, payerName: "Operator płatności" },
  };
  const configFile = path.join(dir, "hub.yaml");
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  return {
    cluster,
    dbUrl,
    dir,
    configFile,
    config: parseHubConfig(fs.readFileSync(configFile, "utf8"), dir),
    deviceToken: (id) => load.find((d) => d.id === id)?.token ?? "",
    async stop() {
      fs.rmSync(dir, { recursive: true, force: true });
      if (!options.cluster) cluster.stop();
    },
  };
}

/**
 * The hub in this process, logging at debug under test-results/logs (`hub-in-process-<pid>.log`), which
 * the suite's log scan reads for card numbers and tokens as it reads the kiosks' logs.
 */
export async function startInProcessHub(h: HubHarness): Promise<{ hub: Hub; url: string }> {
  const logger = createHubLogger({ level: "debug", destination: testLogFile("hub-in-process") });
  const hub = await createHub(h.config, { logger });
  const url = await hub.listen(0);
  return { hub, url };
}

/** Row counts and sums of every table a request could change: equal before and after a refusal. */
export async function ledgerSnapshot(dbUrl: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const out: Record<string, unknown> = {};
    for (const table of [
      "transactions",
      "splits",
      "reversals",
      "device_days",
      "ingest_keys",
      "fleet",
      "office_days",
    ]) {
      const r = await client.query(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${table} t`,
      );
      out[table] = r.rows[0];
    }
    const audit = await client.query(
      "SELECT count(*)::int AS n FROM audit WHERE action NOT IN ('login', 'login_failed', 'download')",
    );
    out["audit"] = audit.rows[0];
    return out;
  } finally {
    await client.end();
  }
}

let counter = 0;

/** A transaction of `total` grosze split POWIAT/GMINA, as a kiosk sends it. */
export function transaction(over: Partial<SettlementTransaction> = {}): SettlementTransaction {
  counter++;
  const total = over.total ?? 16_000;
  const gmina = Math.min(1_700, total - 1);
  return {
    transactionId: `tx-${process.pid}-${Date.now()}-${counter}`,
    office: "PZ1465",
    kiosk: "K01",
    paidAt: "2026-11-25T09:30:00.000Z",
    total,
    slip: "S/2026/000123",
    case: "KOM/123/2026",
    splits: [
      { recipient: "POWIAT", nrb: NRB.POWIAT, component: "DR", amount: total - gmina },
      { recipient: "GMINA", nrb: NRB.GMINA, component: "OS", amount: gmina },
    ],
    card: {
      brand: "VISA",
      maskedPan: "************1234",
      authCode: "123456",
      terminalId: "T0000001",
      traceNumber: "000042",
    },
    ...over,
  };
}

export interface Sent {
  status: number;
  body: Record<string, unknown>;
  text: string;
  headers: Headers;
}

export async function post(
  url: string,
  body: unknown,
  options: { token?: string; key?: string | null; raw?: string; headers?: Record<string, string> } = {},
): Promise<Sent> {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.token) headers["authorization"] = `Bearer ${options.token}`;
  if (options.key !== null)
    headers["idempotency-key"] = options.key ?? `key-${Math.random().toString(36).slice(2)}`;
  const res = await fetch(url, { method: "POST", headers, body: options.raw ?? JSON.stringify(body) });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

export async function get(url: string, token: string = TOKENS.staffSystem): Promise<Sent> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = {};
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export { freePort } from "./free-port.ts";

/**
 * `oplatomat hub start` in a child process; resolves once it listens. `onOutput` receives everything it
 * writes (its log lines at `info` then, stdout and stderr); without it only stderr is read, and its log
 * (at `warn`) goes to test-results/logs for the suite's log scan.
 */
export function startHubChild(
  configFile: string,
  port: number,
  onOutput?: (text: string) => void,
): Promise<ChildProcess> {
  const log = onOutput ? "pipe" : fs.openSync(testLogFile("hub-child"), "a");
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "bin/oplatomat.mjs"), "hub", "start", "--config", configFile, "--port", String(port)],
    {
      cwd: ROOT,
      env: { ...process.env, OPLATOMAT_LOG_LEVEL: onOutput ? "info" : "warn" },
      stdio: ["ignore", log, "pipe"],
    },
  );
  // The child writes to its own copy of the descriptor.
  if (typeof log === "number") fs.closeSync(log);
  child.stdout?.on("data", (c: Buffer) => onOutput?.(c.toString()));
  return new Promise((resolve, reject) => {
    let text = "";
    child.stderr!.on("data", (c: Buffer) => {
      onOutput?.(c.toString());
      text += c.toString();
      if (text.includes("listening on")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`hub exited ${code}: ${text}`)));
  });
}
