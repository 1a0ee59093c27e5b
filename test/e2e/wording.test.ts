/**
 * Issue 18, finding 12: wording slips on the visitor's screens. The English keypad's decimal key is a
 * point, a reference's keypad says what to type once ("Numer decyzji – …", not "Numer: numer
 * decyzji"), no F2 hint is shown to the public (a kiosk keypad has no F2).
 */
import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { formatMoney } from "../../ui/src/format.ts";
import { messages } from "../../ui/src/i18n/index.ts";
import { kioskPerFile, waitForScreen } from "./helpers.ts";

describe("wording on the visitor's screens", () => {
  const kiosk = kioskPerFile({ name: "wording", idleTimeoutSeconds: 120, terminalDelayMs: 50 });
  let page: Page;
  beforeEach(() => {
    ({ page } = kiosk);
  });

  async function basketIn(lang: "pl" | "en"): Promise<void> {
    await page.locator(`kiosk-toolbar button[data-lang=${lang}]`).click();
    await page.getByRole("button", { name: messages(lang).welcome.chooseService }).click();
    await waitForScreen(page, "basket");
  }

  it("the English amount keypad has a decimal point, and it works", async () => {
    await basketIn("en");
    await page.locator("basket-screen li[data-item=TAX_DOG] button[data-edit=amount]").click();
    const keys = page.locator("basket-screen keypad-dialog .keys button");
    await keys.first().waitFor();
    const labels = await keys.allTextContents();
    expect(labels.map((l) => l.trim())).toContain(".");
    expect(labels.map((l) => l.trim())).not.toContain(",");
    for (const key of ["1", "2", ".", "3", "4"]) {
      await page.locator("basket-screen keypad-dialog .keys").getByText(key, { exact: true }).click();
    }
    await page.getByRole("button", { name: messages("en").keypad.ok }).click();
    expect(await page.locator("basket-screen [data-testid=amount-TAX_DOG]").textContent()).toBe(
      formatMoney(1234, "en"),
    );
  });

  it("the Polish keypad keeps the decimal comma", async () => {
    await basketIn("pl");
    await page.locator("basket-screen li[data-item=TAX_DOG] button[data-edit=amount]").click();
    // The dialog opens on the screen's next render: read its keys once they are there, not before.
    const keys = page.locator("basket-screen keypad-dialog .keys button");
    await keys.first().waitFor();
    const labels = (await keys.allTextContents()).map((l) => l.trim());
    expect(labels).toContain(",");
  });

  it("a reference's keypad names it once", async () => {
    await basketIn("pl");
    await page.locator("basket-screen li[data-item=TAX_LOCAL] button[data-edit=amount]").click();
    await page.keyboard.type("100", { delay: 30 });
    await page.keyboard.press("Enter");
    await page.locator("basket-screen li[data-item=TAX_LOCAL] button[data-edit=reference]").click();
    const title = (await page.locator("basket-screen keypad-dialog #keypad-title").textContent())?.trim();
    expect(title).toBe("Numer decyzji – Podatek od nieruchomości");
  });

  it.each(["pl", "en", "uk"] as const)("shows no F2 hint to the public (%s)", async (lang) => {
    await page.locator(`kiosk-toolbar button[data-lang=${lang}]`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    const visible = await page.evaluate(() => {
      const parts: string[] = [];
      const walk = (node: Node) => {
        if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? "");
        if (!(node instanceof Element) || node.localName === "style") return;
        for (const child of (node.shadowRoot ?? node).childNodes) walk(child);
      };
      walk(document.body);
      return parts.join(" ");
    });
    expect(visible).not.toMatch(/F2/);
  });
});
