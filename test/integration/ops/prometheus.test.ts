import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createHubMetrics } from "../../../hub/ops/metrics.ts";
import { KioskMetrics } from "../../../kiosk/ops/metrics.ts";

const DIR = path.resolve("ops/prometheus");
const RULES = path.join(DIR, "oplatomat.rules.yml");
const TESTS = path.join(DIR, "oplatomat.rules.test.yml");
const DASHBOARD = path.resolve("ops/grafana/oplatomat-fleet.json");
const HUB_RULES = path.join(DIR, "oplatomat-hub.rules.yml");
const HUB_TESTS = path.join(DIR, "oplatomat-hub.rules.test.yml");

interface RuleFile {
  groups: Array<{ rules: Array<{ alert?: string; record?: string; expr: string }> }>;
}
interface TestFile {
  tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
}

function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync("promtool", args, { cwd: DIR, encoding: "utf8" });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const rulesOf = (file: string) =>
  (parse(fs.readFileSync(path.resolve(DIR, file), "utf8")) as RuleFile).groups.flatMap((g) => g.rules);
const rules = rulesOf(RULES);

/** Every oplatomat_* metric a registry's text declares (histograms with their series suffixes). */
function declaredNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (oplatomat_[a-z_]+) (\w+)$/gm)) {
    const [, name = "", type] = match;
    names.add(name);
    if (type === "histogram") for (const s of ["_bucket", "_sum", "_count"]) names.add(name + s);
  }
  return names;
}

/** Every oplatomat_* metric the daemon declares. */
async function exportedNames(): Promise<Set<string>> {
  const metrics = new KioskMetrics({ devices: ["terminal"], destinations: ["pik"], storagePath: "." });
  return declaredNames(await metrics.text());
}

/** Every oplatomat_hub_* metric the hub declares. */
async function hubExportedNames(): Promise<Set<string>> {
  const metrics = createHubMetrics({ openDays: async () => [], databaseUp: async () => true });
  return declaredNames(await metrics.registry.metrics());
}

/** Each alert of a rules file has a promtool case where it fires and one where it stays quiet. */
function expectFiringAndQuietCases(alerts: Array<{ alert?: string }>, testsFile: string): void {
  const cases = (parse(fs.readFileSync(path.resolve(DIR, testsFile), "utf8")) as TestFile).tests.flatMap(
    (t) => t.alert_rule_test ?? [],
  );
  for (const rule of alerts) {
    if (!rule.alert) continue;
    const mine = cases.filter((c) => c.alertname === rule.alert);
    expect(
      mine.some((c) => (c.exp_alerts ?? []).length > 0),
      `${rule.alert} fires somewhere`,
    ).toBe(true);
    expect(
      mine.some((c) => (c.exp_alerts ?? []).length === 0),
      `${rule.alert} stays quiet somewhere`,
    ).toBe(true);
  }
}

describe("alert rules", () => {
  it("are valid for promtool", () => {
    const check = promtool("check", "rules", RULES);
    expect(check.output).toContain("SUCCESS");
    expect(check.status).toBe(0);
  });

  it("cover what the issue asks for", () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        "OplatomatKioskDown",
        "OplatomatTerminalOffline",
        "OplatomatPaperLow",
        "OplatomatPaperOut",
        "OplatomatOutboxStuck",
        "OplatomatNoPaymentInOfficeHours",
        "OplatomatDoorOpen",
        "OplatomatDiskLow",
      ]),
    );
  });

  it("each have a unit test where they fire and one where they stay quiet", () => {
    expectFiringAndQuietCases(rules, TESTS);
  });

  it("pass promtool test rules", () => {
    const run = promtool("test", "rules", TESTS);
    expect(run.output).toContain("SUCCESS");
    expect(run.status).toBe(0);
  });

  it("and the Grafana dashboard only use metrics the daemon exports", async () => {
    const exported = await exportedNames();
    const dashboard = fs.readFileSync(DASHBOARD, "utf8");
    const used = new Set(
      [...rules.map((r) => r.expr), dashboard].flatMap((text) => text.match(/oplatomat_[a-z_]+/g) ?? []),
    );
    for (const name of used) expect(exported, name).toContain(name);
  });
});

describe("hub alert rules", () => {
  const hubRules = rulesOf(HUB_RULES);

  it("are valid for promtool", () => {
    const check = promtool("check", "rules", HUB_RULES);
    expect(check.output).toContain("SUCCESS");
    expect(check.status).toBe(0);
  });

  it("cover the fleet alerts of the hub issue", () => {
    expect(hubRules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        "OplatomatHubDeviceSilent",
        "OplatomatHubDeviceOutOfOrder",
        "OplatomatHubOutboxGrowing",
        "OplatomatHubDayNotClosed",
      ]),
    );
  });

  it("each have a unit test where they fire and one where they stay quiet", () => {
    expectFiringAndQuietCases(hubRules, HUB_TESTS);
  });

  it("pass promtool test rules (Warsaw time in winter and summer)", () => {
    const run = promtool("test", "rules", HUB_TESTS);
    expect(run.output).toContain("SUCCESS");
    expect(run.status).toBe(0);
  });

  it("only use metrics the hub exports (recording rules aside)", async () => {
    const exported = await hubExportedNames();
    const recorded = new Set(hubRules.flatMap((r) => (r.record ? [r.record] : [])));
    const used = new Set(hubRules.flatMap((r) => r.expr.match(/oplatomat_hub[a-z_:]*/g) ?? []));
    for (const name of used) if (!recorded.has(name)) expect(exported, name).toContain(name);
  });
});

describe("Grafana dashboard", () => {
  it("parses, filters by office and kiosk, and has fleet, office and kiosk sections", () => {
    const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, "utf8")) as {
      templating: { list: Array<{ name: string }> };
      panels: Array<{ type: string; title: string; id: number; targets?: Array<{ expr: string }> }>;
    };
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(["datasource", "office", "kiosk"]);
    expect(dashboard.panels.filter((p) => p.type === "row").map((p) => p.title)).toEqual([
      "Fleet",
      "Per office",
      "Per kiosk",
    ]);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels.filter((p) => p.type !== "row")) {
      for (const target of panel.targets ?? [])
        expect(target.expr, panel.title).toMatch(/office=~"\$office"/);
    }
  });
});
