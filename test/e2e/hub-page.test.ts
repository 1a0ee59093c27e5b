/**
 * The hub's back-office page in real Chromium against the real hub on a real PostgreSQL server: the
 * day's transactions arrive through the real HTTP ingest, a person signs in and works with the
 * keyboard alone — totals to the grosz, downloads, the statement upload, the fleet, both languages —
 * and axe finds nothing. A wrong password shows an error and changes nothing.
 */
import fs from "node:fs";
import path from "node:path";
import type { FileChooser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../hub/main.ts";
import {
  type HubHarness,
  ledgerSnapshot,
  NRB,
  post,
  STAFF_PASSWORD,
  startHubHarness,
  startInProcessHub,
  TOKENS,
  transaction,
} from "../helpers/hub-harness.ts";
import {
  expectNoAxeViolations,
  type KioskBrowser,
  LANDSCAPE,
  launchKioskBrowser,
  screenshot,
} from "./helpers.ts";

const DAY = "2026-11-25";
let h: HubHarness;
let hub: Hub;
let url: string;
let browser: KioskBrowser;
let page: Page;
const cspErrors: string[] = [];

// With the card handling fee as a split of its own (component FEE, SPEC §7's code), to POWIAT so the
// per-recipient totals and payouts stay those of a two-split payment.
const t1 = transaction({
  kiosk: "K01",
  paidAt: `${DAY}T09:30:00Z`,
  total: 16_000,
  splits: [
    { recipient: "POWIAT", nrb: NRB.POWIAT, component: "DR", amount: 14_000 },
    { recipient: "POWIAT", nrb: NRB.POWIAT, component: "FEE", amount: 300 },
    { recipient: "GMINA", nrb: NRB.GMINA, component: "OS", amount: 1_700 },
  ],
});
const t2 = transaction({
  // A cash desk's payment: the page names its cashier, as the CSV and the PDF do (SPEC §10).
  kiosk: "D01",
  cashier: "ANNA",
  paidAt: `${DAY}T10:15:00Z`,
  total: 123_456,
  slip: "S/2026/000124",
  case: "KIE/45/2026",
  slips: [{ slip: "S/2026/000124", case: "KIE/45/2026", total: 123_456 }],
  card: {
    brand: "MASTERCARD",
    maskedPan: "************5678",
    authCode: "654321",
    terminalId: "T0000002",
    traceNumber: "000077",
  },
});
const t3 = transaction({ kiosk: "K01", paidAt: `${DAY}T11:00:00Z`, total: 5_000, case: "KOM/999/2026" });

async function seed(): Promise<void> {
  expect((await post(`${url}/transactions`, t1, { token: TOKENS.K01 })).status).toBe(201);
  expect((await post(`${url}/transactions`, t2, { token: TOKENS.D01 })).status).toBe(201);
  expect((await post(`${url}/transactions`, t3, { token: TOKENS.K01 })).status).toBe(201);
  const reversal = {
    transactionId: t3.transactionId,
    office: "PZ1465",
    kiosk: "K01",
    total: 5_000,
    currency: "PLN",
    reversedAt: `${DAY}T11:01:00Z`,
    reason: "terminal reversal",
  };
  expect(
    (
      await post(`${url}/transactions/${encodeURIComponent(t3.transactionId)}/reversal`, reversal, {
        token: TOKENS.K01,
      })
    ).status,
  ).toBe(201);
  const day = {
    office: "PZ1465",
    kiosk: "K01",
    date: DAY,
    count: 1,
    total: 16_000,
    terminalTotals: { count: 1, total: 16_000, closedAt: `${DAY}T17:00:00Z` },
  };
  expect((await post(`${url}/days`, day, { token: TOKENS.K01 })).status).toBe(201);
  const beat = {
    office: "PZ1465",
    kiosk: "K01",
    version: "0.1.0",
    sentAt: new Date().toISOString(),
    uptimeSeconds: 3600,
    outOfOrder: false,
    devices: [
      { name: "terminal", kind: "terminal", state: "idle", lastError: null, statistics: {} },
      { name: "printer", kind: "printer", state: "offline", lastError: null, statistics: {} },
    ],
    outbox: [{ destination: "settlement", pending: 3, failed: 0, oldestAgeSeconds: 40 }],
    lastPaymentAt: `${DAY}T11:00:00Z`,
  };
  expect((await post(`${url}/fleet/heartbeat`, beat, { token: TOKENS.K01 })).status).toBe(204);
}

/**
 * The payout account's statement for the demo day's settlement, written for this test: the acquirer's
 * credit (matches), the POWIAT payout one grosz short (different), no GMINA payout (missing), interest
 * (extra). Balances add up: 10 000,00 + 1 394,56 − 1 360,55 + 5,00 = 10 039,01.
 */
const STATEMENT = [
  ":20:ST/2026/11/30",
  ":25:/PL10109010140000000146519999",
  ":28C:00043/1",
  ":60F:C261125PLN10000,00",
  ":61:2611261126C1394,56NTRFNONREF//ACQ1",
  ":86:ROZLICZENIE TERMINALI 2026-11-25",
  ":61:2611261126D1360,55NTRFNONREF",
  ":86:PZ1465/20261125/002 POWIAT",
  ":61:2611261126C5,00NTRFNONREF",
  ":86:ODSETKI",
  ":62F:C261130PLN10039,01",
].join("\r\n");

function statementFile(name: string, content: string): string {
  const file = path.join(h.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Visible text with every kind of space as one space (amounts use no-break spaces). */
async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? "")
    .replace(/[\s\u00a0\u202f]+/g, " ")
    .trim();
}

/** The rows of the table with this caption, each as its cells' texts. */
async function rows(page: Page, caption: string): Promise<string[][]> {
  return page.evaluate((wanted) => {
    const table = [...document.querySelectorAll("table")].find((t) =>
      t.caption?.textContent?.startsWith(wanted),
    );
    if (!table) throw new Error(`no table "${wanted}"`);
    return [...table.tBodies[0]!.rows].map((r) =>
      [...r.cells].map((c) => (c.textContent ?? "").replace(/[\s\u00a0\u202f]+/g, " ").trim()),
    );
  }, caption);
}

async function focused(page: Page): Promise<{ id: string; text: string; outline: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const style = el ? getComputedStyle(el) : null;
    return {
      id: el?.id ?? "",
      text: (el?.textContent ?? "").replace(/\s+/g, " ").trim(),
      outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : "",
    };
  });
}

