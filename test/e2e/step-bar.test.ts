/**
 * The step bar (check, pay, receipt) never breaks a step's name inside a word: in large text on the
 * portrait panel, Ukrainian "Перевірка" stood as "Перевірк" over "а" (explore-visitor, 2026-12-07).
 * Each panel, large text and not, each language, on the basket screen (the bar's first step
 * current); on the 800×1280 panel in large text "Potwierdzenie" and «Квитанція» are wider than a
 * third of the bar and broke there until kioskpages (2026-12-07), and the bar may not run out of its
 * place to keep them whole.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { kioskPerFile, LANDSCAPE, PORTRAIT, setDisplay, waitForScreen } from "./helpers.ts";

/** Every word of a step's name that is laid out on more than one line. */
function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bar = document.querySelector("oplatomat-app")?.shadowRoot?.querySelector("step-bar")?.shadowRoot;
    const broken: string[] = [];
    for (const span of bar?.querySelectorAll("li > span") ?? []) {
      // The name's own text node (Lit puts a marker comment before it; the "step 1 of 3" is a span).
      const node = [...span.childNodes].find((child) => child instanceof Text && child.data.trim());
      if (!(node instanceof Text)) continue;
      const text = node.data;
      for (const match of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((box) => Math.round(box.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
    // Whole names must not be had by running out of the bar (into the countdown ring beside it).
    const list = bar?.querySelector("ol");
    const host = document.querySelector("oplatomat-app")?.shadowRoot?.querySelector("step-bar");
    const ring = document.querySelector("oplatomat-app")?.shadowRoot?.querySelector("countdown-ring");
    if (list && host) {
      const right = Math.max(...[...list.children].map((li) => li.getBoundingClientRect().right));
      if (right > host.getBoundingClientRect().right + 1)
        broken.push(
          `the bar runs out to x=${Math.round(right)} (its place ends at ${Math.round(host.getBoundingClientRect().right)})`,
        );
      if (ring && right > ring.getBoundingClientRect().left + 1)
        broken.push("the bar runs under the countdown");
    }
    return broken;
  });
}

describe("the step bar", () => {
  const kiosk = kioskPerFile({ name: "step-bar", idleTimeoutSeconds: 300 });

  it("keeps each step's name whole in every language, panel and text size", {
    timeout: 120_000,
  }, async () => {
    const page = kiosk.page;
    await page.getByRole("button", { name: "Wybierz usługę z listy" }).click();
    await waitForScreen(page, "basket");
    const found: string[] = [];
    for (const panel of [PORTRAIT, LANDSCAPE, { width: 800, height: 1280 }]) {
      await page.setViewportSize(panel);
      for (const largeText of [false, true]) {
        for (const lang of ["pl", "en", "uk"]) {
          await setDisplay(page, { lang, largeText });
          const broken = await brokenWords(page);
          if (broken.length)
            found.push(`${panel.width}×${panel.height} ${lang} large=${largeText}: ${broken}`);
        }
      }
    }
    await page.setViewportSize(PORTRAIT);
    expect(found).toEqual([]);
  });
});
