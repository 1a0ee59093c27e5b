import { spawnSync } from "node:child_process";
import os from "node:os";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { KioskMetrics, metricsRoutes } from "../../../kiosk/ops/metrics.ts";
import { sample } from "../../helpers/metrics-text.ts";

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(metrics: KioskMetrics): Promise<string> {
  app = Fastify();
  await app.register(metricsRoutes, { metrics });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

describe("/metrics", () => {
  it("counts a finished payment, its amount, its time and its duration", async () => {
    const metrics = new KioskMetrics({ defaultMetrics: false, devices: ["terminal", "printer"] });
    const base = await serve(metrics);
    metrics.paymentFinished("approved", 16000, 42, new Date("2026-11-25T10:00:00Z"));
    metrics.paymentFinished("declined", 0, 30);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(sample(text, 'oplatomat_payments_total{outcome="approved"}')).toBe(1);
    expect(sample(text, 'oplatomat_payments_total{outcome="declined"}')).toBe(1);
    expect(sample(text, 'oplatomat_payments_total{outcome="unknown"}')).toBe(0);
    expect(sample(text, "oplatomat_payment_amount_grosze_total")).toBe(16000);
    expect(sample(text, "oplatomat_last_payment_timestamp_seconds")).toBe(1795600800);
    expect(sample(text, "oplatomat_session_duration_seconds_count")).toBe(2);
    expect(sample(text, "oplatomat_session_duration_seconds_sum")).toBe(72);
  });

  it("shows paper out one-hot, device state, errors, outbox and door", async () => {
    const metrics = new KioskMetrics({
      defaultMetrics: false,
      devices: ["terminal", "printer"],
      destinations: ["pik"],
    });
    metrics.printerPaper("out");
    metrics.deviceState("terminal", true);
    metrics.deviceError("printer", "paper_out");
    metrics.deviceError("printer", "Weird Code!");
    metrics.outbox("pik", 3, 125);
    metrics.door(true);
    const text = await metrics.text();
    expect(sample(text, 'oplatomat_printer_paper{state="out"}')).toBe(1);
    expect(sample(text, 'oplatomat_printer_paper{state="ok"}')).toBe(0);
    expect(sample(text, 'oplatomat_printer_paper{state="near_end"}')).toBe(0);
    expect(sample(text, 'oplatomat_device_up{device="terminal"}')).toBe(1);
    expect(sample(text, 'oplatomat_device_up{device="printer"}')).toBe(0);
    expect(sample(text, 'oplatomat_device_errors_total{device="printer",code="paper_out"}')).toBe(1);
    expect(sample(text, 'oplatomat_device_errors_total{device="printer",code="other"}')).toBe(1);
    expect(sample(text, 'oplatomat_outbox_backlog{destination="pik"}')).toBe(3);
    expect(sample(text, 'oplatomat_outbox_oldest_age_seconds{destination="pik"}')).toBe(125);
    expect(sample(text, "oplatomat_door_open")).toBe(1);
    metrics.outbox("pik", 0, 125);
    expect(sample(await metrics.text(), 'oplatomat_outbox_oldest_age_seconds{destination="pik"}')).toBe(0);
    expect(sample(text, "oplatomat_outbox_pruned_total")).toBe(0);
    metrics.outboxPruned(500);
    metrics.outboxPruned(23);
    metrics.outboxPruned(0);
    expect(sample(await metrics.text(), "oplatomat_outbox_pruned_total")).toBe(523);
  });

  it("shows at the first scrape what was counted before it, then keeps counting", async () => {
    // prom-client is loaded at the first scrape (kiosk/ops/metrics.ts); the kiosk counts before that.
    const metrics = new KioskMetrics({
      devices: ["terminal"],
      destinations: ["pik"],
      labels: { kiosk: "k1" },
    });
    metrics.paymentFinished("approved", 16000, 15);
    metrics.paymentFinished("approved", 2500, 400);
    metrics.deviceState("terminal", true);
    metrics.deviceError("terminal", "timeout");
    metrics.outbox("pik", 2, 30, 1);
    metrics.alarms.backup({ ok: false, at: new Date() });
    const base = await serve(metrics);
    const first = await (await fetch(`${base}/metrics`)).text();
    expect(sample(first, 'oplatomat_payments_total{outcome="approved",kiosk="k1"}')).toBe(2);
    expect(sample(first, 'oplatomat_payment_amount_grosze_total{kiosk="k1"}')).toBe(18500);
    expect(sample(first, 'oplatomat_session_duration_seconds_bucket{le="20",kiosk="k1"}')).toBe(1);
    expect(sample(first, 'oplatomat_session_duration_seconds_bucket{le="+Inf",kiosk="k1"}')).toBe(2);
    expect(sample(first, 'oplatomat_session_duration_seconds_sum{kiosk="k1"}')).toBe(415);
    expect(sample(first, 'oplatomat_device_up{device="terminal",kiosk="k1"}')).toBe(1);
    expect(sample(first, 'oplatomat_device_errors_total{device="terminal",code="timeout",kiosk="k1"}')).toBe(
      1,
    );
    expect(sample(first, 'oplatomat_outbox_parked{destination="pik",kiosk="k1"}')).toBe(1);
    expect(sample(first, 'oplatomat_backup_failures_total{kiosk="k1"}')).toBe(1);
    // The default process metrics start at that scrape and already show a measured loop delay.
    expect(sample(first, 'nodejs_eventloop_lag_min_seconds{kiosk="k1"}')).toBeLessThan(1);
    metrics.paymentFinished("declined", 0, 20);
    const second = await (await fetch(`${base}/metrics`)).text();
    expect(sample(second, 'oplatomat_payments_total{outcome="declined",kiosk="k1"}')).toBe(1);
    expect(sample(second, 'oplatomat_session_duration_seconds_count{kiosk="k1"}')).toBe(3);
  });

  it("counts a payment recovery decided after a restart without putting a made-up duration in the histogram", async () => {
    // Recovery does not know how long the payment spent at the terminal (kiosk/flow/recovery.ts); it
    // used to report 0 s, which pulled the histogram's low buckets down.
    const metrics = new KioskMetrics({ defaultMetrics: false });
    metrics.paymentFinished("unknown", 0, undefined);
    metrics.paymentFinished("declined", 0, 20);
    const text = await (await fetch(`${await serve(metrics)}/metrics`)).text();
    expect(sample(text, 'oplatomat_payments_total{outcome="unknown"}')).toBe(1);
    expect(sample(text, "oplatomat_session_duration_seconds_count")).toBe(1);
    expect(sample(text, "oplatomat_session_duration_seconds_sum")).toBe(20);
  });

  it("refuses a non-integer amount instead of rounding money", () => {
    const metrics = new KioskMetrics({ defaultMetrics: false });
    expect(() => metrics.paymentFinished("approved", 160.5, 1)).toThrow(RangeError);
  });

  it("is accepted by promtool check metrics, default process metrics and storage included", async () => {
    const metrics = new KioskMetrics({
      devices: ["terminal", "printer", "scanner", "gpio"],
      destinations: ["pik", "settlement"],
      storagePath: os.tmpdir(),
    });
    metrics.paymentFinished("approved", 5000, 12);
    const base = await serve(metrics);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain("process_cpu_seconds_total");
    expect(sample(text, "oplatomat_storage_free_bytes")).toBeGreaterThan(0);
    const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(check.error).toBeUndefined();
    expect(`${check.stdout}${check.stderr}`.trim()).toBe("");
    expect(check.status).toBe(0);
  });
});
