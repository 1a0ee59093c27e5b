/**
 * The office system (PiK, "Pojazd"/"Kierowca"). Payments reach it through the outbox; this client
 * only asks, before a payment, whether a slip is still open and unchanged (SPEC §1, §6). Any failure
 * to get a clear answer within the deadline is `unavailable`, and `slips.offlinePolicy` decides.
 */
import type { PikSlipStatus } from "../../contracts/office-system.ts";
import type { IntegrationTarget } from "../config/types.ts";
import { createHttpClient, type HttpClient } from "./http-client.ts";

/** The office system's answer (SPEC §6), or none within the deadline. */
export type SlipCheckResult = PikSlipStatus | { status: "unavailable" };

export const SLIP_CHECK_TIMEOUT_MS = 3_000;

export class PikClient {
  private readonly http: HttpClient;
  private readonly slipCheckTimeoutMs: number;

  constructor(target: IntegrationTarget, options: { http?: HttpClient; slipCheckTimeoutMs?: number } = {}) {
    this.http = options.http ?? createHttpClient(target);
    this.slipCheckTimeoutMs = options.slipCheckTimeoutMs ?? SLIP_CHECK_TIMEOUT_MS;
  }

  /** The shared HTTP client, for the outbox worker's `pik` destination. */
  get httpClient(): HttpClient {
    return this.http;
  }

  async checkSlip(office: string, slip: string): Promise<SlipCheckResult> {
    try {
      const res = await this.http.request({
        method: "GET",
        path: `/slips/${encodeURIComponent(office)}/${encodeURIComponent(slip)}`,
        timeoutMs: this.slipCheckTimeoutMs,
      });
      if (res.status !== 200) return { status: "unavailable" };
      return parseSlipStatus(res.body);
    } catch {
      return { status: "unavailable" };
    }
  }

  close(): void {
    this.http.close();
  }
}

/** Validates the answer at the edge: anything but the documented shape counts as no answer. */
export function parseSlipStatus(text: string): SlipCheckResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { status: "unavailable" };
  }
  if (!v || typeof v !== "object") return { status: "unavailable" };
  const o = v as Record<string, unknown>;
  if (o.status !== "open" && o.status !== "paid" && o.status !== "cancelled")
    return { status: "unavailable" };
  const out: PikSlipStatus = { status: o.status };
  if (o.total !== undefined && o.total !== null) {
    if (typeof o.total !== "number" || !Number.isSafeInteger(o.total) || o.total <= 0)
      return { status: "unavailable" };
    out.total = o.total;
  }
  if (typeof o.case === "string") out.case = o.case;
  return out;
}
