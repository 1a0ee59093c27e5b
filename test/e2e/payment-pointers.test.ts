/**
 * Issue 18 finding 4: during the card payment the screen points at the card terminal where this kiosk
 * has it (`kiosk.layout.pinPad`), shows the amount large and keeps its wording while the terminal's
 * messages change; the paid screen has a success mark and says "Paid" (not "Total to pay"), points at
 * the printer, and its receipt preview leaves the actions and the toolbar on screen.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMoney } from "../../ui/src/format.ts";
import { messages } from "../../ui/src/i18n/index.ts";
import { layoutText } from "../../ui/src/i18n/layout-text.ts";
import {
  type DemoKiosk,
  type KioskBrowser,
  launchKioskBrowser,
  openKiosk,
  postJson,
  screenText,
  startDemoKiosk,
  waitForScreen,
  wedgeScan,
} from "./helpers.ts";

const NBSP = /\u00a0/g;

/** The centre of an element inside a screen, in page pixels. */
async function centre(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not shown`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

describe("pointers to the hardware, the amount while paying, and the paid screen", () => {
  let demo: DemoKiosk;
  let browser: KioskBrowser;

  beforeAll(async () => {
    // This kiosk's card terminal is to the right of the screen, its printer below on the right.
    demo = await startDemoKiosk({
      name: "pointers",
      idleTimeoutSeconds: 300,
      terminalDelayMs: 700,
      layout: { pinPad: "right", printer: "below-right" },
    });
    browser = await launchKioskBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it("points at the terminal and the printer where they are, amount large, wording stable, 'Paid' with a mark", {
    timeout: 90_000,
  }, async () => {
    await postJson(demo.url, "/api/session/cancel");
    const page = await openKiosk(browser, demo.url);
    const pl = messages("pl");
    const where = layoutText("pl");
    await wedgeScan(page, demo.issueSlip());
    await waitForScreen(page, "summary");
    await page.getByRole("button", { name: pl.summary.pay }).click();
    await waitForScreen(page, "authorizing");

    // The pointer names the place and sits on the terminal's side of the screen.
    const pointer = "authorizing-screen device-pointer[device=pinPad]";
    expect(await page.locator(pointer).getAttribute("place")).toBe("right");
    expect((await page.locator(`${pointer} [data-testid=pointer-pinPad]`).textContent())?.trim()).toBe(
      where.pinPad(where.place.right),
    );
    const arrow = await centre(page, `${pointer} svg`);
    expect(arrow.x).toBeGreaterThan(page.viewportSize()!.width / 2);

    // The amount is the largest thing on the screen: at least twice the body text.
    const sizes = await page.evaluate(() => {
      const screen = document.querySelector("oplatomat-app")?.shadowRoot?.querySelector("authorizing-screen");
      const amount = screen?.shadowRoot?.querySelector("[data-testid=amount-due]");
      return {
        amount: amount ? Number.parseFloat(getComputedStyle(amount).fontSize) : 0,
        body: Number.parseFloat(getComputedStyle(document.documentElement).fontSize),
      };
    });
    expect(sizes.amount).toBeGreaterThanOrEqual(2 * sizes.body);

    // While the terminal's messages change, the heading, the amount and the instructions stay put.
    const terminal = new Set<string>();
    const frames = new Set<string>();
    while ((await page.locator("oplatomat-app main").getAttribute("data-screen")) === "authorizing") {
      const message = await page
        .locator("authorizing-screen [data-testid=terminal-message]")
        .textContent()
        .catch(() => null);
      const frame = await page
        .evaluate(() => {
          const root = document
            .querySelector("oplatomat-app")
            ?.shadowRoot?.querySelector("authorizing-screen")?.shadowRoot;
          if (!root) return null;
          const words = [...root.querySelectorAll(".info > :not([data-testid=terminal-message])")];
          return words.map((el) => el.textContent?.replace(/\s+/g, " ").trim()).join(" | ");
        })
        .catch(() => null);
      if (message) terminal.add(message.trim());
      if (frame) frames.add(frame);
      await page.waitForTimeout(100);
    }
    expect(terminal.size).toBeGreaterThan(1);
    expect([...frames]).toHaveLength(1);

    // Paid: a mark, "Paid" with the amount, never "Total to pay"; the printer pointed at.
    await waitForScreen(page, "approved");
    await page.locator("approved-screen button.primary").waitFor();
    const session = (await (await fetch(new URL("/api/session", demo.url))).json()) as { total: number };
    expect(await page.locator("approved-screen [data-testid=success-mark]").count()).toBe(1);
    const text = await screenText(page);
    expect(text).toContain(`${where.paid} : ${formatMoney(session.total, "pl").replace(NBSP, " ")}`);
    expect(text).not.toContain(pl.summary.total);
    const printer = "approved-screen device-pointer[device=printer]";
    expect(await page.locator(printer).getAttribute("place")).toBe("below-right");
    expect(text).toContain(where.printer(where.place["below-right"]));

    // The receipt preview fits: the Finish button and the whole toolbar stay on screen.
    await page.waitForFunction(() => {
      const img = document
        .querySelector("oplatomat-app")
        ?.shadowRoot?.querySelector("approved-screen")
        ?.shadowRoot?.querySelector("img");
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    });
    const height = page.viewportSize()!.height;
    const finish = await page.locator("approved-screen button.primary").boundingBox();
    const toolbar = await page.locator("oplatomat-app footer").boundingBox();
    expect(finish!.y + finish!.height).toBeLessThanOrEqual(height);
    expect(toolbar!.y + toolbar!.height).toBeLessThanOrEqual(height + 1);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(height);
  });
});
