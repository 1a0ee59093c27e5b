/**
 * The technician's service API (`/api/service`, kiosk/http/routes/service.ts) as the console sees it.
 * The bearer token lives only in this object's memory — never in storage — so a reload or a closed
 * tab ends the service session. Every answer is checked here, at the edge.
 */
import type { ReconciliationDifference } from "../../../contracts/settlement.ts";
import { isObject, type Json, str } from "../json.ts";

export type { ReconciliationDifference };

export type DeviceName = "terminal" | "printer" | "scanner" | "gpio";

export interface DeviceReport {
  name: string;
  kind: string;
  state: string;
  lastError: { code: string; message: string; at: string } | null;
  statistics: Record<string, number>;
}

export interface OutOfOrder {
  on: boolean;
  reason: string | null;
}

export interface Health {
  ok: boolean;
  state: string;
  message: string;
  details: Record<string, string | number | boolean | null>;
}

export interface EndOfDay {
  /** Grosze. */
  total: number;
  count: number;
  perBrand: Record<string, { count: number; total: number }>;
  traceNumber: string | null;
  /** The terminal's totals against the kiosk's payments of the batch (null from an older daemon). */
  reconciliation: EndOfDayReconciliation | null;
}

/** A count and a sum (grosze). */
export interface Totals {
  count: number;
  total: number;
}

export interface EndOfDayReconciliation {
  matches: boolean;
  kiosk: Totals;
  terminal: Totals;
  brands: Array<{ brand: string; kiosk: Totals; terminal: Totals }>;
  differences: ReconciliationDifference[];
}

export interface ServicePayment {
  id: string;
  status: string;
  /** Grosze. */
  total: number;
  paidAt: string | null;
  receiptPrinted: boolean;
  maskedPan: string | null;
}

/** An outbox message still to be delivered (pending) or refused for good (failed: parked). */
export interface QueuedMessage {
  id: string;
  destination: string;
  kind: string;
  state: "pending" | "failed";
  attempts: number;
  createdAt: string;
  lastStatus: number | null;
  lastError: string | null;
  /** An earlier parked message of the same payment this one waits behind. */
  waitingFor: string | null;
}

/** One recipient's account in a parked settlement message as written (`from`) and as configured (`to`). */
export interface AccountChange {
  recipient: string;
  from: string;
  to: string;
}

/**
 * What "send with the accounts from the configuration" would change: each account of the message,
 * and how many lines of the payment's records take the new accounts too; or why the message would
 * stay parked (a recipient the configuration no longer has).
 */
export type AccountsPreview =
  | { refused: false; changes: AccountChange[]; recordLines: number }
  | { refused: true; reason: string; recipient: string | null };

/** Something staff must act on and acknowledge (payment_conflict, end_of_day_mismatch). */
export interface Alarm {
  id: number;
  kind: string;
  raisedAt: string;
  subject: string | null;
  /** The daemon's own line, in English (its log's language); the console words it from `details`. */
  summary: string;
  details: Json | null;
}

/** A payment recovery could not decide, with the stage it reached and the terminal's answer. */
export interface UnresolvedPayment {
  id: string;
  total: number;
  /** When the attempt started (ISO): staff look for it in the terminal's journal by its time and amount. */
  startedAt: string | null;
  slip: string | null;
  stage: string;
  /** The terminal's answer as recovery classed it (`nothing`, `older_transaction`, …). */
  answer: string;
  /** The receipt number of the approval the kiosk stored before it died, if it stored one. */
  receiptNo: string | null;
}

export type ScanTest = { read: false } | { read: true; length: number; preview: string };

/** A refusal from the service API (problem+json), with its `code`. */
export class ServiceProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "ServiceProblem";
  }
}

function strOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
function int(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new TypeError("not an integer");
  return value;
}
function object(value: unknown, what: string): Json {
  if (!isObject(value)) throw new TypeError(`${what} is not an object`);
  return value;
}

function parseQueuedMessage(raw: unknown): QueuedMessage {
  const m = object(raw, "message");
  return {
    id: str(m.id),
    destination: str(m.destination),
    kind: str(m.kind),
    state: m.state === "failed" ? "failed" : "pending",
    attempts: int(m.attempts),
    createdAt: str(m.createdAt),
    lastStatus: typeof m.lastStatus === "number" ? m.lastStatus : null,
    lastError: strOrNull(m.lastError),
    waitingFor: strOrNull(m.waitingFor),
  };
}

function parseAccountsPreview(raw: unknown): AccountsPreview {
  const p = object(raw, "accounts");
  if (typeof p.refused === "string")
    return { refused: true, reason: p.refused, recipient: strOrNull(p.recipient) };
  const changes = Array.isArray(p.changes) ? p.changes.map((c) => object(c, "account change")) : [];
  const records = Array.isArray(p.records) ? p.records.map((r) => object(r, "record change")) : [];
  return {
    refused: false,
    changes: changes.map((c) => ({ recipient: str(c.recipient), from: str(c.from), to: str(c.to) })),
    recordLines: records.reduce((n, r) => n + int(r.lines), 0),
  };
}