/** Tab until the focused element has this id or text, as a keyboard user does. */
async function tabTo(page: Page, target: { id?: string; text?: string }, maxTabs = 60): Promise<void> {
  for (let i = 0; i < maxTabs; i += 1) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if ((target.id && now.id === target.id) || (target.text && now.text === target.text)) {
      // Keyboard focus is visible: a solid outline at least 2 px wide.
      expect(now.outline).toMatch(/^solid [2-9]/);
      return;
    }
  }
  throw new Error(`nothing focusable matching ${JSON.stringify(target)} within ${maxTabs} Tabs`);
}

async function signIn(page: Page, login: string, password: string): Promise<void> {
  await tabTo(page, { id: "login" });
  await page.keyboard.type(login);
  await page.keyboard.press("Tab");
  expect((await focused(page)).id).toBe("password");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
}

async function download(page: Page, label: string): Promise<{ name: string; body: string }> {
  await tabTo(page, { text: label });
  const [file] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  const saved = await file.path();
  return { name: file.suggestedFilename(), body: fs.readFileSync(saved, "utf8") };
}

beforeAll(async () => {
  h = await startHubHarness({ name: "hubpage" });
  ({ hub, url } = await startInProcessHub(h));
  await seed();
  browser = await launchKioskBrowser(LANDSCAPE);
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.close();
  await h?.stop();
});

