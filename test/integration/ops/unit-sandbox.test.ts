/**
 * Issue 13: the daemon's unit is no less hardened than before, and its sandbox still lets the
 * daemon do its job: switch the status lights the example configurations name, write backups where
 * they say, and open the devices the udev rules prepare. Where this machine runs systemd, the
 * unit's own sandbox settings are applied with systemd-run and the writes are tried for real.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SYSTEMD_DIR, unitDirectives } from "../../helpers/systemd-unit.ts";

/** `systemd-analyze security --offline=yes` of systemd/oplatomat.service before issue 13. */
const EXPOSURE_BEFORE_ISSUE_13 = 2.1;
const UNIT = "oplatomat.service";
const unit = unitDirectives(UNIT);
const words = (name: string) => (unit.get(name) ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean);

/** Paths the daemon may write under ProtectSystem=strict: ReadWritePaths and its state directories. */
function writablePaths(): string[] {
  const rw = words("ReadWritePaths").map((p) => p.replace(/^-/, ""));
  const state = words("StateDirectory").map((d) => path.join("/var/lib", d));
  return [...rw, ...state];
}
const isWritable = (p: string) => writablePaths().some((w) => p === w || p.startsWith(`${w}/`));

interface ExampleConfig {
  storage?: { backup?: { directory: string } };
  devices: { gpio: { backend: string; lights?: Record<string, string> } };
}
const examples = fs
  .readdirSync("config/examples")
  .filter((f) => f.endsWith(".yaml") && f !== "hub.yaml")
  .map((f) => [f, parse(fs.readFileSync(path.join("config/examples", f), "utf8")) as ExampleConfig] as const);

const udevRules = fs
  .readFileSync(path.join(SYSTEMD_DIR, "70-oplatomat.rules"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "" && !l.startsWith("#"));

/** udev's KERNEL== glob (`*` and `?` suffice for our rules). */
const globMatches = (glob: string, name: string) =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  ).test(name);

describe("the daemon unit's sandbox", () => {
  it(`is rated no worse by systemd-analyze security than before issue 13 (${EXPOSURE_BEFORE_ISSUE_13})`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-unit-"));
    try {
      fs.copyFileSync(path.join(SYSTEMD_DIR, UNIT), path.join(dir, UNIT));
      const run = spawnSync("systemd-analyze", ["security", "--offline=yes", UNIT], {
        cwd: dir,
        encoding: "utf8",
      });
      const level = /Overall exposure level for oplatomat\.service: (\d+\.\d+)/.exec(run.stdout)?.[1];
      expect(level, run.stdout + run.stderr).toBeDefined();
      expect(Number(level)).toBeLessThanOrEqual(EXPOSURE_BEFORE_ISSUE_13);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lets the daemon reach loopback and the office's private networks, and drops every other address", () => {
    expect(unit.get("IPAddressDeny")).toEqual(["any"]);
    expect(words("IPAddressAllow")).toEqual(["localhost", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]);
  });

  it("lets the daemon write backups where the example configurations put them", () => {
    const backups = examples.flatMap(([f, c]) =>
      c.storage?.backup ? [[f, c.storage.backup.directory]] : [],
    );
    expect(backups.length).toBeGreaterThan(0);
    expect(unit.get("ProtectSystem")).toEqual(["strict"]);
    // A relative backup directory is inside the daemon's --data directory (kiosk/main.ts).
    const dataDir =
      /--data\s+(\S+)/.exec((unit.get("ExecStart") ?? []).join(" "))?.[1] ?? "/var/lib/oplatomat";
    for (const [file, directory] of backups) {
      const absolute = path.isAbsolute(directory as string)
        ? (directory as string)
        : path.join(dataDir, directory as string);
      expect(isWritable(absolute), file).toBe(true);
    }
  });

  it("lets udev hand the example configurations' lights to the daemon, and the unit write them under ProtectKernelTunables", () => {
    expect(unit.get("ProtectKernelTunables")).toEqual(["yes"]);
    const ledRule = udevRules.find((r) => r.includes('SUBSYSTEM=="leds"')) as string;
    const glob = /KERNEL=="([^"]+)"/.exec(ledRule)?.[1] as string;
    for (const file of ["brightness", "trigger"]) {
      expect(ledRule).toMatch(new RegExp(`chgrp oplatomat[^"]*/sys%p/${file}`));
      expect(ledRule).toMatch(new RegExp(`chmod g\\+w[^"]*/sys%p/${file}`));
    }
    const lights = examples.flatMap(([, c]) => Object.values(c.devices.gpio.lights ?? {}));
    expect(lights.length).toBeGreaterThan(0);
    for (const name of lights) expect(globMatches(glob, name), `${name} vs ${glob}`).toBe(true);
    // gpio-leds, the LED controller of the Raspberry Pi and most boards.
    expect(isWritable("/sys/devices/platform/leds/leds/kiosk:green:status")).toBe(true);
    // And the lights this machine has, where it has any: their real directories must be writable.
    const classDir = "/sys/class/leds";
    const here = fs.existsSync(classDir) ? fs.readdirSync(classDir).filter((n) => globMatches(glob, n)) : [];
    for (const name of here) expect(isWritable(fs.realpathSync(path.join(classDir, name))), name).toBe(true);
  });

  it("allows exactly the device classes the udev rules prepare for the daemon", () => {
    const allowed = unit.get("DeviceAllow") ?? [];
    const needs: Record<string, string[]> = {
      tty: ["char-ttyUSB rw", "char-ttyACM rw"],
      usbmisc: ["char-usbmisc rw"],
      hidraw: ["char-hidraw rw"],
    };
    for (const rule of udevRules.filter((r) => r.includes('GROUP="oplatomat"'))) {
      const subsystem = /SUBSYSTEM=="([^"]+)"/.exec(rule)?.[1] as string;
      const link = /SYMLINK\+="([^"]+)"/.exec(rule)?.[1];
      if (subsystem === "input") {
        // Only the door switch and service key; the QR reader's keyboard node is hidden, not read.
        if (link) expect(allowed, rule).toContain(`/dev/${link} r`);
        continue;
      }
      for (const need of needs[subsystem] ?? [`(no rule for ${subsystem})`])
        expect(allowed, rule).toContain(need);
    }
    expect(allowed.filter((a) => a.startsWith("char-input") || a.startsWith("char-gpiochip"))).toEqual([]);
  });
});