function parseAlarm(raw: unknown): Alarm {
  const a = object(raw, "alarm");
  return {
    id: int(a.id),
    kind: str(a.kind),
    raisedAt: str(a.raisedAt),
    subject: strOrNull(a.subject),
    summary: str(a.summary),
    details: isObject(a.details) ? a.details : null,
  };
}

function parseDevice(raw: unknown): DeviceReport {
  const d = object(raw, "device");
  const lastError = isObject(d.lastError) ? d.lastError : null;
  const statistics: Record<string, number> = {};
  if (isObject(d.statistics)) {
    for (const [key, value] of Object.entries(d.statistics)) {
      if (typeof value === "number" && Number.isFinite(value)) statistics[key] = value;
    }
  }
  return {
    name: str(d.name),
    kind: str(d.kind),
    state: str(d.state, "offline"),
    lastError: lastError
      ? { code: str(lastError.code), message: str(lastError.message), at: str(lastError.at) }
      : null,
    statistics,
  };
}

function parseOutOfOrder(raw: unknown): OutOfOrder {
  const o = object(raw, "out-of-order");
  return { on: o.on === true, reason: strOrNull(o.reason) };
}

function parseHealth(raw: unknown): Health {
  const h = object(raw, "health");
  const details: Health["details"] = {};
  if (isObject(h.details)) {
    for (const [key, value] of Object.entries(h.details)) {
      if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
        details[key] = value as string | number | boolean | null;
      }
    }
  }
  return { ok: h.ok === true, state: str(h.state), message: str(h.message), details };
}

function parseEndOfDay(raw: unknown): EndOfDay {
  const e = object(raw, "end-of-day");
  const perBrand: EndOfDay["perBrand"] = {};
  if (isObject(e.perBrand)) {
    for (const [brand, value] of Object.entries(e.perBrand)) {
      if (isObject(value)) perBrand[brand] = { count: int(value.count), total: int(value.total) };
    }
  }
  return {
    total: int(e.total),
    count: int(e.count),
    perBrand,
    traceNumber: strOrNull(e.traceNumber),
    reconciliation: isObject(e.reconciliation) ? parseReconciliation(e.reconciliation) : null,
  };
}

function parseTotals(raw: unknown): Totals {
  const t = object(raw, "totals");
  return { count: int(t.count), total: int(t.total) };
}

function parseReconciliation(r: Json): EndOfDayReconciliation {
  const list = (value: unknown) => (Array.isArray(value) ? value.filter(isObject) : []);
  return {
    matches: r.matches === true,
    kiosk: parseTotals(r.kiosk),
    terminal: parseTotals(r.terminal),
    brands: list(r.brands).map((b) => ({
      brand: str(b.brand),
      kiosk: parseTotals(b.kiosk),
      terminal: parseTotals(b.terminal),
    })),
    differences: list(r.differences).map((d) => ({
      kind: d.kind === "kiosk_only" ? "kiosk_only" : "terminal_only",
      brand: str(d.brand),
      count: int(d.count),
      total: int(d.total),
      candidates: Array.isArray(d.candidates) ? d.candidates.map((c) => str(c)) : [],
      likely: strOrNull(d.likely),
    })),
  };
}

function parsePayment(raw: unknown): ServicePayment {
  const p = object(raw, "payment");
  return {
    id: str(p.id),
    status: str(p.status),
    total: int(p.total),
    paidAt: strOrNull(p.paidAt),
    receiptPrinted: p.receiptPrinted === true,
    maskedPan: strOrNull(p.maskedPan),
  };
}

function parseUnresolved(raw: unknown): UnresolvedPayment {
  const p = object(raw, "unresolved payment");
  const answer = isObject(p.terminalAnswer) ? str(p.terminalAnswer.answer) : "";
  return {
    id: str(p.id),
    total: int(p.total),
    startedAt: strOrNull(p.startedAt),
    slip: strOrNull(p.slip),
    stage: str(p.stage),
    answer,
    receiptNo: strOrNull(p.receiptNo),
  };
}

function parseScanTest(raw: unknown): ScanTest {
  const s = object(raw, "scanner test");
  if (s.read !== true) return { read: false };
  return { read: true, length: int(s.length), preview: str(s.preview) };
}

/** Today's business day in the office's time zone (YYYY-MM-DD). */
export function warsawDay(date = new Date()): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Warsaw" }).format(date);
}

export interface LoginResult {
  idleTimeoutSeconds: number;
}

const BASE = "/api/service";

export class ServiceApi {
  private token: string | null = null;

  get loggedIn(): boolean {
    return this.token !== null;
  }

  /** Called whenever the API answers 401: the token is gone (expired, revoked, daemon restarted). */
  onUnauthorized: () => void = () => undefined;

