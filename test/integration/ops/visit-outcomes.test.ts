/**
 * `oplatomat_payments_total{outcome}` on the running demo daemon counts the visits that ended without
 * money, not only the terminal's results: a visitor's cancel on the summary (`cancelled`, the label a
 * cancel at the terminal already had), a summary left until the inactivity time-out (`timed_out`), and
 * a summary the kiosk ended by going out of order (`out_of_order`). Before, only an abort at the
 * terminal was `cancelled`, and the other two were never counted (outside-in pass, 2026-12-07).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimKioskIo } from "../../../devices/gpio/sim.ts";
import { type Demo, startDemo } from "../../../kiosk/demo.ts";
import { sample } from "../../helpers/metrics-text.ts";
import { until } from "../../helpers/cli-daemon.ts";

/** The schema's shortest inactivity time-out (config/schema.json), so the test waits as little as it can. */
const IDLE_SECONDS = 10;

let demo: Demo | undefined;
let dataDir = "";

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-visit-outcomes-"));
  demo = await startDemo({
    port: 0,
    dataDir,
    quiet: true,
    terminalDelayMs: 0,
    idleTimeoutSeconds: IDLE_SECONDS,
    logFile: path.join(dataDir, "daemon.log"),
  });
});

afterAll(async () => {
  await demo?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const url = () => demo?.url as string;
const metricsText = async (): Promise<string> => (await fetch(`${url()}/metrics`)).text();
const outcomes = async (): Promise<Record<string, number | undefined>> => {
  const text = await metricsText();
  const of = (outcome: string) => sample(text, `oplatomat_payments_total{outcome="${outcome}"}`);
  return {
    approved: of("approved"),
    declined: of("declined"),
    cancelled: of("cancelled"),
    timed_out: of("timed_out"),
    out_of_order: of("out_of_order"),
  };
};

async function post(route: string, body: unknown = {}): Promise<Response> {
  return fetch(`${url()}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function scanToSummary(): Promise<void> {
  const scan = await post("/api/scan", { payload: demo?.sampleSlips[0]?.payload as string });
  expect(scan.status).toBe(200);
  expect(((await scan.json()) as { state: string }).state).toBe("summary");
}

describe("visits that ended without money on /metrics (demo daemon)", () => {
  it("counts a visitor's cancel, a time-out and an out-of-order end, each once, by its own outcome", async () => {
    await until(async () => ((await fetch(`${url()}/ready`)).status === 200 ? true : undefined), "ready");
    // Known from the start, so a rate over them works before the first one (metrics.ts).
    expect(await outcomes()).toEqual({
      approved: 0,
      declined: 0,
      cancelled: 0,
      timed_out: 0,
      out_of_order: 0,
    });

    await scanToSummary();
    expect((await post("/api/session/cancel")).status).toBe(200);
    expect(await outcomes()).toEqual({
      approved: 0,
      declined: 0,
      cancelled: 1,
      timed_out: 0,
      out_of_order: 0,
    });
    // A second cancel on the start screen ends no visit.
    expect((await post("/api/session/cancel")).status).toBe(200);
    expect((await outcomes()).cancelled).toBe(1);

    await scanToSummary();
    const timedOut = await until(
      async () => ((await outcomes()).timed_out === 1 ? outcomes() : undefined),
      "the summary's time-out on /metrics",
      (IDLE_SECONDS + 10) * 1000,
    );
    expect(timedOut).toEqual({ approved: 0, declined: 0, cancelled: 1, timed_out: 1, out_of_order: 0 });

    await scanToSummary();
    const io = demo?.daemon.kiosk.devices.gpio as SimKioskIo;
    io.setDoor(true);
    try {
      const broken = await until(
        async () => ((await outcomes()).out_of_order === 1 ? outcomes() : undefined),
        "the out-of-order end on /metrics",
      );
      expect(broken).toEqual({ approved: 0, declined: 0, cancelled: 1, timed_out: 1, out_of_order: 1 });
    } finally {
      io.setDoor(false);
    }

    const check = spawnSync("promtool", ["check", "metrics"], {
      input: await metricsText(),
      encoding: "utf8",
    });
    expect(check.error).toBeUndefined();
    expect(`${check.stdout}${check.stderr}`.trim()).toBe("");
  }, 60_000);
});
