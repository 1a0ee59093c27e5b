/**
 * Issue 18 findings 1 and 6 in real Chromium against the whole kiosk: a blind visitor pays with the
 * keypad alone and never looks at the screen — audio mode started by the keypad's audio key (*) or by
 * headphones in the jack, every step found by listening — in Polish, English and Ukrainian; and the
 * keypad is practical: arrows in the keypad grid and in lists, a letter in a few presses, focus on the
 * main action and never lost to the page.
 *
 * What the visitor hears is what the daemon was asked to synthesise (its in-memory spoken log): the
 * catalogue's sentences, with amounts in words. The test reads nothing off the screen for the payment.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SimKioskIo } from "../../devices/gpio/sim.ts";
import { amountInWords, numberInWords } from "../../kiosk/domain/amount-words.ts";
import type { SpokenEntry } from "../../kiosk/speech/spoken-log.ts";
import { messages } from "../../ui/src/i18n/index.ts";
import { SPOKEN_WORDS } from "../../ui/src/i18n/spoken-words.ts";
import {
  type DemoKiosk,
  focusedText,
  type KioskBrowser,
  launchKioskBrowser,
  openKiosk,
  postJson,
  startDemoKiosk,
  waitForScreen,
  wedgeScan,
  keypadFocused,
} from "./helpers.ts";

type Lang = "pl" | "en" | "uk";

const EXTRACT: Record<Lang, string> = {
  pl: "Wypis z rejestru gruntów",
  en: "Land register extract",
  uk: "Виписка з земельного реєстру",
};
const FEE: Record<Lang, string> = {
  pl: "Opłata za obsługę płatności",
  en: "Payment handling fee",
  uk: "Плата за обслуговування платежу",
};

describe("audio mode and keypad use (issue 18 findings 1 and 6)", () => {
  let demo: DemoKiosk;
  let browser: KioskBrowser;
  let page: Page;

  beforeAll(async () => {
    demo = await startDemoKiosk({ name: "audio", idleTimeoutSeconds: 300, terminalDelayMs: 300 });
    browser = await launchKioskBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  beforeEach(async () => {
    await postJson(demo.url, "/api/session/cancel");
    jack().setHeadphones(false);
    page = await openKiosk(browser, demo.url);
    log().clear();
  });

  const log = () => demo.demo.daemon.spokenLog;
  const jack = () => demo.demo.daemon.kiosk.devices.gpio as SimKioskIo;

  /** Waits until a sentence after `from` matches; returns it. */
  async function hear(pattern: RegExp, from = 0, timeout = 15_000): Promise<SpokenEntry> {
    const until = Date.now() + timeout;
    for (;;) {
      const found = log()
        .list()
        .slice(from)
        .find((e) => pattern.test(e.text));
      if (found) return found;
      if (Date.now() > until) {
        const said = log()
          .list()
          .slice(from)
          .map((e) => `${e.id}: ${e.text}`);
        throw new Error(`never heard ${pattern}; heard:\n${said.join("\n")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The focus sentence said after pressing `key`, or null when focus did not move (an edge). */
  async function press(key: string): Promise<string | null> {
    // Whatever the last key set off (a changed quantity said again) is said before this one.
    await page.waitForTimeout(200);
    const from = log().list().length;
    await page.keyboard.press(key);
    try {
      await hear(/./, from, 1500);
    } catch {
      return null;
    }
    await page.waitForTimeout(150);
    const after = log().list().slice(from);
    return (after.filter((e) => e.id === "focus").at(-1) ?? after.at(-1))?.text ?? null;
  }

  /** Presses each key in turn until the control heard matches: how a visitor who cannot see searches. */
  async function seek(keys: string[], pattern: RegExp, max = 20): Promise<string> {
    const heard: string[] = [];
    for (const key of keys) {
      for (let i = 0; i < max; i++) {
        const said = await press(key);
        heard.push(`${key}: ${said}`);
        if (said === null) break;
        if (pattern.test(said)) return said;
      }
    }
    throw new Error(`${pattern} not found with ${keys.join(", ")}; heard:\n${heard.join("\n")}`);
  }

  /** The control heard when the screen's main action got focus. */
  async function mainAction(from: number): Promise<string> {
    return (await hear(/\S, (button|przycisk|кнопка)\.$/, from)).text;
  }

  it.each(["pl", "en", "uk"] as const)(
    "pays by keypad alone with the screen unseen, every step spoken (%s)",
    {
      timeout: 120_000,
    },
    async (lang) => {
      const t = messages(lang);
      const w = SPOKEN_WORDS[lang];
      const money = (grosze: number) => amountInWords(grosze, lang);
      // Polish by headphones (private listening), the others by the keypad's audio key.
      if (lang === "pl") jack().setHeadphones(true);
      else await page.keyboard.press("NumpadMultiply");
      await hear(new RegExp(`^${SPOKEN_WORDS.pl.audioOn.slice(0, 12)}`));
      await hear(new RegExp(messages("pl").welcome.title));
      await hear(new RegExp(`^${messages("pl").welcome.chooseService}, przycisk\\.$`));

      if (lang !== "pl") {
        // The language buttons are below; their names are said in the current language.
        const wanted = new RegExp(`^${SPOKEN_WORDS.pl.languages[lang]},`);
        const first = await seek(["ArrowDown", "ArrowLeft", "ArrowRight"], /^(polski|angielski|ukraiński),/);
        if (!wanted.test(first)) await seek(["ArrowRight", "ArrowLeft"], wanted);
        const from = log().list().length;
        await page.keyboard.press("Enter");
        await hear(new RegExp(`^${t.welcome.title}`), from);
        await seek(["ArrowUp"], new RegExp(`^${t.welcome.chooseService}, ${w.button}\\.$`));
      }
      let from = log().list().length;
      await page.keyboard.press("Enter");
      await hear(new RegExp(`^${t.basket.title}\\. `), from);
      // Focus starts on Continue, and it says the total.
      expect(await mainAction(from)).toBe(
        `${t.basket.continue}, ${t.basket.total}: ${money(0)}, ${w.button}.`,
      );

      const add = new RegExp(`^${literal(t.basket.increase(EXTRACT[lang]))}, ${w.price}: ${money(4000)}`);
      await seek(["ArrowUp", "ArrowRight", "ArrowLeft"], add, 30);
      from = log().list().length;
      await page.keyboard.press("Enter");
      await hear(new RegExp(`${w.quantity}: ${numberInWords(1, lang)}, ${w.button}\\.$`), from);
      from = log().list().length;
      await page.keyboard.press("Enter");
      await hear(new RegExp(`${w.quantity}: ${numberInWords(2, lang)}, ${w.button}\\.$`), from);

      const total = 2 * 4000 + 200;
      // Down to the row of actions, then along it to Continue.
      await seek(["ArrowDown"], new RegExp(`^(${t.basket.continue}|${t.basket.back}),`));
      const next = await seek(["ArrowLeft", "ArrowRight"], new RegExp(`^${t.basket.continue},`));
      expect(next).toBe(`${t.basket.continue}, ${t.basket.total}: ${money(total)}, ${w.button}.`);
      from = log().list().length;
      await page.keyboard.press("Enter");

      // The summary, read out: the line with its quantity, the handling fee, the total, in words.
      const summary = (await hear(new RegExp(`^${t.summary.title}\\.`), from)).text;
      expect(summary).toContain(
        `${w.line(1, 1)}: ${EXTRACT[lang]}, ${w.quantity}: ${numberInWords(2, lang)}, ${money(8000)}.`,
      );
      expect(summary).toContain(`${FEE[lang]}: ${money(200)}.`);
      expect(summary).toContain(money(total));
      expect(await mainAction(from)).toBe(`${t.summary.pay}, ${w.button}.`);
      // The fee lines can be stepped through with the arrows.
      await seek(["ArrowUp"], new RegExp(`^${literal(FEE[lang])}: ${money(200)}\\.$`));
      await seek(["ArrowUp"], new RegExp(`${w.line(1, 1)}: ${EXTRACT[lang]}, ${w.quantity}`));
      await seek(["ArrowDown"], new RegExp(`^(${t.summary.pay}|${t.summary.cancel}), `));
      await seek(["ArrowLeft", "ArrowRight"], new RegExp(`^${t.summary.pay}, `));
      from = log().list().length;
      await page.keyboard.press("Enter");

      // The card payment: the amount in words, then each of the terminal's prompts in turn.
      await hear(new RegExp(`^${t.authorizing.title}\\. ${t.authorizing.amount}: ${money(total)}\\.`), from);
      await hear(/./, from); // at least the first prompt follows
      const prompts = log()
        .list()
        .slice(from)
        .filter((e) => e.id === "terminal");
      await expect
        .poll(
          () =>
            log()
              .list()
              .slice(from)
              .filter((e) => e.id === "terminal").length,
        )
        .toBeGreaterThan(0);
      expect(prompts.every((e) => e.language === lang)).toBe(true);
      await hear(new RegExp(`^${t.approved.title}\\. ${literal(t.approved.take)}`), from, 30_000);
      const finish = new RegExp(`^${t.approved.finish}, ${w.button}\\.$`);
      await hear(finish, from);

      // Never an amount read as characters ("162,50 zł", "PLN 162.50"), never a digit of an amount.
      const said = log().list();
      expect(said.filter((e) => /\d[,.]\d\d|zł(\s|$)|PLN/.test(e.text)).map((e) => e.text)).toEqual([]);
      expect(said.filter((e) => e.language !== lang && e.language !== "pl")).toEqual([]);

      await waitForScreen(page, "approved");
      if (lang === "pl") {
        // Headphones out: what they said is not continued on the loudspeaker.
        jack().setHeadphones(false);
        await page.waitForTimeout(300);
        const count = log().list().length;
        await page.keyboard.press("Tab");
        await page.waitForTimeout(800);
        expect(log().list().length).toBe(count);
        await page.keyboard.press("Shift+Tab");
      }
      await page.keyboard.press("Enter");
      await waitForScreen(page, "welcome");
    },
  );

  it("a '*' inside a scan never starts audio mode; the keypad's own '*' still does (risk 3a)", async () => {
    // A reader in keypad-emulation mode sends the keypad's code for '*', exactly as the audio key;
    // what tells them apart is that a reader's keys come in a burst, as wedgeScan types them.
    const scanWithStars = (payload: string) => wedgeScan(page, payload, { keypadStars: true });
    await scanWithStars("*OPL1|E2E*NOT*A*SLIP");
    await waitForScreen(page, "error");
    await page.keyboard.press("Escape");
    await waitForScreen(page, "welcome");
    await scanWithStars("OPL1|E2E*AGAIN*");
    await waitForScreen(page, "error");
    // Speech is still off: the toolbar's switch says so.
    expect(await page.locator("kiosk-toolbar button[data-setting=speech]").getAttribute("aria-pressed")).toBe(
      "false",
    );
    // Then a person's '*': audio mode starts, and this is the first and only time it did.
    const from = log().list().length;
    await page.keyboard.press("NumpadMultiply");
    await hear(new RegExp(`^${SPOKEN_WORDS.pl.audioOn.slice(0, 12)}`), from);
    expect(
      log()
        .list()
        .filter((e) => e.id === "audioOn").length,
    ).toBe(1);
  });

  it("says 'approved, printing' once while the receipt prints, then 'take your receipt' (explore-visitor)", async () => {
    // Approved and printing are two states of the session with one sentence: said for each, the
    // second cut the first off mid-word and the visitor heard it start over.
    await page.keyboard.press("NumpadMultiply");
    await hear(new RegExp(`^${SPOKEN_WORDS.pl.audioOn.slice(0, 12)}`));
    const from = log().list().length;
    expect((await postJson(demo.url, "/api/scan", { payload: demo.issueSlip() })).status).toBe(200);
    await waitForScreen(page, "summary");
    expect((await postJson(demo.url, "/api/session/pay")).status).toBe(202);
    const t = messages("pl");
    await hear(new RegExp(`^${t.approved.title}\\. ${literal(t.approved.take)}`), from, 30_000);
    const said = log()
      .list()
      .slice(from)
      .map((e) => e.id);
    expect(said.filter((id) => id === "approved.printing")).toEqual(["approved.printing"]);
    await page.keyboard.press("Enter");
    await waitForScreen(page, "welcome");
  });

  it("says the keys typed on the keypad and the amount in the field in words, never a PIN", async () => {
    // The audio key counts once it stood alone for 250 ms (ui/src/audio-key.ts): wait to hear audio
    // mode start, or keys typed within that window make the '*' look like part of a scanner's burst.
    await page.keyboard.press("NumpadMultiply");
    await hear(new RegExp(`^${SPOKEN_WORDS.pl.audioOn.slice(0, 12)}`));
    await page.getByRole("button", { name: "Wybierz usługę z listy" }).click();
    await waitForScreen(page, "basket");
    await page
      .locator("basket-screen li[data-item=TAX_DOG]")
      .getByRole("button", { name: "Wpisz kwotę" })
      .click();
    const from = log().list().length;
    for (const key of ["1", "2", "Comma", "5"]) await page.keyboard.press(key);
    // Wait for the last key typed: each key's speech reaches the daemon on its own request, so having
    // heard the comma says nothing of the 5 (CI on an idle machine checked before the 5 arrived).
    await hear(/^5$/, from);
    expect(
      log()
        .list()
        .slice(from)
        .filter((e) => e.id === "key")
        .map((e) => e.text),
    ).toEqual(["1", "2", "przecinek", "5"]);
    // Down to the grid and back up to the field: the amount typed so far, in words.
    await press("ArrowDown");
    const field = await seek(["ArrowUp"], /^wpisano: /);
    expect(field).toBe("wpisano: dwanaście złotych pięćdziesiąt groszy.");
  });

  it("moves with arrows in the keypad grid: one Tab stop, rows and columns, a letter in a few presses", async () => {
    await page.getByRole("button", { name: "Wybierz usługę z listy" }).click();
    await waitForScreen(page, "basket");
    const dog = page.locator("basket-screen li[data-item=TAX_DOG]");
    await dog.getByRole("button", { name: "Wpisz kwotę" }).click();
    await page.keyboard.press("Tab");
    expect(await focusedText(page)).toBe("1");
    await page.keyboard.press("ArrowRight");
    expect(await focusedText(page)).toBe("2");
    await page.keyboard.press("ArrowDown");
    expect(await focusedText(page)).toBe("5");
    await page.keyboard.press("ArrowLeft");
    expect(await focusedText(page)).toBe("4");
    await page.keyboard.press("ArrowUp");
    expect(await focusedText(page)).toBe("1");
    // The keypad's digits and Clear work with a key of the grid focused, too.
    for (const key of ["3", "0", "Backspace", "5"]) await page.keyboard.press(key);
    expect(await page.locator("keypad-dialog input").inputValue()).toBe("35");
    // Tab leaves the grid in one press (it is one Tab stop), to Confirm.
    await page.keyboard.press("Tab");
    expect(await focusedText(page)).toBe("Zatwierdź");
    await page.keyboard.press("Enter");

    await dog.getByRole("button", { name: "Wpisz numer" }).click();
    const presses = await reachKey(page, "K");
    expect(presses).toBeLessThanOrEqual(6);
  });

  it("moves with arrows along lists: the basket's items, the language buttons, the summary's fee lines", async () => {
    await page.getByRole("button", { name: "Wybierz usługę z listy" }).click();
    await waitForScreen(page, "basket");
    await page.getByRole("button", { name: "Dodaj: Wydruk mapy zasadniczej (A4)" }).focus();
    const itemOfFocus = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.closest("[data-item]")?.getAttribute("data-item") ?? null;
      });
    expect(await itemOfFocus()).toBe("GEO_MAP");
    await page.keyboard.press("ArrowDown");
    expect(await itemOfFocus()).toBe("GEO_EGIB");
    await page.keyboard.press("ArrowDown");
    expect(await itemOfFocus()).toBe("ZAS_SKARB");
    await page.keyboard.press("ArrowUp");
    expect(await itemOfFocus()).toBe("GEO_EGIB");
    await page.keyboard.press("Enter");

    await page.locator("kiosk-toolbar button[data-lang=pl]").focus();
    await page.keyboard.press("ArrowRight");
    expect(await focusedText(page)).toBe("English");
    await page.keyboard.press("ArrowRight");
    expect(await focusedText(page)).toBe("Українська");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    expect(await focusedText(page)).toBe("Polski");

    await page.getByRole("button", { name: "Dalej" }).click();
    await waitForScreen(page, "summary");
    // Focus starts on the main action; Up steps through the fee lines.
    await expect.poll(() => focusedText(page)).toBe("Zapłać kartą");
    const lineOfFocus = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.closest("tr[data-code]")?.getAttribute("data-code") ?? null;
      });
    const seen: Array<string | null> = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press("ArrowUp");
      seen.push(await lineOfFocus());
    }
    expect(seen).toContain("FEE");
    expect(seen).toContain("GEO_EGIB");
  });

  it("starts on each screen's main action and never loses focus to the page", async () => {
    await expect.poll(() => focusedText(page)).toBe("Wybierz usługę z listy");
    await page.keyboard.press("Enter");
    await waitForScreen(page, "basket");
    // The list arrives after the screen: focus must not be left on the page meanwhile.
    await page.locator("basket-screen li[data-item=GEO_EGIB]").waitFor();
    await page.waitForTimeout(400);
    expect(await focusedText(page)).toBe("Dalej");
    await page.getByRole("button", { name: "Dodaj: Wypis z rejestru gruntów" }).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowLeft");
    expect(await focusedText(page)).toBe("Odejmij: Wypis z rejestru gruntów");
    // Back to zero: this button turns off under the visitor's finger.
    await page.keyboard.press("Enter");
    await page.waitForTimeout(400);
    expect(await focusedText(page)).not.toBe("");
    const onPage = await page.evaluate(() => document.activeElement === document.body);
    expect(onPage).toBe(false);
  });
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Presses Tab once from the keypad's field into the grid, then the arrow towards `key` until it has
 * focus; returns the number of presses (a visitor knows the grid's layout from the tactile keypad).
 */
async function reachKey(page: Page, key: string): Promise<number> {
  // A Tab pressed before the dialog has the focus starts from the button that opened it.
  await keypadFocused(page);
  await page.keyboard.press("Tab");
  let presses = 1;
  for (; presses < 40; presses++) {
    const step = await page.evaluate((wanted) => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      const grid = el?.closest(".keys");
      const target = grid?.querySelector(`[data-key="${wanted}"]`) ?? null;
      if (!el || !target) return "lost";
      if (el === target) return "done";
      const a = el.getBoundingClientRect();
      const b = target.getBoundingClientRect();
      if (b.top >= a.bottom) return "ArrowDown";
      if (b.bottom <= a.top) return "ArrowUp";
      return b.left >= a.right ? "ArrowRight" : "ArrowLeft";
    }, key);
    if (step === "done") return presses;
    if (step === "lost") throw new Error("focus left the keypad grid");
    await page.keyboard.press(step);
  }
  throw new Error(`${key} not reached`);
}