/** systemd-run needs a running system manager, which containers and CI runners often lack. */
function systemdManager(): string | null {
  const state = spawnSync("systemctl", ["is-system-running"], { encoding: "utf8" }).stdout?.trim();
  if (process.getuid?.() !== 0) return "not root";
  return state === "running" || state === "degraded" ? null : `systemd is ${state || "absent"} here`;
}
const noManager = systemdManager();

describe.skipIf(noManager !== null)(
  `the unit's sandbox applied by systemd-run (${noManager ?? "runs"})`,
  () => {
    it("lets a process write the backup directory and the lights, and nothing else under /var", () => {
      const sandbox = [
        "ProtectSystem",
        "ProtectKernelTunables",
        "ProtectHome",
        "PrivateTmp",
        "ReadWritePaths",
        "StateDirectory",
        "DevicePolicy",
        "DeviceAllow",
        "NoNewPrivileges",
      ].flatMap((name) => (unit.get(name) ?? []).flatMap((v) => ["-p", `${name}=${v}`]));
      const leds = fs.existsSync("/sys/class/leds") ? fs.readdirSync("/sys/class/leds") : [];
      const script = [
        "set -e",
        "mkdir -p /var/lib/oplatomat/backups && touch /var/lib/oplatomat/backups/probe && rm /var/lib/oplatomat/backups/probe",
        "if touch /var/probe-outside 2>/dev/null; then rm /var/probe-outside; echo outside-writable; exit 3; fi",
        ...leds
          .filter((n) => n.startsWith("kiosk:"))
          .map((n) => `cat /sys/class/leds/${n}/brightness > /sys/class/leds/${n}/brightness`),
      ].join("\n");
      const run = spawnSync(
        "systemd-run",
        ["--wait", "--pipe", "--collect", "--quiet", ...sandbox, "/bin/sh", "-c", script],
        { encoding: "utf8" },
      );
      expect(run.status, run.stdout + run.stderr).toBe(0);
    });
  },
);
