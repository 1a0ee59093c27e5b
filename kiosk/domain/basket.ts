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

/**
 * What an item's field breaks, for a screen to word in its own language (the cash desk says what to
 * change): `unknown` service, `required` but missing, `not_allowed` for this service, `format` of a
 * reference, or out of the `range` `min`–`max` (grosze for an amount, a count for a quantity).
 */
export type BasketRule = "unknown" | "required" | "not_allowed" | "format" | "range";

/** One refused field of item `index` (-1: the basket as a whole), as the API's 422 lists it in `errors`. */
export interface BasketProblem {
  index: number;
  field: string;
  message: string;
  rule: BasketRule;
  min?: number;
  max?: number;
}

export type BasketResult = { ok: true; lines: PaymentLine[] } | { ok: false; problems: BasketProblem[] };

export const MAX_BASKET_ITEMS = 20;
export const DEFAULT_MAX_QUANTITY = 10;
const REFERENCE = /^[\p{L}\p{N} /.,:()-]{1,40}$/u;

/** A refused field; `bounds` for a `range`. */
function refusal(
  index: number,
  field: string,
  message: string,
  rule: BasketRule,
  bounds: { min?: number; max?: number } = {},
): BasketProblem {
  return { index, field, message, rule, ...bounds };
}

export function buildBasket(
  items: readonly BasketRequestItem[],
  priceList: readonly CatalogItem[],
): BasketResult {
  const problems: BasketProblem[] = [];
  if (items.length === 0) problems.push(refusal(-1, "items", "the basket is empty", "required"));
  if (items.length > MAX_BASKET_ITEMS) {
    problems.push(
      refusal(-1, "items", `at most ${MAX_BASKET_ITEMS} items`, "range", { max: MAX_BASKET_ITEMS }),
    );
  }
  const byCode = new Map(priceList.map((i) => [i.code, i]));
  const lines: PaymentLine[] = [];
  items.forEach((req, index) => {
    const item = byCode.get(req.code);
    if (!item) {
      problems.push(refusal(index, "code", `no service ${req.code} is offered today`, "unknown"));
      return;
    }
    const added = itemLine(req, index, item, problems);
    if (added) lines.push(added);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, lines };
}

/** Item `index`'s line, or undefined with what it breaks pushed onto `problems`. */
function itemLine(
  req: BasketRequestItem,
  index: number,
  item: CatalogItem,
  problems: BasketProblem[],
): PaymentLine | undefined {
  const refuse = (field: string, message: string, rule: BasketRule, bounds = {}) =>
    problems.push(refusal(index, field, message, rule, bounds));
  const reference = req.reference?.trim() || undefined;
  if (item.reference === "required" && !reference)
    refuse("reference", "this service needs a reference", "required");
  if (reference !== undefined) {
    if (!item.reference) refuse("reference", "this service takes no reference", "not_allowed");
    else if (!REFERENCE.test(reference))
      refuse("reference", "1–40 letters, digits, spaces or / . , : ( ) -", "format");
  }
  if (item.variable) {
    const { min, max } = item.variable;
    if (req.quantity !== undefined && req.quantity !== 1)
      refuse("quantity", "a variable amount is paid once", "range", { min: 1, max: 1 });
    const amount = req.amount;
    if (amount === undefined || !Number.isSafeInteger(amount)) {
      refuse("amount", "an amount in grosze is required", "required");
      return undefined;
    }
    if (amount < min || amount > max) {
      refuse("amount", `the amount must be between ${min} and ${max} grosze`, "range", { min, max });
      return undefined;
    }
    return line(item, amount, 1, reference);
  }
  if (req.amount !== undefined) {
    refuse("amount", "this service has a fixed price", "not_allowed");
    return undefined;
  }
  const quantity = req.quantity ?? 1;
  const max = item.maxQuantity ?? DEFAULT_MAX_QUANTITY;
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > max) {
    refuse("quantity", `the quantity must be between 1 and ${max}`, "range", { min: 1, max });
    return undefined;
  }
  return line(item, (item.price ?? 0) * quantity, quantity, reference);
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
  const problems: BasketProblem[] = [];
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
      problems.push(
        refusal(index, "quantity", `at most ${max} of this service in one payment`, "range", { min: 1, max }),
      );
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
