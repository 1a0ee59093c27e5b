/**
 * Issue 19.5 and 19.8 on the files an office installs and the commands it runs: the installed
 * configuration enables backups inside the data directory; its light names are the ones the udev
 * rule opens to the daemon; README, install.sh and the unit name the same configuration file;
 * install.sh says whether espeak-ng is there; `service hash-pin -h` and `sim printer --pty` help.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { oplatomat } from "../../helpers/cli-daemon.ts";

const INSTALLED = path.resolve("config/examples/serial-terminal.yaml");
const installed = parse(fs.readFileSync(INSTALLED, "utf8")) as {
  storage: { path: string; backup?: { directory: string; intervalMinutes: number; keep: number } };
  devices: { gpio: { lights?: Record<string, string> } };
};

describe("the installed configuration", () => {
  it("is the one install.sh installs, and it enables backups in a directory under --data", () => {
    expect(fs.readFileSync("scripts/install.sh", "utf8")).toContain(
      'put "$SRC/config/examples/serial-terminal.yaml" "$CONF_DIR/config.yaml"',
    );
    const backup = installed.storage.backup;
    expect(backup).toBeDefined();
    expect(path.isAbsolute(backup?.directory ?? "/")).toBe(false);
    expect(backup?.keep).toBeGreaterThan(1);
  });

  it("names its lights so that the udev rule lets the daemon switch them", () => {
    const rule = fs
      .readFileSync("systemd/70-oplatomat.rules", "utf8")
      .split("\n")
      .find((l) => l.includes('SUBSYSTEM=="leds"'));
    const glob = /KERNEL=="([^"]+)"/.exec(rule ?? "")?.[1] ?? "";
    const pattern = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    const lights = Object.values(installed.devices.gpio.lights ?? {});
    expect(lights.length).toBeGreaterThan(0);
    for (const name of lights) expect(name).toMatch(pattern);
  });

  it("has one name in the README, install.sh and the systemd unit", () => {
    const readme = fs.readFileSync("README.md", "utf8");
    const unit = fs.readFileSync("systemd/oplatomat.service", "utf8");
    const named = new Set(
      [readme, unit].flatMap((t) => [...t.matchAll(/\/etc\/oplatomat\/([a-z.-]+\.yaml)/g)].map((m) => m[1])),
    );
    expect([...named]).toEqual(["config.yaml"]);
  });
});

describe("install.sh and small commands", () => {
  it("install.sh says whether espeak-ng is installed", () => {
    const run = spawnSync(
      "bash",
      ["scripts/install.sh", "--dry-run", "--root", "/nonexistent-root", "--no-npm"],
      {
        encoding: "utf8",
      },
    );
    const present = spawnSync("bash", ["-c", "command -v espeak-ng"]).status === 0;
    expect(run.stdout).toContain(present ? "found: espeak-ng" : "warning: espeak-ng is not installed");
  });

  it("service hash-pin -h prints its help and exits 0", async () => {
    const run = await oplatomat(["service", "hash-pin", "-h"]);
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toContain("Usage: echo PIN | oplatomat service hash-pin");
  });

  it("sim printer --pty says it needs an existing pty", async () => {
    const help = await oplatomat(["sim", "printer", "--help"]);
    expect(help.stdout.toString()).toMatch(/existing pty/);
    const run = await oplatomat(["sim", "printer", "--pty", "/tmp/opl-no-such-pty"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/does not exist; --pty needs an existing pty/);
  });
});