describe("the back-office page", () => {
  it("loads and signs in with nothing failed and no error on the console", async () => {
    // A page of its own, before any sign-in: what a finance clerk's browser sees on opening the
    // hub. Chromium logs every failed resource load (a 401 included) as a console error, so the
    // sign-in probe used to put one there at every load of a healthy page.
    const fresh = await browser.context.newPage();
    const errors: string[] = [];
    const failed: string[] = [];
    fresh.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    fresh.on("pageerror", (e) => errors.push(String(e)));
    fresh.on("response", (r) => {
      if (r.status() >= 400)
        failed.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    try {
      await fresh.goto(`${url}/`);
      await fresh.locator("#login").waitFor();
      await fresh.locator("#login").fill("anna");
      await fresh.locator("#password").fill(STAFF_PASSWORD);
      await fresh.locator("#password").press("Enter");
      await fresh.locator("[data-view=day]").waitFor();
      await fresh.locator("[data-summary=count], [data-view=day] [role=alert] p").first().waitFor();
      // Long enough for anything the browser asks after the page's own requests (an icon).
      await fresh.waitForTimeout(1000);
      expect({ errors, failed }).toEqual({ errors: [], failed: [] });
      // Sign out again: the rest of this file starts from the login form.
      await fresh.locator("#logout").click();
      await fresh.locator("#login").waitFor();
      expect(errors).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it("is served under a strict CSP, in Polish first, with a login form axe finds nothing wrong with", async () => {
    const response = await page.goto(`${url}/`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    await page.locator("#login").waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("pl");
    expect(await text(page, "h1")).toBe("Logowanie do rozliczeń");
    await expectNoAxeViolations(page, "login (pl)");
  });

  it("refuses a wrong password with an error and changes nothing", async () => {
    const before = await ledgerSnapshot(h.dbUrl);
    await signIn(page, "anna", "not-the-password");
    await expect.poll(() => text(page, "#login-error")).toBe("Nieprawidłowy login lub hasło.");
    expect((await focused(page)).id).toBe("password");
    expect(await page.locator("#password").inputValue()).toBe("");
    expect(await page.locator("[data-view=day]").count()).toBe(0);
    expect((await browser.context.cookies()).map((c) => c.name)).not.toContain("hub_session");
    expect(await ledgerSnapshot(h.dbUrl)).toEqual(before);
    await expectNoAxeViolations(page, "login refused (pl)");
  });

  it("signs in with the keyboard and shows the day's settlement to the grosz", async () => {
    await page.locator("#login").fill("");
    await signIn(page, "anna", STAFF_PASSWORD);
    await page.locator("[data-view=day]").waitFor();
    expect(await text(page, ".who")).toContain("Anna Finanse");
    // A past day: type it into the date field (a native control), then Tab to the button and Enter.
    await page.locator("#day-date").fill(DAY);
    await tabTo(page, { text: "Pokaż" });
    await page.keyboard.press("Enter");
    await expect.poll(() => text(page, "#report-heading")).toContain("25 listopada 2026");

    expect(await text(page, "[data-summary=total]")).toBe("1 394,56 zł");
    expect(await text(page, "[data-summary=count]")).toBe("2");
    expect(await text(page, "[data-summary=closed]")).toBe("nie — czekamy na zamknięcie dnia: D01");
    expect(await rows(page, "Według odbiorców")).toEqual([
      ["Urząd Miasta – opłata skarbowa", "GMINA", "68 1240 9990 0000 0000 1465 2002", "2", "34,00 zł"],
      ["Starostwo – dochody", "POWIAT", "12 1020 9992 0000 0000 1465 1001", "2", "1 360,56 zł"],
    ]);
    // The ledger holds component codes only; the handling fee's code has a name of its own.
    expect(await rows(page, "Według składników")).toEqual([
      ["DR", "2", "1 357,56 zł"],
      ["Opłata za obsługę płatności kartą (FEE)", "1", "3,00 zł"],
      ["OS", "2", "34,00 zł"],
    ]);
    // Each device with its kind, as the hub's configuration gives it.
    expect(await rows(page, "Według urządzeń")).toEqual([
      ["D01", "kasa", "1", "1 234,56 zł"],
      ["K01", "kiosk", "1", "160,00 zł"],
    ]);
    const transactions = await rows(page, "Wszystkie transakcje");
    expect(transactions).toHaveLength(3);
    // The slips' column is named as the kiosk, the desk and the receipt name them: blankiety.
    const headers = await page
      .locator("table:has(caption:text-is('Wszystkie transakcje')) thead th")
      .allTextContents();
    expect(headers).toEqual([
      "Godzina",
      "Transakcja",
      "Urządzenie",
      "Kasjer",
      "Sprawa",
      "Blankiety",
      "Karta",
      "Kwota",
      "Status",
    ]);
    const byId = new Map(transactions.map((r) => [r[1], r]));
    expect(byId.get(t1.transactionId)).toEqual([
      "10:30:00",
      t1.transactionId,
      "K01",
      "",
      "KOM/123/2026",
      "S/2026/000123",
      "VISA ************1234",
      "160,00 zł",
      "zatwierdzona",
    ]);
    expect(byId.get(t2.transactionId)?.slice(2, 8)).toEqual([
      "D01",
      "ANNA",
      "KIE/45/2026",
      "S/2026/000124",
      "MASTERCARD ************5678",
      "1 234,56 zł",
    ]);
    expect(byId.get(t3.transactionId)?.[8]).toBe("STORNO (zwrot 50,00 zł)");
    expect(await page.locator("tr.reversed").count()).toBe(1);
    const reconciliation = await rows(page, "Uzgodnienie z terminalami");
    expect(reconciliation.find((r) => r[0] === "D01")?.[4]).toBe("brak zamknięcia dnia");
    await screenshot(page, "hub-day-pl");
    await expectNoAxeViolations(page, "day settlement (pl)");
  });

  it("downloads the CSV report and the Elixir-O payouts of that day", async () => {
    const csv = await download(page, "Zestawienie CSV");
    expect(csv.name).toMatch(/\.csv$/);
    const lines = csv.body.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^transaction_id,paid_at,/);
    for (const tx of [t1, t2, t3]) expect(csv.body).toContain(tx.transactionId);
    expect(csv.body).toContain("1217.56");
    // The status column, then the cashier (empty for a kiosk) since 7c8e855.
    expect(lines.filter((l) => /,reversed,[^,]*$/.test(l))).toHaveLength(2);

    const elixir = await download(page, "Przelewy Elixir-O");
    const transfers = elixir.body.trim().split(/\r?\n/);
    expect(transfers).toHaveLength(2);
    for (const line of transfers) expect(line.startsWith("110,")).toBe(true);
    expect(transfers.find((l) => l.includes(NRB.POWIAT))).toContain(",136056,");
    expect(transfers.find((l) => l.includes(NRB.GMINA))).toContain(",3400,");
  });

  it("uploads an MT940 statement and shows what matched, what differs to the grosz, what is missing and extra", async () => {
    // Listening before the first key: Playwright turns on Chromium's file-chooser interception
    // when the first listener comes, and does not order that call before a key pressed at once
    // (under load the chooser opened before interception was on, and the event never came).
    const chooserOpened = new Promise<FileChooser>((resolve) => page.once("filechooser", resolve));
    await tabTo(page, { text: "Wyciągi bankowe" });
    await page.keyboard.press("Enter");
    await tabTo(page, { id: "statement-file" });
    await page.keyboard.press("Space");
    const chooser = await chooserOpened;
    await chooser.setFiles(statementFile("wyciag-2026-11.sta", STATEMENT));
    await tabTo(page, { text: "Wczytaj i porównaj" });
    await page.keyboard.press("Enter");
    await page.locator("#match-heading").waitFor();
    expect((await focused(page)).id).toBe("match-heading");
    expect(await text(page, "[data-match=summary]")).toBe(
      "Zgodne: 1, brakujące: 1, nadmiarowe: 1, różne kwoty: 1.",
    );
    expect(await rows(page, "Różne kwoty")).toEqual([
      [
        "przelew do odbiorcy",
        "2026-11-25",
        "PZ1465/20261125/002 POWIAT",
        "1 360,56 zł",
        "1 360,55 zł",
        "-0,01 zł",
      ],
    ]);
    expect(await rows(page, "Brakujące na wyciągu")).toEqual([
      ["przelew do odbiorcy", "2026-11-25", "PZ1465/20261125/001 GMINA", "34,00 zł", "—", ""],
    ]);
    expect(await rows(page, "Nadmiarowe")).toEqual([
      ["uznanie (nieoczekiwane)", "2026-11-26", "ODSETKI", "—", "5,00 zł", ""],
    ]);
    expect(await rows(page, "Zgodne")).toEqual([
      [
        "uznanie od agenta",
        "2026-11-25",
        "ROZLICZENIE TERMINALI 2026-11-25",
        "1 394,56 zł",
        "1 394,56 zł",
        "",
      ],
    ]);
    // The first import of this statement: no note of an earlier one.
    expect(await page.locator("[data-match=previous-import]").count()).toBe(0);
    await screenshot(page, "hub-statement-pl");
    await expectNoAxeViolations(page, "statement matched (pl)");
  });

  it("lists a broken statement's import errors and stores nothing", async () => {
    const before = await ledgerSnapshot(h.dbUrl);
    // The file chooser by keyboard is shown above; here the file is set on the field directly.
    await page
      .locator("#statement-file")
      .setInputFiles(statementFile("zly.sta", STATEMENT.replace(":61:2611261126C5,00", ":61:26113XC5,00")));
    await tabTo(page, { text: "Wczytaj i porównaj" });
    await page.keyboard.press("Enter");
    await page.locator("[data-view=statements] [role=alert] p").waitFor();
    expect(await text(page, "[data-view=statements] [role=alert] p")).toContain("nie wczytano");
    const errors = await rows(page, "Błędy wczytania");
    expect(errors[0]?.slice(0, 2)).toEqual(["9", ":61:"]);
    // In the page's language, not the parser's English sentence.
    expect(errors[0]?.[2]).toMatch(/^To nie jest wiersz operacji: 26113XC5,00/);
    expect(await page.locator("#match-heading").count()).toBe(0);
    expect(await ledgerSnapshot(h.dbUrl)).toEqual(before);
    await expectNoAxeViolations(page, "statement refused (pl)");
  });

  it("takes the acquirer's credit paid in two parts as the day paid in full, to the grosz, and names a repeated part", async () => {
    // One credit per card scheme, as acquirers pay: before, the first part was a difference of
    // -394,56 zł and the second an unexpected credit of 394,56 zł.
    const parts = STATEMENT.replace(
      ":61:2611261126C1394,56NTRFNONREF//ACQ1\r\n:86:ROZLICZENIE TERMINALI 2026-11-25",
      [
        ":61:2611261126C1000,00NTRFNONREF//ACQ1",
        ":86:ROZLICZENIE TERMINALI 2026-11-25 VISA",
        ":61:2611261126C394,56NTRFNONREF//ACQ2",
        ":86:ROZLICZENIE TERMINALI 2026-11-25 MASTERCARD",
        // The VISA part booked twice: once in the day's sum, and named as a repeat, not as unexpected.
        ":61:2611261126C1000,00NTRFNONREF//ACQ1",
        ":86:ROZLICZENIE TERMINALI 2026-11-25 VISA",
      ].join("\r\n"),
    ).replace(":62F:C261130PLN10039,01", ":62F:C261130PLN11039,01");
    expect(parts).not.toBe(STATEMENT);
    await page.locator("#statement-file").setInputFiles(statementFile("wyciag-czesci.sta", parts));
    await tabTo(page, { text: "Wczytaj i porównaj" });
    await page.keyboard.press("Enter");
    await expect.poll(() => text(page, "#match-heading")).toBe("Wynik porównania: wyciag-czesci.sta");
    expect(await text(page, "[data-match=summary]")).toBe(
      "Zgodne: 1, brakujące: 1, nadmiarowe: 2, różne kwoty: 1.",
    );
    expect((await rows(page, "Zgodne"))[0]).toEqual([
      "uznanie od agenta",
      "2026-11-25",
      "ROZLICZENIE TERMINALI 2026-11-25 VISA + ROZLICZENIE TERMINALI 2026-11-25 MASTERCARD",
      "1 394,56 zł",
      "1 394,56 zł",
      "",
    ]);
    expect((await rows(page, "Nadmiarowe")).map((r) => r.slice(0, 3))).toEqual([
      ["uznanie powtórzone (już zgodne)", "2026-11-26", "NONREF//ACQ1 ROZLICZENIE TERMINALI 2026-11-25 VISA"],
      ["uznanie (nieoczekiwane)", "2026-11-26", "ODSETKI"],
    ]);
  });

  it("refuses an empty file and a file too large for a statement in the page's language, sending nothing", async () => {
    const uploads: string[] = [];
    const seen = (r: { method(): string; url(): string }) => {
      if (r.method() === "POST" && r.url().includes("/statements")) uploads.push(r.url());
    };
    page.on("request", seen);
    try {
      for (const [name, content, said] of [
        ["pusty.sta", "", "Plik pusty.sta jest pusty: to nie jest wyciąg. Nic nie zostało zapisane."],
        [
          "archiwum.sta",
          STATEMENT + " ".repeat(5 * 1024 * 1024),
          "Plik archiwum.sta jest za duży jak na wyciąg MT940 (najwięcej 5 MB). Nic nie zostało zapisane.",
        ],
      ] as const) {
        await page.locator("#statement-file").setInputFiles(statementFile(name, content));
        await tabTo(page, { text: "Wczytaj i porównaj" });
        await page.keyboard.press("Enter");
        // Before, the hub's English title: "Nie udało się: Send the MT940 file as the body (text/plain)".
        await expect.poll(() => text(page, "[data-view=statements] [role=alert]")).toBe(said);
        expect(await page.locator("#match-heading").count()).toBe(0);
      }
    } finally {
      page.off("request", seen);
    }
    expect(uploads).toEqual([]);
  });

  it("says that a statement was already imported, when and by whom, and matches it again", async () => {
    // Before: the same file matched again with no word that it had been seen, as if its credits were new.
    await page.locator("#statement-file").setInputFiles(statementFile("wyciag-ponownie.sta", STATEMENT));
    await tabTo(page, { text: "Wczytaj i porównaj" });
    await page.keyboard.press("Enter");
    await expect.poll(() => text(page, "#match-heading")).toBe("Wynik porównania: wyciag-ponownie.sta");
    expect(await text(page, "[data-match=previous-import]")).toMatch(
      /^Ten wyciąg \(:20: ST\/2026\/11\/30, :28C: 00043\/1, rachunek 10 1090 1014 0000 0001 4651 9999\) był już wczytany \d{1,2} \p{L}{3} \d{4}, \d{2}:\d{2}:\d{2} przez anna\./u,
    );
    expect(await text(page, "[data-match=summary]")).toBe(
      "Zgodne: 1, brakujące: 1, nadmiarowe: 1, różne kwoty: 1.",
    );
    await expectNoAxeViolations(page, "statement imported before (pl)");
  });

  it("shows the fleet: last contact, out of order, device states, outbox backlog, last payment", async () => {
    await tabTo(page, { text: "Urządzenia" });
    await page.keyboard.press("Enter");
    await page.locator("[data-view=fleet] table").waitFor();
    expect((await focused(page)).text).toBe("Urządzenia");
    const fleet = await rows(page, "Kioski i kasy");
    const k01 = fleet.find((r) => r[0] === "K01");
    expect(k01?.slice(1, 3)).toEqual(["PZ1465", "kiosk"]);
    expect(k01?.[3]).toMatch(/przed chwilą/);
    expect(k01?.[4]).toBe("czynne");
    expect(k01?.[5]).toBe("terminal: gotowedrukarka: niedostępne");
    expect(k01?.[6]).toBe("3 w kolejce, 0 wstrzymanych");
    expect(k01?.[7]).toContain("2026");
    // The desk sent its payment of the day: seen, as a cash desk.
    const d01 = fleet.find((r) => r[0] === "D01");
    expect(d01?.[2]).toBe("kasa");
    expect(d01?.[3]).toMatch(/przed chwilą/);
    await expectNoAxeViolations(page, "fleet (pl)");
  });

  it("switches to English with the keyboard: words, dates and amounts", async () => {
    await tabTo(page, { text: "English" });
    await page.keyboard.press("Enter");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await text(page, "h1")).toBe("Devices");
    await tabTo(page, { text: "Day settlement" });
    await page.keyboard.press("Enter");
    await expect.poll(() => text(page, "#report-heading")).toContain("25 November 2026");
    expect(await text(page, "[data-summary=total]")).toBe("PLN 1,394.56");
    expect((await rows(page, "By fee component"))[1]?.[0]).toBe("Card payment handling fee (FEE)");
    expect((await rows(page, "By device")).map((r) => r.slice(0, 2))).toEqual([
      ["D01", "cash desk"],
      ["K01", "kiosk"],
    ]);
    expect((await rows(page, "All transactions")).find((r) => r[1] === t3.transactionId)?.[8]).toBe(
      "REVERSED (refund PLN 50.00)",
    );
    await screenshot(page, "hub-day-en");
    await expectNoAxeViolations(page, "day settlement (en)");
  });

  it("signs out with the keyboard: the login form is back and the session is gone", async () => {
    await tabTo(page, { id: "logout" });
    await page.keyboard.press("Enter");
    await page.locator("#login").waitFor();
    expect(await text(page, "h1")).toBe("Sign in to settlements");
    // The page's probe: nobody signed in (204, not a failed load); the staff API refuses the browser.
    const status = await page.evaluate(async () => [
      (await fetch("/api/session")).status,
      (await fetch("/api/offices")).status,
    ]);
    expect(status).toEqual([204, 401]);
  });

  it("ran without a single CSP violation", () => {
    expect(cspErrors).toEqual([]);
  });
});
