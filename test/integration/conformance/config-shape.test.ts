/**
 * SPEC §3 from outside: a configuration written only with the keys SPEC's shape names, for an
 * office unlike the demo's (another id, one recipient, one language-less label, a slip key given
 * as a file path in `publicKey`), passes `oplatomat config check` and gets the defaults a real
 * office expects for every key it leaves out: the ZVT factory password, an 80 mm printer's 48
 * columns, pl/en/uk, Europe/Warsaw, 60 s, unattended, `offlinePolicy: refuse`, no handling fee.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadConfig } from "../../../kiosk/config/load.ts";
import { makeNrb } from "../../../kiosk/domain/nrb.ts";
import { oplatomat } from "../../helpers/cli-daemon.ts";
import { testKeys } from "../../helpers/test-config.ts";

let dir = "";
let file = "";
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-conf-shape-"));
  fs.writeFileSync(path.join(dir, "um.pub.pem"), testKeys().slipPublicPem);
  file = path.join(dir, "kasa.yaml");
  fs.writeFileSync(
    file,
    stringify({
      office: {
        id: "UM-GDN",
        name: "Urząd Miejski w Gdańsku",
        address: "ul. Nowe Ogrody 8/12, 80-803 Gdańsk",
        nip: "7781425636",
      },
      kiosk: { id: "KASA-7" },
      recipients: { MIASTO: { name: "Miasto Gdańsk", nrb: makeNrb("10205226", "0000111122223333") } },
      components: { SKAR: { label: { pl: "Opłata skarbowa" }, recipient: "MIASTO" } },
      slips: { trustedKeys: [{ kid: "um2027", publicKey: "um.pub.pem" }] },
      devices: {
        terminal: { protocol: "zvt", transport: { type: "serial", path: "/dev/ttyUSB0", baudRate: 9600 } },
        printer: { protocol: "escpos", transport: { type: "device", path: "/dev/usb/lp0" } },
        scanner: { type: "keyboard" },
        gpio: { backend: "sim" },
      },
    }),
  );
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("a configuration in SPEC §3's shape with the optional keys left out", () => {
  it("passes `oplatomat config check`", async () => {
    const checked = await oplatomat(["config", "check", file], { OPLATOMAT_CONFIG: "" });
    expect(checked.stderr).toBe("");
    expect(checked.code).toBe(0);
  });

  it("gets the defaults of every key it leaves out", () => {
    const config = loadConfig(file, {});
    expect(config.kiosk).toMatchObject({
      id: "KASA-7",
      timezone: "Europe/Warsaw",
      languages: ["pl", "en", "uk"],
      idleTimeoutSeconds: 60,
      mode: "unattended",
    });
    expect(config.devices.terminal).toMatchObject({ protocol: "zvt", password: "000000" });
    expect(config.devices.printer).toMatchObject({ protocol: "escpos", columns: 48 });
    expect(config.slips.offlinePolicy).toBe("refuse");
    expect(config.slips.trustedKeys[0]?.publicKey).toContain("BEGIN PUBLIC KEY");
    expect(config.handlingFee.amount).toBe(0);
    expect(config.server).toMatchObject({ host: "127.0.0.1", port: 8080 });
    expect(config.server.management).toBeUndefined();
    expect(config.catalog).toEqual([]);
  });
});
