/**
 * SPEC §3 `kiosk.languages` on screen: a kiosk that offers no Polish (`[uk, en]`), run as an office
 * runs it (`oplatomat start`), greets visitors in the first language it offers and keeps the
 * session in it; the screen does not ask the daemon for Polish.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, type KioskBrowser, launchKioskBrowser, openKiosk } from "./helpers.ts";
import { testConfig, testKeys } from "../helpers/test-config.ts";
import { type ConformanceKiosk, startConformanceKiosk } from "../integration/conformance/rig.ts";

let kiosk: ConformanceKiosk | undefined;
let browser: KioskBrowser | undefined;

beforeAll(async () => {
  const base = testConfig(testKeys());
  kiosk = await startConformanceKiosk("ui-languages", {
    ...base,
    kiosk: { id: "K-UA", languages: ["uk", "en"] },
  });
  browser = await launchKioskBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
});

describe("a kiosk without Polish", () => {
  it("shows the welcome screen in Ukrainian and leaves the session in Ukrainian", async () => {
    const page = await openKiosk(browser as KioskBrowser, kiosk?.url as string);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("uk");
    // Long enough for a language request the screen should not send to have reached the daemon.
    await new Promise((r) => setTimeout(r, 1000));
    const session = await getJson<{ language: string; state: string }>(kiosk?.url as string, "/api/session");
    expect(session.language).toBe("uk");
  });
});
