/**
 * The office's price list for basket mode. Entries are versioned by `validFrom`: on a given day
 * the newest entry of each code that has started (and not ended) is the one offered.
 */
import type { Label } from "./language.ts";

/** One entry of the office's price list (SPEC §3 `catalog`). */
export interface CatalogItem {
  code: string;
  label: Label;
  group?: Label;
  recipient: string;
  /** Fixed price in grosze; absent when `variable` is set. */
  price?: number;
  /** Visitor-entered amount bounds in grosze. */
  variable?: { min: number; max: number };
  /** `required`: the visitor must type a reference (e.g. a tax decision number); `optional`; absent: none. */
  reference?: "required" | "optional";
  /** A hint for the reference field, e.g. "numer decyzji". */
  referenceLabel?: Label;
  /** First day (YYYY-MM-DD, Europe/Warsaw) this entry is valid; the newest entry not after today wins. */
  validFrom: string;
  /** Last day it is offered, inclusive; absent means open-ended. */
  validTo?: string;
  /** Maximum quantity per basket (default 10). */
  maxQuantity?: number;
}

/** The services offered on `day` (`YYYY-MM-DD`), one per code, in configuration order. */
export function priceListFor(catalog: readonly CatalogItem[], day: string): CatalogItem[] {
  const current = new Map<string, CatalogItem>();
  for (const item of catalog) {
    if (item.validFrom > day) continue;
    const best = current.get(item.code);
    if (!best || item.validFrom > best.validFrom) current.set(item.code, item);
  }
  const order = [...new Set(catalog.map((i) => i.code))];
  return order
    .map((code) => current.get(code))
    .filter((i): i is CatalogItem => i !== undefined && (i.validTo === undefined || i.validTo >= day));
}
