/**
 * Issue 18, finding 5: the summary is a "Check answers" page. It shows how many of each service and the
 * numbers the visitor typed, and each service line has a Change action that goes back to that line
 * with the basket as it was (slips added meanwhile kept), instead of Cancel, which empties it.
 */
import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { formatMoney } from "../../ui/src/format.ts";
import { messages } from "../../ui/src/i18n/index.ts";
import {
  type DemoKiosk,
  kioskPerFile,
  focusedText,
  getJson,
  screenText,
  waitForScreen,
  wedgeScan,
} from "./helpers.ts";

const pl = messages("pl");

interface SessionJson {
  id: string;
  state: string;
  slips: Array<{ id: string }>;
  lines: Array<{ code: string; quantity: number; amount: number; reference: string | null }>;
}

describe("check answers before paying", () => {
  const kiosk = kioskPerFile({ name: "check-answers", idleTimeoutSeconds: 120, terminalDelayMs: 50 });
  let demo: DemoKiosk;
  let page: Page;
  beforeEach(() => {
    ({ demo, page } = kiosk);
  });

  /** Two land register extracts and a property tax with its decision number, through the screen. */
  async function chooseBasket(): Promise<void> {
    await page.getByRole("button", { name: pl.welcome.chooseService }).click();
    await waitForScreen(page, "basket");
    const egib = page.locator("basket-screen li[data-item=GEO_EGIB] button[data-increase]");
    await egib.click();
    await egib.click();
    const tax = page.locator("basket-screen li[data-item=TAX_LOCAL]");
    await tax.locator("button[data-edit=amount]").click();
    await page.keyboard.type("123,45", { delay: 40 });
    await page.keyboard.press("Enter");
    await tax.locator("button[data-edit=reference]").click();
    await page.keyboard.type("GN.3120.7.2026", { delay: 30 });
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: pl.basket.continue }).click();
    await waitForScreen(page, "summary");
  }

  function row(code: string) {
    return page.locator(`summary-screen tr[data-code=${code}]`);
  }

  it("shows quantities and typed numbers, and changes one line without emptying the basket", async () => {
    await chooseBasket();
    const egib = (await row("GEO_EGIB").textContent())?.replace(/\s+/g, " ") ?? "";
    expect(egib).toContain(
      `${pl.summary.quantity}: ${`2 × ${formatMoney(4000, "pl")}`}`.replace(/\u00a0/g, " "),
    );
    const tax = (await row("TAX_LOCAL").textContent())?.replace(/\s+/g, " ") ?? "";
    expect(tax).toContain("Numer decyzji: GN.3120.7.2026");
    const first = await getJson<SessionJson>(demo.url, "/api/session");

    // Change, then Back: the same summary, untouched.
    await row("GEO_EGIB")
      .getByRole("button", { name: pl.summary.changeItem("Wypis z rejestru gruntów") })
      .click();
    await waitForScreen(page, "basket");
    await page.getByRole("button", { name: pl.basket.back }).click();
    await waitForScreen(page, "summary");
    expect((await getJson<SessionJson>(demo.url, "/api/session")).id).toBe(first.id);

    // Change: the basket as it was, the focus on the line to change.
    await row("GEO_EGIB")
      .getByRole("button", { name: pl.summary.changeItem("Wypis z rejestru gruntów") })
      .click();
    await waitForScreen(page, "basket");
    await expect.poll(() => page.locator("basket-screen [data-testid=qty-GEO_EGIB]").textContent()).toBe("2");
    expect(
      (await page.locator("basket-screen [data-testid=reference-TAX_LOCAL]").textContent())?.trim(),
    ).toBe("GN.3120.7.2026");
    await expect.poll(() => focusedText(page)).toMatch(/Wypis z rejestru gruntów/);
    await page.locator("basket-screen li[data-item=GEO_EGIB] button[data-increase]").click();
    await page.getByRole("button", { name: pl.basket.continue }).click();
    await waitForScreen(page, "summary");
    const changed = await getJson<SessionJson>(demo.url, "/api/session");
    expect(changed.lines.find((l) => l.code === "GEO_EGIB")).toMatchObject({ quantity: 3, amount: 12000 });
    expect(changed.lines.find((l) => l.code === "TAX_LOCAL")).toMatchObject({
      amount: 12345,
      reference: "GN.3120.7.2026",
    });
    expect(await screenText(page)).toContain(pl.summary.title);
  });

  it("keeps a slip scanned onto the summary when a service line is changed", async () => {
    await chooseBasket();
    await wedgeScan(page, demo.issueSlip([{ code: "DR", amount: 5400 }]));
    await expect
      .poll(async () => (await getJson<SessionJson>(demo.url, "/api/session")).slips.length)
      .toBe(1);
    // A slip's lines are the office's: nothing to change there.
    expect(await page.locator("summary-screen tr[data-code=DR] button").count()).toBe(0);
    await row("TAX_LOCAL")
      .getByRole("button", { name: pl.summary.changeItem("Podatek od nieruchomości") })
      .click();
    await waitForScreen(page, "basket");
    await page.locator("basket-screen li[data-item=TAX_LOCAL] button[data-edit=amount]").click();
    await page.keyboard.press("Control+a");
    for (let i = 0; i < 8; i += 1) await page.keyboard.press("Backspace");
    await page.keyboard.type("200", { delay: 40 });
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: pl.basket.continue }).click();
    await waitForScreen(page, "summary");
    await expect
      .poll(
        async () =>
          (await getJson<SessionJson>(demo.url, "/api/session")).lines.find((l) => l.code === "TAX_LOCAL")
            ?.amount,
      )
      .toBe(20000);
    const session = await getJson<SessionJson>(demo.url, "/api/session");
    expect(session.slips).toHaveLength(1);
    expect(session.lines.map((l) => l.code).sort()).toEqual(["DR", "GEO_EGIB", "TAX_LOCAL"]);
  });
});
