/**
 * A basket of catalog services: quantities of fixed-price items, visitor-entered amounts of
 * variable ones (within their bounds) and references where the office requires them.
 */
import type { CatalogItem } from "./catalog.ts";
import type { PaymentLine } from "./lines.ts";

export interface BasketRequestItem {
  code: string;
  quantity?: number;
  amount?: number;
  reference?: string;
}

export type BasketResult =
  | { ok: true; lines: PaymentLine[] }
  | { ok: false; problems: Array<{ index: number; field: string; message: string }> };

export const MAX_BASKET_ITEMS = 20;
export const DEFAULT_MAX_QUANTITY = 10;
const REFERENCE = /^[\p{L}\p{N} /.,:()-]{1,40}$/u;

export function buildBasket(
  items: readonly BasketRequestItem[],
  priceList: readonly CatalogItem[],
): BasketResult {
  const problems: Array<{ index: number; field: string; message: string }> = [];
  if (items.length === 0) problems.push({ index: -1, field: "items", message: "the basket is empty" });
  if (items.length > MAX_BASKET_ITEMS) {
    problems.push({ index: -1, field: "items", message: `at most ${MAX_BASKET_ITEMS} items` });
  }
  const byCode = new Map(priceList.map((i) => [i.code, i]));
  const lines: PaymentLine[] = [];
  items.forEach((req, index) => {
    const item = byCode.get(req.code);
    if (!item) {
      problems.push({ index, field: "code", message: `no service ${req.code} is offered today` });
      return;
    }
    const reference = req.reference?.trim() || undefined;
    if (item.reference === "required" && !reference) {
      problems.push({ index, field: "reference", message: "this service needs a reference" });
    }
    if (reference !== undefined) {
      if (!item.reference)
        problems.push({ index, field: "reference", message: "this service takes no reference" });
      else if (!REFERENCE.test(reference)) {
        problems.push({
          index,
          field: "reference",
          message: "1–40 letters, digits, spaces or / . , : ( ) -",
        });
      }
    }
    if (item.variable) {
      if (req.quantity !== undefined && req.quantity !== 1) {
        problems.push({ index, field: "quantity", message: "a variable amount is paid once" });
      }
      const amount = req.amount;
      if (amount === undefined || !Number.isSafeInteger(amount)) {
        problems.push({ index, field: "amount", message: "an amount in grosze is required" });
        return;
      }
      if (amount < item.variable.min || amount > item.variable.max) {
        problems.push({
          index,
          field: "amount",
          message: `the amount must be between ${item.variable.min} and ${item.variable.max} grosze`,
        });
        return;
      }
      lines.push(line(item, amount, 1, reference));
      return;
    }
    if (req.amount !== undefined) {
      problems.push({ index, field: "amount", message: "this service has a fixed price" });
      return;
    }
    const quantity = req.quantity ?? 1;
    const max = item.maxQuantity ?? DEFAULT_MAX_QUANTITY;
    if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > max) {
      problems.push({ index, field: "quantity", message: `the quantity must be between 1 and ${max}` });
      return;
    }
    lines.push(line(item, (item.price ?? 0) * quantity, quantity, reference));
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, lines };
}

/**
 * The lines `held` with catalog services `items` added, the cash desk's basket growing item by item.
 * A fixed-price service already held at today's price with the same reference raises that line's
 * quantity, within its `maxQuantity` per basket: the kiosk's basket offers each service once with a
 * quantity, and two lines of one service would let the desk pass that limit. A typed amount (each is
 * a separate obligation, e.g. two tax decisions), another reference, or a line held at an earlier
 * price (a basket open across a price change) stays a line of its own. Slip lines are never merged.
 */
export function addToBasket(
  held: readonly PaymentLine[],
  items: readonly BasketRequestItem[],
  priceList: readonly CatalogItem[],
): BasketResult {
  const added = buildBasket(items, priceList);
  if (!added.ok) return added;
  const byCode = new Map(priceList.map((i) => [i.code, i]));
  const lines = [...held];
  const problems: Array<{ index: number; field: string; message: string }> = [];
  added.lines.forEach((next, index) => {
    const item = byCode.get(next.code);
    const same =
      item && !item.variable
        ? lines.findIndex(
            (l) =>
              l.slip === undefined &&
              !l.isFee &&
              l.code === next.code &&
              l.reference === next.reference &&
              l.unitAmount === next.unitAmount,
          )
        : -1;
    const current = lines[same];
    if (!item || !current) {
      lines.push(next);
      return;
    }
    const quantity = current.quantity + next.quantity;
    const max = item.maxQuantity ?? DEFAULT_MAX_QUANTITY;
    if (quantity > max) {
      problems.push({ index, field: "quantity", message: `at most ${max} of this service in one payment` });
      return;
    }
    lines[same] = { ...current, quantity, amount: current.unitAmount * quantity };
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, lines };
}

function line(
  item: CatalogItem,
  amount: number,
  quantity: number,
  reference: string | undefined,
): PaymentLine {
  const l: PaymentLine = {
    code: item.code,
    label: item.label,
    recipient: item.recipient,
    amount,
    quantity,
    unitAmount: quantity === 1 ? amount : (item.price ?? amount),
    isFee: false,
  };
  if (reference !== undefined) l.reference = reference;
  return l;
}