  private async request(method: "GET" | "POST" | "PUT", route: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(BASE + route, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      const problem = isObject(json) ? json : {};
      const retry = Number(response.headers.get("retry-after"));
      const error = new ServiceProblem(
        response.status,
        str(problem.code, response.status >= 500 ? "DEVICE_UNAVAILABLE" : "VALIDATION"),
        str(problem.detail) || str(problem.title) || `HTTP ${response.status}`,
        Number.isFinite(retry) && retry > 0 ? retry : null,
      );
      if (response.status === 401 && route !== "/login") {
        this.token = null;
        this.onUnauthorized();
      }
      throw error;
    }
    return json;
  }

  async loginWithPin(pin: string): Promise<LoginResult> {
    return this.login({ pin });
  }

  async loginWithKey(): Promise<LoginResult> {
    return this.login({ method: "key" });
  }

  private async login(body: { pin: string } | { method: "key" }): Promise<LoginResult> {
    const raw = object(await this.request("POST", "/login", body), "login");
    const token = str(raw.token);
    if (!token) throw new TypeError("login answered without a token");
    this.token = token;
    const idle = raw.idleTimeoutSeconds;
    return { idleTimeoutSeconds: typeof idle === "number" && idle > 0 ? idle : 900 };
  }

  /** Ends the session at the daemon; the token is forgotten here whatever the answer. */
  async logout(): Promise<void> {
    const token = this.token;
    this.token = null;
    if (!token) return;
    await fetch(`${BASE}/logout`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      keepalive: true,
    }).catch(() => undefined);
  }

  async devices(): Promise<{ devices: DeviceReport[]; outOfOrder: OutOfOrder }> {
    const raw = object(await this.request("GET", "/devices"), "devices");
    return {
      devices: Array.isArray(raw.devices) ? raw.devices.map(parseDevice) : [],
      outOfOrder: parseOutOfOrder(raw.outOfOrder),
    };
  }

  async health(device: string): Promise<Health> {
    return parseHealth(await this.request("POST", `/devices/${encodeURIComponent(device)}/health`));
  }

  async testPrint(): Promise<void> {
    await this.request("POST", "/printer/test-print");
  }

  async scannerTest(): Promise<ScanTest> {
    return parseScanTest(await this.request("POST", "/scanner/test"));
  }

  async terminalDiagnosis(): Promise<Health> {
    return parseHealth(await this.request("POST", "/terminal/diagnosis"));
  }

  async endOfDay(): Promise<EndOfDay> {
    return parseEndOfDay(await this.request("POST", "/terminal/end-of-day"));
  }

  async payments(day: string): Promise<ServicePayment[]> {
    const raw = object(await this.request("GET", `/payments?day=${encodeURIComponent(day)}`), "payments");
    return Array.isArray(raw.payments) ? raw.payments.map(parsePayment) : [];
  }

  async unresolved(): Promise<UnresolvedPayment[]> {
    const raw = object(await this.request("GET", "/payments/unresolved"), "unresolved payments");
    return Array.isArray(raw.payments) ? raw.payments.map(parseUnresolved) : [];
  }

  async resolve(
    id: string,
    verdict: "charged" | "not_charged",
    note: string,
    receiptNo: string,
  ): Promise<void> {
    const body = { verdict, note, ...(receiptNo ? { receiptNo } : {}) };
    await this.request("POST", `/payments/${encodeURIComponent(id)}/resolve`, body);
  }

  async reprint(paymentId: string): Promise<void> {
    await this.request("POST", `/payments/${encodeURIComponent(paymentId)}/reprint`);
  }

  async setOutOfOrder(on: boolean, reason: string): Promise<OutOfOrder> {
    return parseOutOfOrder(await this.request("PUT", "/out-of-order", on ? { on, reason } : { on }));
  }

  async outbox(): Promise<QueuedMessage[]> {
    const raw = object(await this.request("GET", "/outbox"), "outbox");
    return Array.isArray(raw.messages) ? raw.messages.map(parseQueuedMessage) : [];
  }

  /** `accountsFromConfig`: a settlement transaction goes with the accounts the configuration holds. */
  async requeue(ids: string[], accountsFromConfig = false): Promise<void> {
    await this.request("POST", "/outbox/requeue", accountsFromConfig ? { ids, accountsFromConfig } : { ids });
  }

  async accountsPreview(id: string): Promise<AccountsPreview> {
    return parseAccountsPreview(await this.request("GET", `/outbox/accounts?id=${encodeURIComponent(id)}`));
  }

  async alarms(): Promise<Alarm[]> {
    const raw = object(await this.request("GET", "/alarms"), "alarms");
    return Array.isArray(raw.open) ? raw.open.map(parseAlarm) : [];
  }

  async acknowledge(id: number, note: string): Promise<void> {
    await this.request("POST", `/alarms/${id}/acknowledge`, note ? { note } : {});
  }

  async logs(lines: number): Promise<string[]> {
    const raw = object(await this.request("GET", `/logs?lines=${lines}`), "logs");
    return Array.isArray(raw.lines) ? raw.lines.filter((l): l is string => typeof l === "string") : [];
  }
}
