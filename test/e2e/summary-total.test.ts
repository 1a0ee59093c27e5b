/**
 * The summary's total, as a visitor paying several slips meets it (explore-visitor, 2026-12-07): when
 * the list of fees is longer than a page, the total was the table's last row and so on its last page
 * only, and page 1 offered "Pay by card" with no amount in sight. Now it stands beside the actions on
 * every page, in each panel, text size and language, and says the session's total to the grosz. A
 * summary without controls on its rows is reading, and starts under its heading, not below the reach
 * line (that line is for controls; it left the portrait panel's upper part empty while the rows paged).
 * On the 800×1280 panel in large text the toolbar took four rows (465 of 1280 px): no fee was in sight
 * and the toolbar lay over Pay by card.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatMoney } from "../../ui/src/format.ts";
import { getJson, kioskPerFile, PORTRAIT, postJson, setDisplay, waitForScreen } from "./helpers.ts";

const PANELS = [PORTRAIT, { width: 800, height: 1280 }];
const LANGS = ["pl", "en", "uk"] as const;
const NBSP = /\u00a0/g;

interface TotalView {
  inRegion: boolean;
  inWindow: boolean;
  /** Whether the toolbar (fixed at the panel's foot) lies over the total. */
  underToolbar: boolean;
  /** Whether the toolbar lies over the Pay button (the one every visitor must reach). */
  payUnderToolbar: boolean;
  /** Whether the list is longer than its page. */
  pages: boolean;
  listTop: number;
  /** Rows of the list (fees, slip headings) of which at least a line of text is on the list's page. */
  rowsInSight: number;
}

function totalView(page: Page): Promise<TotalView> {
  return page.evaluate(() => {
    const app = document.querySelector("oplatomat-app")?.shadowRoot;
    const root = app?.querySelector("summary-screen")?.shadowRoot;
    const total = root?.querySelector<HTMLElement>("[data-testid=total]");
    const region = root?.querySelector("paged-region");
    const viewport = region?.shadowRoot?.querySelector<HTMLElement>(".viewport");
    const toolbar = app?.querySelector("kiosk-toolbar");
    if (!total || !region || !viewport || !toolbar) throw new Error("summary, list or toolbar missing");
    const pay = root?.querySelector<HTMLElement>(".actions button.primary");
    if (!pay) throw new Error("no Pay button");
    const bar = toolbar.getBoundingClientRect();
    const under = (r: DOMRect) => bar.height > 0 && r.bottom > bar.top && r.top < bar.bottom;
    const t = total.getBoundingClientRect();
    const page = viewport.getBoundingClientRect();
    const line = Number.parseFloat(getComputedStyle(document.documentElement).fontSize);
    const rowsInSight = [...region.querySelectorAll("tbody tr")].filter((row) => {
      const r = row.getBoundingClientRect();
      return Math.min(r.bottom, page.bottom) - Math.max(r.top, page.top) >= line;
    }).length;
    return {
      inRegion: total.closest("paged-region") !== null,
      inWindow: t.height > 0 && t.top >= 0 && t.bottom <= window.innerHeight,
      underToolbar: under(t),
      payUnderToolbar: under(pay.getBoundingClientRect()),
      pages: viewport.scrollHeight > viewport.clientHeight + 1,
      listTop: region.getBoundingClientRect().top,
      rowsInSight,
    };
  });
}

describe("the summary's total", () => {
  const kiosk = kioskPerFile({ name: "summary-total", idleTimeoutSeconds: 600 });

  it("is in sight beside the actions with the session's total, the fees and Pay by card in sight too", {
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
          await setDisplay(page, { lang, largeText });
          const where = `${panel.width}×${panel.height} ${lang} large=${largeText}`;
          const total = page.locator("summary-screen [data-testid=total]");
          await expect
            .poll(async () => (await total.textContent())?.replace(NBSP, " "))
            .toBe(formatMoney(session.total, lang).replace(NBSP, " "));
          const shown = await totalView(page);
          if (shown.pages) paged += 1;
          if (shown.inRegion) found.push(`${where}: the total is in the paged list`);
          if (!shown.inWindow) found.push(`${where}: the total is outside the window`);
          if (shown.underToolbar) found.push(`${where}: the toolbar covers the total`);
          if (shown.payUnderToolbar) found.push(`${where}: the toolbar covers Pay by card`);
          if (shown.rowsInSight === 0) found.push(`${where}: no fee or slip of the list is in sight`);
          if (shown.pages && shown.listTop > panel.height * 0.4)
            found.push(
              `${where}: the paged list starts at y=${Math.round(shown.listTop)}, below the reach line`,
            );
        }
      }
    }
    await page.setViewportSize(PORTRAIT);
    expect(paged, "the list pages in some way (else this test proves nothing)").toBeGreaterThan(0);
    expect(found).toEqual([]);
  });
});
