/**
 * SPEC §1: a slip's dates are Europe/Warsaw's and "today (Europe/Warsaw) is not after valid" decides
 * whether it may still be paid, whatever `kiosk.timezone` the kiosk shows its times in. The test
 * takes a zone whose date differs from Warsaw's right now (one far east or far west always does)
 * and a slip that Warsaw's date accepts or refuses the other way round from that zone's date.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../../kiosk/domain/time.ts";
import { oplatomat } from "../../helpers/cli-daemon.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";
import { type ConformanceKiosk, startConformanceKiosk } from "./rig.ts";

const keys = testKeys();
const dayIn = (tz: string) => new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(new Date());
const compact = (day: string) => day.replace(/-/g, "");
const warsaw = dayIn("Europe/Warsaw");
// UTC+14 is a day ahead of Warsaw from 11:00 Warsaw time, UTC-11 a day behind until 12:00.
const zone = ["Pacific/Kiritimati", "Pacific/Pago_Pago"].find((tz) => dayIn(tz) !== warsaw) as string;
const ahead = dayIn(zone) > warsaw;
// Ahead: valid until today in Warsaw, payable, though the zone's today is after it. Behind: valid
// until yesterday in Warsaw, expired, though the zone's today is that day.
const valid = ahead ? warsaw : addDays(warsaw, -1);
const expected = ahead ? "payable" : "SLIP_EXPIRED";

let kiosk: ConformanceKiosk | undefined;
beforeAll(async () => {
  const base = testConfig(keys);
  kiosk = await startConformanceKiosk("dates", { ...base, kiosk: { ...base.kiosk, timezone: zone } });
}, 60_000);
afterAll(async () => {
  await kiosk?.close();
});

describe(`a kiosk whose timezone is ${zone}`, () => {
  const slip = () =>
    issueSlip(keys, { valid: compact(valid), issued: `${compact(addDays(warsaw, -2))}0900` });

  it(`counts the validity day in Europe/Warsaw on a scan (${expected})`, async () => {
    const r = await fetch(`${kiosk?.url}/api/scan`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payload: slip() }),
    });
    const body = (await r.json()) as { code?: string };
    if (expected === "payable") expect(r.status, JSON.stringify(body)).toBe(200);
    else expect(body.code).toBe("SLIP_EXPIRED");
  });

  it(`and in oplatomat slip verify (${expected})`, async () => {
    const r = await oplatomat(["slip", "verify", "--config", kiosk?.configFile as string, slip()], {
      OPLATOMAT_CONFIG: "",
    });
    if (expected === "payable") expect(r.code, r.stdout.toString()).toBe(0);
    else expect(r.stdout.toString().trim()).toBe("SLIP_EXPIRED");
  });
});
