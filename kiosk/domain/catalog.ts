/**
 * The office's price list for basket mode. Entries are versioned by `validFrom`: on a given day
 * the newest entry of each code that has started (and not ended) is the one offered.
 */
import type { CatalogItem } from "../config/types.ts";

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
