/**
 * The technician's service screens on the real demo kiosk in real Chromium: in by F9, by a tap and a
 * hold on a hidden corner spot and by the service key; a wrong PIN refused; the console's devices, test print, reader
 * test, terminal diagnosis and end-of-day, today's payments with a reprint, the out-of-order switch
 * and the log tail, each of them in the audit log. Screenshots go to test-results/screens/service-*.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimKioskIo } from "../../devices/gpio/sim.ts";
import { makeNrb } from "../../kiosk/domain/nrb.ts";
import { raiseAlarm } from "../../kiosk/store/alarms.ts";
import { formatMoney } from "../../ui/src/format.ts";
import {
  currentScreen,
  type DemoKiosk,
  expectNoAxeViolations,
  getJson,
  type KioskBrowser,
  launchKioskBrowser,
  openKiosk,
  postJson,
  screenText,
  screenshot,
  startDemoKiosk,
  waitForScreen,
  waitForState,
  wedgeScan,
} from "./helpers.ts";

const DEMO_PIN = "246810";

interface AuditRow {
  actor: string;
  action: string;
  target: string | null;
  details: string;
}

describe("service mode for technicians", () => {
  let demo: DemoKiosk;
  let browser: KioskBrowser;
  let page: Page;
  let paymentId: string;
  let paidTotal: string;

  beforeAll(async () => {
    demo = await startDemoKiosk({ name: "service", terminalDelayMs: 0, idleTimeoutSeconds: 120 });
    // One paid visit today, for the payments list and the reprint.
    expect((await postJson(demo.url, "/api/scan", { payload: demo.issueSlip() })).status).toBe(200);
    expect((await postJson(demo.url, "/api/session/pay")).status).toBe(202);
    await waitForState(demo.url, "done");
    const paid = await getJson<{ total: number; payment: { id: string } }>(demo.url, "/api/session");
    paymentId = paid.payment.id;
    paidTotal = formatMoney(paid.total, "pl").replace(/\u00a0/g, " ");
    await postJson(demo.url, "/api/session/cancel");
    await waitForState(demo.url, "idle");
    browser = await launchKioskBrowser();
    page = await openKiosk(browser, demo.url);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  function audit(): AuditRow[] {
    return demo.demo.daemon.kiosk.db
      .prepare("SELECT actor, action, target, details FROM audit ORDER BY id")
      .all() as AuditRow[];
  }

  const keypad = () => page.locator("service-mode keypad-dialog dialog");
  const console_ = () => page.locator("service-console");

  async function typePin(pin: string): Promise<void> {
    await keypad().waitFor({ state: "visible" });
    await page.keyboard.type(pin, { delay: 40 });
    await page.keyboard.press("Enter");
  }

  async function section(name: string): Promise<void> {
    await console_().locator(`nav button[data-section=${name}]`).click();
    await console_().locator(`section[data-section=${name}]`).waitFor();
  }

  async function statusOf(key: string, pattern: RegExp): Promise<string> {
    const status = console_().locator(`[data-status="${key}"]`);
    await expect
      .poll(async () => (await status.textContent())?.trim() ?? "", { timeout: 15_000 })
      .toMatch(pattern);
    return (await status.textContent())?.trim() ?? "";
  }

  /** A technician's way in: F9, the PIN, the console. */
  async function logInWithF9(): Promise<void> {
    await page.keyboard.press("F9");
    await waitForScreen(page, "service");
    await typePin(DEMO_PIN);
    await console_().locator("h1").waitFor();
  }

  async function logOut(): Promise<void> {
    await console_().getByRole("button", { name: "Wyloguj" }).click();
    await waitForScreen(page, "welcome");
  }

  /**
   * A visit whose payment the terminal loses and cannot prove afterwards (it repeats no transaction,
   * as a PAX A80), left on the visitor's screen for staff to settle.
   */
  async function leaveUnresolvedPayment(): Promise<{ id: string; slip: string }> {
    const db = demo.demo.daemon.kiosk.db;
    const terminal = demo.demo.sims.terminal;
    const repeatReceipt = terminal.options.repeatReceipt;
    const unresolvedBefore = audit().filter((r) => r.action === "payment_unresolved").length;
    terminal.options.repeatReceipt = "none";
    terminal.setNextOutcome("noAnswer");
    const slip = demo.issueSlip();
    expect((await postJson(demo.url, "/api/scan", { payload: slip })).status).toBe(200);
    const pay = await postJson(demo.url, "/api/session/pay");
    expect(pay.status, await pay.clone().text()).toBe(202);
    await expect
      .poll(() => audit().filter((r) => r.action === "payment_unresolved").length, { timeout: 60_000 })
      .toBe(unresolvedBefore + 1);
    terminal.options.repeatReceipt = repeatReceipt;
    const { id } = db.prepare("SELECT id FROM sessions WHERE state = 'unknown'").get() as { id: string };
    // The visitor is not told to wait for ever: not to pay again, to ask staff, and the code to quote.
    await expect
      .poll(async () => (await screenText(page)).replace(/\s+/g, " "), { timeout: 15_000 })
      .toContain("Nie udało się potwierdzić, czy karta została obciążona.");
    return { id, slip };
  }

  it("shows a payment the terminal cannot prove with its time, slip and the terminal's answer in words; staff's verdict puts the kiosk back in service, audited", async () => {
    const { id, slip } = await leaveUnresolvedPayment();
    const slipId = slip.split("|")[2] as string;

    const visitor = (await screenText(page)).replace(/\s+/g, " ");
    expect(visitor).toContain("Nie płać ponownie.");
    expect(visitor).toMatch(/Kod dla obsługi ?: E25/);
    expect(visitor).not.toContain("Prosimy czekać");
    await screenshot(page, "service-unresolved-visitor");
    // The technician comes with F9 and the PIN.
    await logInWithF9();
    await section("payments");
    const card = console_().locator(`fieldset[data-unresolved="${id}"]`);
    await card.waitFor();
    const text = (await card.textContent())?.replace(/\s+/g, " ") ?? "";
    expect(text).toMatch(/Rozpoczęta: \d+ grudnia|Rozpoczęta: \d+ \S+ 20\d\d/);
    expect(text).toContain(`Dokument: ${slipId}`);
    expect(text).toContain("Odpowiedź terminala: nie powtórzył żadnej transakcji");
    // How far it got, said honestly: the kiosk has no sign the request arrived, not that none was sent.
    expect(text).not.toMatch(/nothing|nic nie wysłano/);
    expect(await console_().locator("[data-unresolved-list]").textContent()).toContain(
      "automat nie przyjmuje płatności",
    );
    await expectNoAxeViolations(page, "service console, a payment awaiting a decision");
    await screenshot(page, "service-unresolved");

    await card.getByLabel("Co pokazuje dziennik").fill("brak transakcji w dzienniku terminala");
    await card.getByRole("button", { name: "Nie pobrano" }).click();
    // The card leaves the list; what was done stays said.
    await card.waitFor({ state: "detached" });
    await statusOf("resolve", new RegExp(`Płatność ${id} rozstrzygnięta`));
    // Not charged: the visit ends as such and the kiosk is in service again.
    await waitForState(demo.url, "cancelled");
    await expect.poll(async () => (await fetch(new URL("/ready", demo.url))).status).toBe(200);
    await console_().getByRole("button", { name: "Wyloguj" }).click();
    const resolved = audit().find((r) => r.action === "service.payment.resolve");
    expect(resolved?.target).toBe(id);
    expect(JSON.parse(resolved?.details ?? "{}")).toMatchObject({ verdict: "not_charged" });
    // Not charged: the slip is open again and can be paid.
    expect((await postJson(demo.url, "/api/scan", { payload: slip })).status).toBe(200);
    await postJson(demo.url, "/api/session/cancel");
    await waitForState(demo.url, "idle");
  }, 150_000);

  it("F9 opens the PIN entry; a wrong PIN is refused, the right one opens the console", async () => {
    // F9 is ignored while a visitor's screen is up: the start screen first, as a technician finds it
    // (the daemon's idle state comes before the page has left the test before's screens).
    await waitForScreen(page, "welcome");
    await page.keyboard.press("F9");
    await waitForScreen(page, "service");
    await typePin("111111");
    await expect.poll(() => keypad().locator("#keypad-error").textContent()).toBe("Błędny PIN.");
    await screenshot(page, "service-wrong-pin");
    await expectNoAxeViolations(page, "service PIN entry");
    await typePin(DEMO_PIN);
    await console_().locator("h1").waitFor();
    expect(await screenText(page)).toContain("Tryb serwisowy");

    // Every device with its state, last error and statistics.
    const devices = console_().locator("li[data-device]");
    await expect
      .poll(() => devices.evaluateAll((els) => els.map((e) => e.getAttribute("data-device"))))
      .toEqual(expect.arrayContaining(["terminal", "printer", "scanner", "gpio"]));
    await expectNoAxeViolations(page, "service console, devices");
    await screenshot(page, "service-devices");
    // The drivers' counters under Polish names, not their keys (connects, status_enquiries, …).
    await expect
      .poll(() => console_().locator("li[data-device=terminal] dd").last().textContent())
      .toMatch(/^Połączenia: \d/);
    const statistics = (await console_().locator("li[data-device] dd").allTextContents()).join(" ");
    expect(statistics).not.toMatch(/[a-z]+_[a-z_]+|connects|authorizations/);

    await console_().getByRole("button", { name: "Sprawdź: Drukarka" }).click();
    expect(await statusOf("health:printer", /^(Sprawne|Niesprawne): \S/)).toMatch(/^Sprawne/);

    const rows = audit();
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        "service.login.failed",
        "service.login",
        "service.devices.view",
        "service.device.health",
      ]),
    );
    expect(JSON.parse(rows.find((r) => r.action === "service.login")!.details)).toEqual({ method: "pin" });
  });

  it("test print reaches the printer and the reader test shows the scanned code, not a payment", async () => {
    await section("tests");
    const before = demo.demo.sims.printer.receipts.length;
    await console_().getByRole("button", { name: "Wydruk testowy" }).click();
    await statusOf("testPrint", /wysłany do drukarki/);
    await expect.poll(() => demo.demo.sims.printer.receipts.length).toBe(before + 1);
    expect(demo.demo.sims.printer.receipts.at(-1)!.lines.join("\n")).toContain("WYDRUK TESTOWY");

    await console_().getByRole("button", { name: "Test czytnika" }).click();
    await statusOf("scanner", /Zeskanuj/);
    await wedgeScan(page, "SERVICE-TEST-0123456789");
    expect(await statusOf("scanner", /Odczytano/)).toContain("23 znaki, początek „SERVICE-TEST”");
    // The code went to the technician, not into a visitor's session.
    expect((await getJson<{ state: string }>(demo.url, "/api/session")).state).toBe("idle");
    await screenshot(page, "service-tests");
    expect(audit().map((r) => r.action)).toEqual(
      expect.arrayContaining(["service.printer.test", "service.scanner.test"]),
    );

    // A failed print: the devices list says what went wrong in the console's language, the driver's
    // code and text after it.
    demo.demo.sims.printer.set({ paper: "out" });
    try {
      await console_().getByRole("button", { name: "Wydruk testowy" }).click();
      await statusOf("testPrint", /./);
      await section("devices");
      const lastError = console_().locator("li[data-device=printer] dd").nth(1);
      await expect
        .poll(async () => (await lastError.textContent())?.trim(), { timeout: 15_000 })
        .toMatch(/^Brak papieru \(\d{1,2}:\d{2}:\d{2}\)\. paper_out: /);
    } finally {
      demo.demo.sims.printer.set({ paper: "ok" });
    }
  });

  it("terminal diagnosis, and end-of-day after a confirmation shows the day's totals and what the terminal holds that the kiosk does not", async () => {
    await section("terminal");
    // A charge the kiosk never booked (as a payment lost by a kiosk that believed its terminal): the
    // terminal's batch holds it, the kiosk's ledger does not.
    const terminal = demo.demo.sims.terminal;
    const charged = terminal.turnover().filter((t) => t.state === "charged");
    terminal.store.add({ amount: 5_000, at: new Date(), state: "charged", resultCode: 0 });
    await console_().getByRole("button", { name: "Diagnoza terminala" }).click();
    await statusOf("diagnosis", /^(Sprawne|Niesprawne): /);

    await console_().getByRole("button", { name: "Zamknięcie dnia" }).click();
    const confirm = console_().getByRole("button", { name: "Tak, zamknij dzień" });
    await expect.poll(() => confirm.evaluate((el) => el.matches(":focus"))).toBe(true);
    await expectNoAxeViolations(page, "service console, end-of-day confirmation");
    await screenshot(page, "service-end-of-day-confirm");
    await page.keyboard.press("Enter");
    const totals = console_().locator("dl[data-end-of-day]");
    await totals.waitFor({ timeout: 20_000 });
    const text = (await totals.textContent())?.replace(/\s+/g, " ") ?? "";
    expect(text).toMatch(/Liczba transakcji \d+/);
    expect(text).toMatch(/Suma \d+,\d\d zł/);

    // The reconciliation: the terminal's totals next to the kiosk's, and the difference in words.
    const money = (grosze: number) => formatMoney(grosze, "pl").replace(/\u00a0/g, " ");
    const reconciliation = console_().locator("end-of-day-reconciliation");
    const verdict = reconciliation.locator("[data-reconciled]");
    expect(await verdict.getAttribute("data-reconciled")).toBe("no");
    expect(await verdict.textContent()).toContain("Niezgodne");
    const row = async (family: string) =>
      ((await reconciliation.locator(`tr[data-family="${family}"]`).textContent()) ?? "")
        .replace(/\s+/g, " ")
        .replace(/\u00a0/g, " ");
    const terminalTotal = charged.reduce((a, t) => a + t.amount, 0) + 5_000;
    expect(await row("all")).toContain(`${charged.length + 1} × · ${money(terminalTotal)}`);
    expect(await row("all")).toContain(`1 × · ${paidTotal}`);
    const difference = reconciliation.locator("li[data-difference]");
    expect(await difference.getAttribute("data-difference")).toBe("terminal_only");
    expect(((await difference.textContent()) ?? "").replace(/\s+/g, " ").replace(/\u00a0/g, " ")).toContain(
      `Terminal ma płatności, których automat nie zapisał (Visa): 1 na ${money(5_000)}.`,
    );
    await expectNoAxeViolations(page, "service console, end-of-day reconciliation");
    await screenshot(page, "service-end-of-day");

    // The mismatch is an alarm too; the technician acknowledges it once the journal is checked.
    await section("queue");
    const alarm = console_().locator("li[data-alarm]", { hasText: "Niezgodność zamknięcia dnia" });
    await alarm.waitFor();
    // Worded in Polish from the alarm's figures, not the daemon's English line.
    const alarmText = ((await alarm.textContent()) ?? "").replace(/\s+/g, " ");
    expect(alarmText).toMatch(/Zamknięcie dnia .*: terminal zamknął \d+ płatnoś\S* na .*, automat zapisał/);
    expect(alarmText).not.toContain("the kiosk recorded");
    await alarm.getByRole("button", { name: "Potwierdź (załatwione)" }).click();
    await alarm.waitFor({ state: "detached" });
    expect(audit().map((r) => r.action)).toEqual(
      expect.arrayContaining(["service.terminal.diagnosis", "service.terminal.end_of_day"]),
    );
  });

  it("lists today's payments and reprints a copy of a receipt", async () => {
    await section("payments");
    const row = console_().locator(`tr[data-payment="${paymentId}"]`);
    await row.waitFor();
    const text = (await row.textContent())?.replace(/\s+/g, " ") ?? "";
    expect(text).toContain(paidTotal);
    expect(text).toContain("wydrukowane");
    // The payment's status in Polish words, not the daemon's state name (issue 18 finding 12).
    expect(await row.locator(`[data-status-of="${paymentId}"]`).textContent()).toBe("zatwierdzona");
    await expectNoAxeViolations(page, "service console, payments");
    await screenshot(page, "service-payments");

    const before = demo.demo.sims.printer.receipts.length;
    await row.getByRole("button", { name: `Drukuj kopię potwierdzenia ${paymentId}` }).click();
    await statusOf(`reprint:${paymentId}`, /wysłana do drukarki/);
    await expect.poll(() => demo.demo.sims.printer.receipts.length).toBe(before + 1);
    const reprint = audit().find((r) => r.action === "service.receipt.reprint");
    expect(reprint?.target).toBe(paymentId);
    expect(audit().map((r) => r.action)).toContain("service.payments.view");
  });

  it("shows a parked message with its last error and requeues it, and acknowledges an alarm (issue 19.2, 19.3)", async () => {
    const db = demo.demo.daemon.kiosk.db;
    const id = `pik.payment.${paymentId}`;
    await expect
      .poll(() => (db.prepare("SELECT status FROM outbox WHERE id = ?").get(id) as { status: string }).status)
      .toBe("delivered");
    // As if PiK had refused it: the worker's own parking is tested through the daemon elsewhere.
    db.prepare(
      "UPDATE outbox SET status = 'failed', last_status = 422, last_error = 'HTTP 422: unknown office' WHERE id = ?",
    ).run(id);
    raiseAlarm(db, {
      kind: "payment_conflict",
      subject: paymentId,
      summary: `pik answered 409 to payment ${paymentId}`,
      actor: "outbox",
    });
    await section("queue");
    const message = console_().locator(`li[data-message="${id}"]`);
    await message.waitFor();
    expect(await message.textContent()).toContain("HTTP 422: unknown office");
    const alarm = console_().locator("li[data-alarm]");
    expect(await alarm.textContent()).toContain("Dokument opłacony dwa razy");
    await expectNoAxeViolations(page, "service console, messages and alarms");
    await screenshot(page, "service-queue");

    await message.getByRole("button", { name: "Wyślij ponownie" }).click();
    await expect
      .poll(() => (db.prepare("SELECT status FROM outbox WHERE id = ?").get(id) as { status: string }).status)
      .toBe("delivered");
    await alarm.getByRole("button", { name: "Potwierdź (załatwione)" }).click();
    await console_().locator("li[data-alarm]").waitFor({ state: "detached" });
    const actions = audit().map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(["service.outbox.requeue", "outbox.requeue", "alarm.acknowledge"]),
    );
  });

  it("sends a parked settlement transaction with the accounts from the configuration once each change is shown and confirmed; the kiosk's records follow, audited", async () => {
    const db = demo.demo.daemon.kiosk.db;
    const settlement = demo.demo.fakes.settlement;
    if (!settlement) throw new Error("the e2e demo runs with the fake settlement server");
    const right = demo.demo.config.recipients["POWIAT"]?.nrb as string;
    const wrong = makeNrb("10205226", "0000111122223333");
    // A payment while the hub is away (5xx: retried, never parked), made by a visitor.
    await logOut();
    settlement.setFaults({ errorRate: 1 });
    // The console's reader test may still wait for a code and would take this one (captureNextScan):
    // scan again until a visit starts.
    await expect
      .poll(async () => {
        const scan = await postJson(demo.url, "/api/scan", { payload: demo.issueSlip() });
        return ((await scan.json()) as { state?: string }).state;
      })
      .toBe("summary");
    expect((await postJson(demo.url, "/api/session/pay")).status).toBe(202);
    await waitForState(demo.url, "done");
    const { payment } = await getJson<{ payment: { id: string } }>(demo.url, "/api/session");
    await postJson(demo.url, "/api/session/cancel");
    await waitForState(demo.url, "idle");
    const key = `settlement.transaction.${payment.id}`;
    const row = () =>
      db.prepare("SELECT status, attempts, body FROM outbox WHERE id = ?").get(key) as {
        status: string;
        attempts: number;
        body: string;
      };
    await expect.poll(() => row().attempts, { timeout: 15_000 }).toBeGreaterThan(0);
    // As if the kiosk had held a mistyped POWIAT account at payment time and the hub had refused it
    // (422 UNKNOWN_ACCOUNT): its lines and its message name the wrong account, the message is parked.
    const lines = () =>
      db
        .prepare(
          "SELECT recipient_nrb AS nrb FROM session_lines WHERE session_id = ? AND recipient = 'POWIAT'",
        )
        .all(payment.id) as Array<{ nrb: string }>;
    db.transaction(() => {
      db.prepare(
        "UPDATE session_lines SET recipient_nrb = ? WHERE session_id = ? AND recipient = 'POWIAT'",
      ).run(wrong, payment.id);
      const body = JSON.parse(row().body) as { splits: Array<{ recipient: string; nrb: string }> };
      for (const split of body.splits) if (split.recipient === "POWIAT") split.nrb = wrong;
      db.prepare(
        "UPDATE outbox SET body = ?, status = 'failed', last_status = 422, last_error = ? WHERE id = ?",
      ).run(JSON.stringify(body), 'HTTP 422: {"code":"UNKNOWN_ACCOUNT"}', key);
    })();
    settlement.setFaults({ errorRate: 0 });
    expect(lines().map((l) => l.nrb)).not.toContain(right);

    await waitForScreen(page, "welcome");
    await logInWithF9();
    await section("queue");
    const message = console_().locator(`li[data-message="${key}"]`);
    await message.getByRole("button", { name: "Wyślij z kontami z konfiguracji" }).click();
    // Each change, from → to, before anything is sent.
    const changes = message.locator(`[data-accounts="${key}"]`);
    await changes.waitFor();
    const grouped = (nrb: string) => `${nrb.slice(0, 2)} ${nrb.slice(2).replace(/(\d{4})(?=\d)/g, "$1 ")}`;
    const text = ((await changes.textContent()) ?? "").replace(/\s+/g, " ");
    expect(text).toContain(`POWIAT: z ${grouped(wrong)} na ${grouped(right)}`);
    expect(text).toMatch(/Zapisy automatu o tej płatności \(\d+ pozycj\S*\) dostaną te same konta/);
    expect(row().status).toBe("failed");
    await expectNoAxeViolations(page, "service console, accounts from the configuration");
    await screenshot(page, "service-queue-accounts");

    await changes.getByRole("button", { name: "Potwierdź i wyślij" }).click();
    await expect.poll(() => row().status, { timeout: 15_000 }).toBe("delivered");
    const booked = settlement.transactions().find((t) => t.transactionId === payment.id);
    const splits = booked?.body["splits"] as Array<{ recipient: string; nrb: string }>;
    expect(splits.filter((x) => x.recipient === "POWIAT").map((x) => x.nrb)).not.toContain(wrong);
    expect(lines().map((l) => l.nrb)).toEqual(lines().map(() => right));
    const requeued = audit().filter((r) => r.target === key && r.action === "outbox.requeue");
    expect(JSON.parse(requeued.at(-1)?.details ?? "{}")).toMatchObject({
      accounts: [{ recipient: "POWIAT", from: wrong, to: right }],
      records: [{ recipient: "POWIAT", from: wrong, to: right }],
    });
    expect(audit().map((r) => r.action)).toEqual(
      expect.arrayContaining(["service.outbox.accounts_view", "service.outbox.requeue"]),
    );
  }, 90_000);

  it("the out-of-order switch puts the kiosk out of order for visitors and back", async () => {
    await section("outOfOrder");
    await console_().getByLabel("Powód").fill("wymiana papieru");
    await console_().getByRole("button", { name: "Wyłącz automat dla klientów" }).click();
    await statusOf("outOfOrder", /Gotowe/);
    await waitForState(demo.url, "out_of_order");
    expect(await console_().locator("[data-out-of-order]").textContent()).toContain("wymiana papieru");
    await screenshot(page, "service-out-of-order");

    await console_().getByRole("button", { name: "Włącz automat dla klientów" }).click();
    await waitForState(demo.url, "idle");
    const switches = audit().filter((r) => r.action.startsWith("service.out_of_order"));
    expect(switches.map((r) => [r.action, JSON.parse(r.details).reason])).toEqual([
      ["service.out_of_order.on", "wymiana papieru"],
      ["service.out_of_order.off", ""],
    ]);
  });

  it("shows the log tail, then logs out back to the visitors' start screen", async () => {
    await section("logs");
    // What the daemon's log tail holds now, read through the API with a token of our own; the
    // console, refreshed after it, must show at least those lines.
    const login = await postJson(demo.url, "/api/service/login", { pin: DEMO_PIN });
    const { token } = (await login.json()) as { token: string };
    const response = await fetch(new URL("/api/service/logs?lines=200", demo.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    const { lines } = (await response.json()) as { lines: string[] };
    await console_().getByRole("button", { name: "Odśwież dziennik" }).click();
    const last = lines.at(-1) ?? "Dziennik jest pusty.";
    await expect.poll(async () => (await console_().locator("section").textContent()) ?? "").toContain(last);
    await expectNoAxeViolations(page, "service console, log");
    await screenshot(page, "service-log");
    await logOut();
    const actions = audit().map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["service.logs.view", "service.logout"]));
    // The token lived in memory only: nothing of it is left in the browser's storage.
    expect(
      await page.evaluate(() => Object.keys(localStorage).length + Object.keys(sessionStorage).length),
    ).toBe(0);
  });

  it("a visitor cannot stumble in: only a tap and then a hold on the hidden corner spot opens the PIN entry", {
    timeout: 90_000,
  }, async () => {
    // Holding the office name (the old way in) does nothing now.
    await page.locator("welcome-screen [data-office]").hover();
    await page.mouse.down();
    await page.waitForTimeout(3_500);
    await page.mouse.up();
    expect(await currentScreen(page)).toBe("welcome");
    // Holding the corner spot without the tap first does nothing either.
    const spot = page.locator("welcome-screen service-spot [data-service-spot]");
    await spot.hover();
    await page.mouse.down();
    await page.waitForTimeout(2_500);
    await page.mouse.up();
    expect(await currentScreen(page)).toBe("welcome");
    // Tap, then hold: the PIN entry, which warns a visitor off typing a card PIN.
    await page.mouse.down();
    await page.mouse.up();
    await page.mouse.down();
    await waitForScreen(page, "service", 10_000);
    await page.mouse.up();
    await keypad().waitFor({ state: "visible" });
    expect(await keypad().locator("#keypad-title").textContent()).toContain(
      "Tylko dla obsługi – nigdy nie wpisuj tu PIN-u swojej karty.",
    );
    expect(await page.locator("service-mode [data-staff-only]").textContent()).toBe(
      "Tylko dla obsługi – nigdy nie wpisuj tu PIN-u swojej karty.",
    );
    // Nobody types: after 30 s the next visitor finds the start screen, not a PIN pad.
    await waitForScreen(page, "welcome", 45_000);
    // The technician's way still works.
    await spot.hover();
    await page.mouse.down();
    await page.mouse.up();
    await page.mouse.down();
    await waitForScreen(page, "service", 10_000);
    await page.mouse.up();
    await typePin(DEMO_PIN);
    await console_().locator("h1").waitFor();
    await logOut();
  });

  it("speaks Ukrainian and English too, and passes axe in both", async () => {
    await page.keyboard.press("F9");
    await waitForScreen(page, "service");
    await page.keyboard.press("Escape");
    await page.locator("kiosk-toolbar button[data-lang=uk]").click();
    await page.locator("service-mode").getByRole("button", { name: "Введіть сервісний PIN" }).click();
    await typePin(DEMO_PIN);
    await console_().getByRole("heading", { name: "Сервісний режим" }).waitFor();
    await console_().locator("li[data-device=printer]").waitFor();
    await expectNoAxeViolations(page, "service console (uk)");
    await screenshot(page, "service-devices-uk");
    await page.locator("kiosk-toolbar button[data-lang=en]").click();
    await section("payments");
    expect(
      (await console_().locator(`tr[data-payment="${paymentId}"]`).textContent())?.replace(/\s+/g, " "),
    ).toContain(formatMoney(Number.parseInt(paidTotal.replace(/\D/g, ""), 10), "en").replace(/\u00a0/g, " "));
    await expectNoAxeViolations(page, "service console (en)");
    await screenshot(page, "service-payments-en");
    await console_().getByRole("button", { name: "Log out" }).click();
    await waitForScreen(page, "welcome");
    // Back in Polish for the next visitor.
    await page.waitForFunction(() => document.documentElement.lang === "pl");
  });

  it("the turned service key shows visitors out of order and offers the key login", async () => {
    const gpio = demo.demo.daemon.kiosk.devices.gpio as SimKioskIo;
    gpio.setServiceKey(true);
    await waitForScreen(page, "service");
    expect((await getJson<{ state: string }>(demo.url, "/api/session")).state).toBe("out_of_order");
    const keyLogin = page.locator("service-mode").getByRole("button", { name: "Zaloguj kluczem serwisowym" });
    await keyLogin.waitFor();
    await expectNoAxeViolations(page, "service key login");
    await screenshot(page, "service-key");
    await keyLogin.click();
    await console_().locator("h1").waitFor();
    const login = audit()
      .filter((r) => r.action === "service.login")
      .at(-1);
    expect(JSON.parse(login!.details)).toEqual({ method: "key" });
    // The console loads its devices on opening: let that request end first, so the logout below is
    // the last thing audited whatever the machine's load.
    await expect
      .poll(() => {
        const rows = audit();
        const at = rows.findLastIndex((r) => r.action === "service.login");
        return rows.slice(at + 1).some((r) => r.action === "service.devices.view");
      })
      .toBe(true);

    // The key turned back ends the key's session and returns the kiosk to visitors.
    gpio.setServiceKey(false);
    await waitForScreen(page, "welcome");
    await waitForState(demo.url, "idle");
    expect(audit().at(-1)?.action).toBe("service.logout");
  });

  it("the service key turned on a payment only staff can settle opens the key login there, as F9 does", async () => {
    const gpio = demo.demo.daemon.kiosk.devices.gpio as SimKioskIo;
    await waitForScreen(page, "welcome");
    const { id } = await leaveUnresolvedPayment();
    gpio.setServiceKey(true);
    await waitForScreen(page, "service");
    const keyLogin = page.locator("service-mode").getByRole("button", { name: "Zaloguj kluczem serwisowym" });
    await keyLogin.click();
    await console_().locator("h1").waitFor();
    await section("payments");
    const card = console_().locator(`fieldset[data-unresolved="${id}"]`);
    await card.getByLabel("Co pokazuje dziennik").fill("brak transakcji w dzienniku terminala");
    await card.getByRole("button", { name: "Nie pobrano" }).click();
    await statusOf("resolve", new RegExp(`Płatność ${id} rozstrzygnięta`));
    await waitForState(demo.url, "cancelled");
    // Decided in the key's session.
    const login = audit().findLast((r) => r.action === "service.login");
    expect(JSON.parse(login?.details ?? "{}")).toEqual({ method: "key" });
    const resolved = audit().findLast((r) => r.action === "service.payment.resolve");
    expect(resolved?.target).toBe(id);
    expect(resolved?.actor).toBe(login?.actor);

    // The key turned back ends the key's session; the kiosk is back in service.
    gpio.setServiceKey(false);
    await waitForScreen(page, "welcome");
    await expect.poll(async () => (await fetch(new URL("/ready", demo.url))).status).toBe(200);
  }, 150_000);
});
