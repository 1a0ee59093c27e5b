/**
 * The demo's hub names the demo's device as what it is: `oplatomat demo --attended` runs a cash desk,
 * and the hub's fleet view and reports call it a desk, not a kiosk (found in the outside-in pass of
 * 2026-12-07: the attended demo's hub listed it as kind `kiosk`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { ROOT } from "../../../contracts/install-layout.ts";
import { demoHubConfig } from "../../../hub/demo.ts";
import { demoHubArgs } from "../../../kiosk/demo-hub.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("the demo hub's device kind", () => {
  it("is a desk when the demo runs the attended cash desk, a kiosk otherwise", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-demo-kind-"));
    dirs.push(dir);
    const desk = await demoHubConfig(dir, 0, "desk");
    expect(desk.config.devices.map((d) => d.kind)).toEqual(["desk"]);
    const kiosk = await demoHubConfig(dir, 0);
    expect(kiosk.config.devices.map((d) => d.kind)).toEqual(["kiosk"]);
  });

  it("is passed to `oplatomat hub demo` on its command line", () => {
    expect(demoHubArgs({ dataDir: "/d", kind: "desk" }).slice(-2)).toEqual(["--kind", "desk"]);
    expect(demoHubArgs({ dataDir: "/d" }).slice(-2)).toEqual(["--kind", "kiosk"]);
  });
  it("pays out from the account the demo kiosk's Elixir-O file orders from: the handling fee's recipient", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-demo-payer-"));
    dirs.push(dir);
    const kiosk = parseDocument(fs.readFileSync(path.join(ROOT, "config", "demo.yaml"), "utf8")).toJS() as {
      recipients: Record<string, { nrb: string }>;
      handlingFee: { recipient: string };
    };
    const { config } = await demoHubConfig(dir, 0);
    // Before: 10109010140000000146519999, an account of no recipient, so the hub's file paid the
    // operator its fees (6,00 zł for three payments) and the kiosk's did not.
    expect(config.bank.payerNrb).toBe(kiosk.recipients[kiosk.handlingFee.recipient]?.nrb);
  });
});
