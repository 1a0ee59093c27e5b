/**
 * End-of-day reconciliation: the kiosk's approved payments of the batch against what the terminal's
 * end-of-day (ZVT 06 50) reports. That report holds totals only — a count and a sum per card family
 * (BMP 60 single totals) and for the whole batch — never single transactions. So a difference can be
 * located to a card family and sized (how many payments, how much money), but the terminal's side of
 * it cannot be named: "the terminal holds 1 Visa payment of 50,00 zł the kiosk does not" is as far as
 * the proof goes. On the kiosk's side the payments of a family that differs are listed as candidates,
 * and one whose amount equals the difference exactly is pointed out.
 */

export interface Totals {
  count: number;
  /** Grosze. */
  total: number;
}

export interface KioskBatchPayment {
  id: string;
  /** Grosze. */
  total: number;
  /** The card brand the terminal reported for it (04 0F), if any. */
  brand: string | null;
  receiptNo: string | null;
}

export interface TerminalBatchTotals extends Totals {
  /** Per card family, when the terminal gives them. */
  perBrand?: Record<string, Totals>;
}

export interface Difference {
  /** `terminal_only`: the terminal holds payments the kiosk does not; `kiosk_only`: the other way round. */
  kind: "terminal_only" | "kiosk_only";
  /** The card family, or `all` when the terminal gave no per-family totals. */
  brand: string;
  count: number;
  total: number;
  /** Kiosk payments of that family (kiosk_only): the only ones the kiosk can name. */
  candidates: string[];
  /** A kiosk payment whose amount equals the difference exactly, when there is one. */
  likely: string | null;
}

export interface Reconciliation {
  matches: boolean;
  kiosk: Totals;
  terminal: Totals;
  /** Per card family, when the terminal gave them. */
  brands: Array<{ brand: string; kiosk: Totals; terminal: Totals }>;
  differences: Difference[];
  /** What the terminal's data can prove, for the reader of the report. */
  proof: "per_brand_totals" | "batch_totals";
}

/** The terminal's card family (ZVT single totals) a brand name from a 04 0F belongs to. */
export function cardFamily(brand: string | null): string {
  const b = (brand ?? "").toLowerCase();
  if (/girocard|^ec\b/.test(b)) return "girocard";
  if (b.includes("jcb")) return "JCB";
  if (/master|maestro|eurocard/.test(b)) return "Mastercard";
  if (/amex|american/.test(b)) return "Amex";
  if (b.includes("visa") || b.includes("v pay")) return "Visa";
  if (b.includes("diners")) return "Diners";
  return "other";
}

const sum = (ps: KioskBatchPayment[]): Totals => ({
  count: ps.length,
  total: ps.reduce((a, p) => a + p.total, 0),
});

function difference(brand: string, kioskSide: KioskBatchPayment[], terminal: Totals): Difference | null {
  const kiosk = sum(kioskSide);
  if (kiosk.count === terminal.count && kiosk.total === terminal.total) return null;
  const count = Math.abs(terminal.count - kiosk.count);
  const total = Math.abs(terminal.total - kiosk.total);
  const kind = terminal.total > kiosk.total || terminal.count > kiosk.count ? "terminal_only" : "kiosk_only";
  const candidates = kind === "kiosk_only" ? kioskSide.map((p) => p.id) : [];
  const exact = kind === "kiosk_only" ? kioskSide.filter((p) => p.total === total) : [];
  return {
    kind,
    brand,
    count,
    total,
    candidates,
    likely: exact.length === 1 ? (exact[0]?.id ?? null) : null,
  };
}

export function reconcile(kioskPayments: KioskBatchPayment[], terminal: TerminalBatchTotals): Reconciliation {
  const kiosk = sum(kioskPayments);
  const whole = { count: terminal.count, total: terminal.total };
  const perBrand = terminal.perBrand && Object.keys(terminal.perBrand).length > 0 ? terminal.perBrand : null;
  const brands: Reconciliation["brands"] = [];
  const differences: Difference[] = [];
  if (perBrand) {
    const names = new Set([...Object.keys(perBrand), ...kioskPayments.map((p) => cardFamily(p.brand))]);
    for (const brand of [...names].sort()) {
      const mine = kioskPayments.filter((p) => cardFamily(p.brand) === brand);
      const theirs = perBrand[brand] ?? { count: 0, total: 0 };
      brands.push({ brand, kiosk: sum(mine), terminal: theirs });
      const d = difference(brand, mine, theirs);
      if (d) differences.push(d);
    }
  } else {
    const d = difference("all", kioskPayments, whole);
    if (d) differences.push(d);
  }
  const totalsMatch = kiosk.count === whole.count && kiosk.total === whole.total;
  return {
    matches: totalsMatch && differences.length === 0,
    kiosk,
    terminal: whole,
    brands,
    differences,
    proof: perBrand ? "per_brand_totals" : "batch_totals",
  };
}
