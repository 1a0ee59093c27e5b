/**
 * The cash desk's basket growing item by item (domain/basket.ts addToBasket): the same fixed-price
 * service again is one line of a higher quantity, its amount the price times the quantity to the
 * grosz, within the service's maxQuantity per basket; typed amounts, other references, slip lines and
 * lines held at an earlier price stay lines of their own.
 */
import { describe, expect, it } from "vitest";
import { addToBasket, type BasketResult, buildBasket } from "../../../kiosk/domain/basket.ts";
import type { CatalogItem } from "../../../kiosk/domain/catalog.ts";
import { type PaymentLine, totalOf } from "../../../kiosk/domain/lines.ts";

const priceList: CatalogItem[] = [
  { code: "MAP", label: { pl: "Mapa" }, recipient: "GEO", price: 5000, validFrom: "2025-01-01" },
  {
    code: "STAMP",
    label: { pl: "Zaświadczenie" },
    recipient: "GMINA",
    price: 1700,
    maxQuantity: 5,
    reference: "optional",
    validFrom: "2025-01-01",
  },
  {
    code: "TAX",
    label: { pl: "Podatek" },
    recipient: "GMINA",
    variable: { min: 100, max: 1_000_000 },
    reference: "optional",
    validFrom: "2025-01-01",
  },
];

function lines(result: BasketResult): PaymentLine[] {
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.lines;
}

const shape = (ls: readonly PaymentLine[]) =>
  ls.map((l) => ({ code: l.code, quantity: l.quantity, amount: l.amount, unit: l.unitAmount }));

describe("adding services to a held basket", () => {
  it("raises the quantity of the same fixed-price service instead of adding a line", () => {
    const held = lines(buildBasket([{ code: "MAP" }], priceList));
    const once = lines(addToBasket(held, [{ code: "MAP" }], priceList));
    expect(shape(once)).toEqual([{ code: "MAP", quantity: 2, amount: 10_000, unit: 5000 }]);
    const more = lines(addToBasket(once, [{ code: "MAP", quantity: 3 }], priceList));
    expect(shape(more)).toEqual([{ code: "MAP", quantity: 5, amount: 25_000, unit: 5000 }]);
    // The same line as one asked for at once, so the receipt, the splits and the total cannot differ.
    expect(more).toEqual(lines(buildBasket([{ code: "MAP", quantity: 5 }], priceList)));
    expect(held).toHaveLength(1);
    expect(held[0]?.quantity).toBe(1);
  });

  it("merges in place, before slip lines and other services, and merges within one request", () => {
    const slipLine: PaymentLine = {
      code: "MAP",
      label: { pl: "Mapa ze blankietu" },
      recipient: "GEO",
      amount: 5000,
      quantity: 1,
      unitAmount: 5000,
      isFee: false,
      slip: "S/1",
    };
    const held = [slipLine, ...lines(buildBasket([{ code: "MAP" }, { code: "STAMP" }], priceList))];
    const added = lines(
      addToBasket(held, [{ code: "STAMP" }, { code: "MAP" }, { code: "STAMP" }], priceList),
    );
    expect(added.map((l) => [l.code, l.slip ?? null, l.quantity, l.amount])).toEqual([
      ["MAP", "S/1", 1, 5000],
      ["MAP", null, 2, 10_000],
      ["STAMP", null, 3, 5100],
    ]);
    expect(totalOf(added)).toBe(5000 + 10_000 + 5100);
  });

  it("keeps typed amounts, other references and a line held at an earlier price as lines of their own", () => {
    const held = lines(
      buildBasket(
        [
          { code: "TAX", amount: 12_345, reference: "DEC/1" },
          { code: "STAMP", reference: "A/1" },
        ],
        priceList,
      ),
    );
    const added = lines(
      addToBasket(
        held,
        [
          { code: "TAX", amount: 12_345, reference: "DEC/1" },
          { code: "STAMP", reference: "A/2" },
          { code: "STAMP", reference: "A/1" },
        ],
        priceList,
      ),
    );
    expect(added.map((l) => [l.code, l.reference, l.quantity, l.amount])).toEqual([
      ["TAX", "DEC/1", 1, 12_345],
      ["STAMP", "A/1", 2, 3400],
      ["TAX", "DEC/1", 1, 12_345],
      ["STAMP", "A/2", 1, 1700],
    ]);
    const earlier: PaymentLine = {
      ...lines(buildBasket([{ code: "MAP" }], priceList))[0]!,
      amount: 4500,
      unitAmount: 4500,
    };
    expect(shape(lines(addToBasket([earlier], [{ code: "MAP" }], priceList)))).toEqual([
      { code: "MAP", quantity: 1, amount: 4500, unit: 4500 },
      { code: "MAP", quantity: 1, amount: 5000, unit: 5000 },
    ]);
  });

  it("refuses a quantity over the service's maximum per basket, counting what is held", () => {
    const held = lines(buildBasket([{ code: "STAMP", quantity: 4 }], priceList));
    const over = addToBasket(held, [{ code: "STAMP", quantity: 2 }], priceList);
    expect(over).toEqual({
      ok: false,
      problems: [
        {
          index: 0,
          field: "quantity",
          message: "at most 5 of this service in one payment",
          rule: "range",
          min: 1,
          max: 5,
        },
      ],
    });
    expect(shape(lines(addToBasket(held, [{ code: "STAMP" }], priceList)))).toEqual([
      { code: "STAMP", quantity: 5, amount: 8500, unit: 1700 },
    ]);
  });

  it("names each refused field's rule and bounds, for a screen to word", () => {
    const refused = buildBasket(
      [
        { code: "NOPE" },
        { code: "TAX", amount: 50, reference: "DEC 1;" },
        { code: "MAP", amount: 1 },
        { code: "STAMP", quantity: 6 },
        { code: "TAX" },
      ],
      [...priceList, { ...priceList[2]!, code: "DUE", reference: "required" }],
    );
    expect(refused.ok ? [] : refused.problems.map(({ message, ...rest }) => rest)).toEqual([
      { index: 0, field: "code", rule: "unknown" },
      { index: 1, field: "reference", rule: "format" },
      { index: 1, field: "amount", rule: "range", min: 100, max: 1_000_000 },
      { index: 2, field: "amount", rule: "not_allowed" },
      { index: 3, field: "quantity", rule: "range", min: 1, max: 5 },
      { index: 4, field: "amount", rule: "required" },
    ]);
    const due = buildBasket(
      [
        { code: "DUE", amount: 100 },
        { code: "MAP", reference: "X" },
      ],
      [...priceList, { ...priceList[2]!, code: "DUE", reference: "required" }],
    );
    expect(due.ok ? [] : due.problems.map(({ message, ...rest }) => rest)).toEqual([
      { index: 0, field: "reference", rule: "required" },
      { index: 1, field: "reference", rule: "not_allowed" },
    ]);
  });

  it("refuses what a new basket refuses", () => {
    expect(addToBasket([], [{ code: "NOPE" }], priceList).ok).toBe(false);
    expect(addToBasket([], [{ code: "MAP", amount: 1 }], priceList).ok).toBe(false);
  });
});
