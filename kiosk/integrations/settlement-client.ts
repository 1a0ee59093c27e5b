/**
 * The settlement platform. Transactions, reversals and days reach it through the outbox (so this
 * client carries no send methods of its own for them); what is left is reading back what the
 * platform holds for a day, for the service screen's reconciliation.
 */
import type { IntegrationTarget } from "../config/types.ts";
import { createHttpClient, type HttpClient } from "./http-client.ts";

export interface SettlementDayTotals {
  date: string;
  count: number;
  total: number;
  perRecipient: Record<string, number>;
}

export class SettlementClient {
  private readonly http: HttpClient;

  constructor(target: IntegrationTarget, options: { http?: HttpClient } = {}) {
    this.http = options.http ?? createHttpClient(target);
  }

  /** The shared HTTP client, for the outbox worker's `settlement` destination. */
  get httpClient(): HttpClient {
    return this.http;
  }

  /** What the platform has booked for a kiosk's day; null when it does not answer clearly. */
  async dayTotals(office: string, kiosk: string, date: string): Promise<SettlementDayTotals | null> {
    try {
      const res = await this.http.request({
        method: "GET",
        path: `/totals/${encodeURIComponent(office)}/${encodeURIComponent(kiosk)}/${encodeURIComponent(date)}`,
      });
      if (res.status !== 200) return null;
      const v = JSON.parse(res.body) as Partial<SettlementDayTotals>;
      if (typeof v.count !== "number" || typeof v.total !== "number" || typeof v.perRecipient !== "object")
        return null;
      return { date, count: v.count, total: v.total, perRecipient: v.perRecipient ?? {} };
    } catch {
      return null;
    }
  }

  close(): void {
    this.http.close();
  }
}
