/**
 * What the two fake remote systems share: a real HTTP server on loopback, bearer-token checking,
 * seeded fault injection (a share of 5xx answers, hangs and dropped connections) and an
 * Idempotency-Key store that answers a replay with the first answer (IETF idempotency-key draft:
 * same key and body → same answer; same key, other body → 422; no key → 400).
 *
 * Faults: a 5xx or a dropped connection happens before the request has any effect; a hang happens
 * after it took effect and its answer is never sent — the case a sender must survive without
 * doubling anything.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FaultPlan {
  /** Share of requests answered 503 without effect. */
  errorRate?: number;
  /** Share of requests that take effect and then never get an answer. */
  hangRate?: number;
  /** Share of requests whose connection is destroyed before any effect. */
  dropRate?: number;
  /** Seed of the fault draw, so a failing run can be repeated. */
  seed?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  /** The sender's `X-Request-Id`, which the kiosk's outbox sets to the Idempotency-Key. */
  requestId: string | null;
  body: unknown;
  fault: "none" | "error" | "hang" | "drop";
}

export interface Answer {
  status: number;
  body: unknown;
}

export interface FakeServerOptions {
  host?: string;
  port?: number;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  faults?: FaultPlan;
}

/** mulberry32: tiny, seedable, good enough to spread faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Handler = (req: { method: string; path: string; body: unknown }) => Answer;

interface StoredAnswer {
  fingerprint: string;
  answer: Answer;
}

export class FakeHttpServer {
  private server: http.Server | undefined;
  private faults: Required<FaultPlan> = { errorRate: 0, hangRate: 0, dropRate: 0, seed: 1 };
  private random: () => number = seededRandom(1);
  private readonly log: ReceivedRequest[] = [];
  private readonly idempotency = new Map<string, StoredAnswer>();
  /** How many times each key's request took effect (must stay 1 under any retry pattern). */
  private readonly effects = new Map<string, number>();
  private readonly hanging = new Set<http.ServerResponse>();
  url = "";

  constructor(
    private readonly handler: Handler,
    private readonly options: FakeServerOptions,
  ) {
    this.setFaults(options.faults ?? {});
  }

  setFaults(plan: FaultPlan): void {
    this.faults = {
      errorRate: plan.errorRate ?? 0,
      hangRate: plan.hangRate ?? 0,
      dropRate: plan.dropRate ?? 0,
      seed: plan.seed ?? 1,
    };
    this.random = seededRandom(this.faults.seed);
  }

  async listen(): Promise<string> {
    const server = http.createServer((req, res) => this.onRequest(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => resolve());
    });
    const addr = server.address() as AddressInfo;
    this.url = `http://${addr.address}:${addr.port}`;
    return this.url;
  }

  received(): ReceivedRequest[] {
    return [...this.log];
  }

  countByKey(): Map<string, number> {
    return new Map(this.effects);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private drawFault(): ReceivedRequest["fault"] {
    const { errorRate, hangRate, dropRate } = this.faults;
    if (errorRate + hangRate + dropRate === 0) return "none";
    const r = this.random();
    if (r < errorRate) return "error";
    if (r < errorRate + hangRate) return "hang";
    if (r < errorRate + hangRate + dropRate) return "drop";
    return "none";
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const method = req.method ?? "GET";
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const keyHeader = req.headers["idempotency-key"];
      const key = typeof keyHeader === "string" ? keyHeader : null;
      const requestId = typeof req.headers["x-request-id"] === "string" ? req.headers["x-request-id"] : null;
      let body: unknown = null;
      let parseError = false;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          parseError = true;
        }
      }
      const fault = this.drawFault();
      this.log.push({ method, path, idempotencyKey: key, requestId, body, fault });
      if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) {
        send(res, { status: 401, body: { code: "UNAUTHORIZED" } });
        return;
      }
      if (fault === "error") {
        send(res, { status: 503, body: { code: "INJECTED" } });
        return;
      }
      if (fault === "drop") {
        req.socket.destroy();
        return;
      }
      const answer = parseError
        ? { status: 400, body: { code: "VALIDATION", detail: "body is not JSON" } }
        : this.answer(method, path, key, body, raw);
      if (fault === "hang") {
        this.hanging.add(res);
        res.on("close", () => this.hanging.delete(res));
        return;
      }
      send(res, answer);
    });
  }

  private answer(method: string, path: string, key: string | null, body: unknown, raw: string): Answer {
    if (method !== "POST") return this.handler({ method, path, body });
    if (!key) return { status: 400, body: { code: "VALIDATION", detail: "Idempotency-Key header missing" } };
    const fingerprint = createHash("sha256").update(`${method} ${path}\n${raw}`).digest("hex");
    const stored = this.idempotency.get(key);
    if (stored) {
      if (stored.fingerprint !== fingerprint)
        return { status: 422, body: { code: "IDEMPOTENCY_KEY_REUSED", detail: "same key, other request" } };
      return stored.answer;
    }
    const answer = this.handler({ method, path, body });
    // Like the draft: answers to requests that did not take effect are not remembered.
    if (answer.status < 400 || answer.status === 409) {
      this.idempotency.set(key, { fingerprint, answer });
      if (answer.status < 400) this.effects.set(key, (this.effects.get(key) ?? 0) + 1);
    }
    return answer;
  }
}

/** What every fake receiver shares: one FakeHttpServer (faults, Idempotency-Keys, the request log). */
export abstract class FakeReceiver {
  protected readonly http: FakeHttpServer;

  protected constructor(options: FakeServerOptions) {
    this.http = new FakeHttpServer((req) => this.handle(req.method, req.path, req.body), options);
  }

  /** Answers one request that passed the fault plan and the idempotency check. */
  protected abstract handle(method: string, path: string, body: unknown): Answer;

  protected async listen(): Promise<this> {
    await this.http.listen();
    return this;
  }

  get url(): string {
    return this.http.url;
  }

  setFaults(...args: Parameters<FakeHttpServer["setFaults"]>): void {
    this.http.setFaults(...args);
  }

  received() {
    return this.http.received();
  }

  countByKey(): Map<string, number> {
    return this.http.countByKey();
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

function send(res: http.ServerResponse, answer: Answer): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
