/**
 * Lists that page, as a visitor meets them (explore-visitor, 2026-12-07; kioskpages):
 * - a page ends at its last whole row: no row of the next page is shown cut by the page's edge (the
 *   fee row was half visible on the summary, half a − / + pair in the basket);
 * - a summary of slips (no control on its rows) starts under its heading instead of below the reach
 *   line, which left the upper 40 % of the portrait panel empty while its rows paged;
 * - the total is beside the actions, always in sight, not on the list's last page;
 * - a control focused on a later page brings that page up.
 * Each panel, default and large text, each language.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatMoney } from "../../ui/src/format.ts";
import { getJson, kioskPerFile, PORTRAIT, postJson, waitForScreen } from "./helpers.ts";

const PANELS = [PORTRAIT, { width: 800, height: 1280 }];
const LANGS = ["pl", "en", "uk"] as const;

async function view(page: Page, lang: string, largeText: boolean): Promise<void> {
  await page.evaluate(
    async ({ lang, largeText }) => {
      const app = document.querySelector("oplatomat-app") as unknown as HTMLElement & {
        lang: string;
        largeText: boolean;
        updateComplete: Promise<unknown>;
      };
      app.lang = lang;
      app.largeText = largeText;
      await app.updateComplete;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    },
    { lang, largeText },
  );
  // The paged region measures itself after layout, then scrolls to its page after rendering.
  await page.waitForTimeout(150);
}

interface PageView {
  pages: number;
  /** The region's top, in pixels from the top of the window. */
  top: number;
  /** Rows (or list items) shown in part: some of it on the page, some not. */
  cut: string[];
  /** Rows shown whole. */
  whole: number;
}

