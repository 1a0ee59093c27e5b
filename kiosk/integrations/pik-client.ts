/**
 * The office system (PiK, "Pojazd"/"Kierowca"). Payments reach it through the outbox; this client
 * only asks, before a payment, whether a slip is still open and unchanged (SPEC §1, §6). Any failure
 * to get a clear answer within the deadline is `unavailable`, and `slips.offlinePolicy` decides.
 */
import type { PikSlipStatus } from "../../contracts/office-system.ts";
import type { IntegrationTarget } from "../config/types.ts";
import { createHttpClient, type HttpClient } from "./http-client.ts";

/**
 * The office system's answer (SPEC §6), or none usable, with why for the operator's log and the
 * refusal's audit: a wrong token (401) or URL (404) reads as an outage to the visitor, but staff must
 * be able to tell them apart from one.
 */
export type SlipCheckResult = PikSlipStatus | { status: "unavailable"; reason: string };

/** Why an HTTP status other than 200 is no answer, in the operator's words. */
function statusReason(status: number): string {
  const said = `the office system answered ${status}`;
  if (status === 401 || status === 403)
    return `${said}: check integrations.pik's token or client certificate`;
  if (status === 404) return `${said}: it does not know the slip, or integrations.pik.url is wrong`;
  return said;
}

const unavailable = (reason: string): SlipCheckResult => ({ status: "unavailable", reason });

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
      if (res.status !== 200) return unavailable(statusReason(res.status));
      return parseSlipStatus(res.body);
    } catch (e) {
      const message = e instanceof Error ? (e.message.split("\n")[0] ?? "") : String(e);
      return unavailable(`the office system could not be asked: ${message.slice(0, 200)}`);
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
    return unavailable("the office system's answer is not JSON");
  }
  if (!v || typeof v !== "object") return unavailable("the office system's answer is not an object");
  const o = v as Record<string, unknown>;
  if (o.status !== "open" && o.status !== "paid" && o.status !== "cancelled")
    return unavailable("the office system's answer has no status open, paid or cancelled");
  const out: PikSlipStatus = { status: o.status };
  if (o.total !== undefined && o.total !== null) {
    if (typeof o.total !== "number" || !Number.isSafeInteger(o.total) || o.total <= 0)
      return unavailable("the office system's answer has a total that is not whole grosze above 0");
    out.total = o.total;
  }
  if (typeof o.case === "string") out.case = o.case;
  return out;
}
