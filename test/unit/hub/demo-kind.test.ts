/**
 * The demo's hub names the demo's device as what it is: `oplatomat demo --attended` runs a cash desk,
 * and the hub's fleet view and reports call it a desk, not a kiosk (found in the outside-in pass of
 * 2026-12-07: the attended demo's hub listed it as kind `kiosk`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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
});