/** What the paged region of the screen shows now: which of its units are cut by the page's edge. */
function pageView(page: Page, screen: string): Promise<PageView> {
  return page.evaluate((screen) => {
    const root = document.querySelector("oplatomat-app")?.shadowRoot?.querySelector(screen)?.shadowRoot;
    const region = root?.querySelector("paged-region");
    const viewport = region?.shadowRoot?.querySelector<HTMLElement>(".viewport");
    if (!region || !viewport) throw new Error(`no paged region on ${screen}`);
    const box = viewport.getBoundingClientRect();
    // What the page shows: the viewport, less what its clip-path hides at the foot.
    const clip = /inset\(\s*0px\s+0px\s+([\d.]+)px/.exec(getComputedStyle(viewport).clipPath);
    const bottom = box.bottom - (clip ? Number(clip[1]) : 0);
    const cut: string[] = [];
    let whole = 0;
    for (const unit of region.querySelectorAll("tr, li")) {
      const u = unit.getBoundingClientRect();
      const shown = Math.min(u.bottom, bottom) - Math.max(u.top, box.top);
      // Sub-pixel edges aside (a page starts at a whole pixel; a row's border may lose part of one).
      if (shown <= 1.5) continue;
      if (shown < u.height - 1.5)
        cut.push(
          `${(unit.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 40)} (${Math.round(shown)} of ${Math.round(u.height)} px)`,
        );
      else whole += 1;
    }
    const where = region.shadowRoot?.querySelector(".where")?.textContent ?? "";
    const pages = Number(/(\d+)\D*$/.exec(where.trim())?.[1] ?? 1);
    return { pages, top: region.getBoundingClientRect().top, cut, whole };
  }, screen);
}

async function nextPage(page: Page, screen: string): Promise<void> {
  await page.locator(`${screen} paged-region button[data-page=next]`).click();
  await page.waitForTimeout(100);
}

describe("paged lists", () => {
  const kiosk = kioskPerFile({ name: "paged-lists", idleTimeoutSeconds: 600 });

  it("pages the summary of two slips at whole rows, from under its heading, with the total always in sight", {
    timeout: 180_000,
  }, async () => {
    const { page, demo } = kiosk;
    expect((await postJson(demo.url, "/api/scan", { payload: demo.issueSlip() })).status).toBe(200);
    const second = demo.issueSlip([{ code: "PJ", amount: 10000 }], "KIE/45/2026");
    expect((await postJson(demo.url, "/api/session/slips", { payload: second })).status).toBe(200);
    await waitForScreen(page, "summary");
    await page.locator("summary-screen tr[data-code=PJ]").waitFor({ state: "attached" });
    const session = await getJson<{ total: number }>(demo.url, "/api/session");
    const found: string[] = [];
    let paged = 0;
    for (const panel of PANELS) {
      await page.setViewportSize(panel);
      for (const largeText of [false, true]) {
        for (const lang of LANGS) {
          await view(page, lang, largeText);
          const where = `${panel.width}×${panel.height} ${lang} large=${largeText}`;
          const first = await pageView(page, "summary-screen");
          if (first.pages > 1) paged += 1;
          // The table is reading: when it pages it starts in the panel's upper 40 %, under the heading.
          if (first.pages > 1 && first.top > panel.height * 0.4)
            found.push(`${where}: the paged list starts at y=${Math.round(first.top)}, below the reach line`);
          // The total, beside the actions on every page, in the words and figures of the session.
          const total = page.locator("summary-screen [data-testid=total]");
          const shown = await total.evaluate((el) => {
            const box = el.getBoundingClientRect();
            const inRegion = el.closest("paged-region") !== null;
            return { inRegion, visible: box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0 };
          });
          if (shown.inRegion || !shown.visible) found.push(`${where}: the total is not in sight on page 1`);
          expect((await total.textContent())?.replace(/\u00a0/g, " ")).toBe(
            formatMoney(session.total, lang).replace(/\u00a0/g, " "),
          );
          // Every page, first to last: no row cut by the page's edge, and at least one whole row.
          for (let n = 1; n <= first.pages; n += 1) {
            const now = n === 1 ? first : await pageView(page, "summary-screen");
            if (now.cut.length) found.push(`${where} page ${n}: cut ${JSON.stringify(now.cut)}`);
            // Left (docs/benchmarks.md): on the 800×1280 panel in large text the heading, the hint,
            // the total and two rows of actions leave the list no room beside the toolbar.
            if (now.whole === 0 && !(panel.width === 800 && largeText))
              found.push(`${where} page ${n}: no whole row`);
            if (n < first.pages) await nextPage(page, "summary-screen");
          }
          // Back to page 1 for the next way.
          for (let n = 1; n < first.pages; n += 1)
            await page.locator("summary-screen paged-region button[data-page=previous]").click();
        }
      }
    }
    await page.setViewportSize(PORTRAIT);
    expect(paged, "the summary pages in some way (else this test proves nothing)").toBeGreaterThan(0);
    expect(found).toEqual([]);
  });

  it("pages the basket at whole items, and a control focused on a later page brings its page up", {
    timeout: 120_000,
  }, async () => {
    const page = kiosk.page;
    await page.getByRole("button", { name: "Wybierz usługę z listy" }).click();
    await waitForScreen(page, "basket");
    const found: string[] = [];
    let paged = 0;
    for (const panel of PANELS) {
      await page.setViewportSize(panel);
      for (const largeText of [false, true]) {
        for (const lang of LANGS) {
          await view(page, lang, largeText);
          const where = `${panel.width}×${panel.height} ${lang} large=${largeText}`;
          const first = await pageView(page, "basket-screen");
          if (first.pages > 1) paged += 1;
          for (let n = 1; n <= first.pages; n += 1) {
            const now = n === 1 ? first : await pageView(page, "basket-screen");
            if (now.cut.length) found.push(`${where} page ${n}: cut ${JSON.stringify(now.cut)}`);
            if (n < first.pages) await nextPage(page, "basket-screen");
          }
          for (let n = 1; n < first.pages; n += 1)
            await page.locator("basket-screen paged-region button[data-page=previous]").click();
        }
      }
    }
    expect(paged, "the basket pages in some way (else this test proves nothing)").toBeGreaterThan(0);
    expect(found).toEqual([]);

    // Large text on the portrait panel pages the basket: focus on the last item's first button.
    await page.setViewportSize(PORTRAIT);
    await view(page, "pl", true);
    const last = page.locator("basket-screen li[data-item]").last().locator("button").first();
    await last.focus();
    await page.waitForTimeout(150);
    const after = await pageView(page, "basket-screen");
    expect(after.cut).toEqual([]);
    const focused = await last.evaluate((el) => {
      const b = el.getBoundingClientRect();
      return { top: b.top, bottom: b.bottom };
    });
    const region = await page.locator("basket-screen paged-region").evaluate((el) => {
      const viewport = el.shadowRoot?.querySelector<HTMLElement>(".viewport");
      const box = viewport?.getBoundingClientRect();
      const clip = /inset\(\s*0px\s+0px\s+([\d.]+)px/.exec(
        viewport ? getComputedStyle(viewport).clipPath : "",
      );
      return { top: box?.top ?? 0, bottom: (box?.bottom ?? 0) - (clip ? Number(clip[1]) : 0) };
    });
    expect(focused.top).toBeGreaterThanOrEqual(region.top - 1);
    expect(focused.bottom).toBeLessThanOrEqual(region.bottom + 1);
    await view(page, "pl", false);
  });
});
