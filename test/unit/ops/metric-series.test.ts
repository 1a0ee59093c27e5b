/**
 * The kiosk's own series (kiosk/ops/metric-series.ts) stand in for prom-client's Counter, Gauge and
 * Histogram until /metrics is first scraped and are then formatted by prom-client's registry: the text
 * must be exactly what prom-client's own metrics give for the same calls, label order, bucket bounds,
 * default labels and all.
 */
import { Counter, Gauge, Histogram, type Metric, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../kiosk/integrations/fake-server.ts";
import { CounterSeries, GaugeSeries, HistogramSeries } from "../../../kiosk/ops/metric-series.ts";

const BUCKETS = [10, 20, 30, 45, 60, 90, 120, 180, 300];

/** The same random calls on prom-client's metrics and on ours; both registries' texts. */
async function bothTexts(seed: number, defaultLabels?: Record<string, string>): Promise<[string, string]> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const theirs = new Registry();
  const ours = new Registry();
  if (defaultLabels) {
    theirs.setDefaultLabels(defaultLabels);
    ours.setDefaultLabels(defaultLabels);
  }
  const registers = [theirs];
  const c = new Counter({ name: "c_total", help: "plain counter", registers });
  const cl = new Counter({ name: "cl_total", help: "labelled", labelNames: ["device", "code"], registers });
  const g = new Gauge({ name: "g", help: 'gauge with "quotes" and \\ slash', registers });
  const gl = new Gauge({ name: "gl", help: "labelled gauge", labelNames: ["state"], registers });
  const h = new Histogram({ name: "h_seconds", help: "histogram", buckets: BUCKETS, registers });
  const hl = new Histogram({
    name: "hl",
    help: "labelled",
    buckets: [0.5, 1, 2.5],
    labelNames: ["kind"],
    registers,
  });
  const oc = new CounterSeries("c_total", "plain counter");
  const ocl = new CounterSeries("cl_total", "labelled", true);
  const og = new GaugeSeries("g", 'gauge with "quotes" and \\ slash');
  const ogl = new GaugeSeries("gl", "labelled gauge", true);
  const oh = new HistogramSeries("h_seconds", "histogram", BUCKETS);
  const ohl = new HistogramSeries("hl", "labelled", [0.5, 1, 2.5], true);
  for (const s of [oc, ocl, og, ogl, oh, ohl]) ours.registerMetric(s as unknown as Metric);

  for (let i = 0; i < 400; i++) {
    const n = Math.floor(random() * 1000) / (random() < 0.5 ? 1 : 8);
    switch (Math.floor(random() * 6)) {
      case 0:
        c.inc(n);
        oc.inc(n);
        break;
      case 1: {
        const labels = { device: pick(["terminal", "printer"]), code: pick(["a", "b", 'q"\n']) };
        // Either order of the label object's keys: the set is the same series.
        const given = random() < 0.5 ? labels : { code: labels.code, device: labels.device };
        cl.inc(given, n);
        ocl.inc(n, given);
        break;
      }
      case 2:
        g.set(n - 500);
        og.set(n - 500);
        break;
      case 3: {
        const labels = { state: pick(["ok", "near_end", "out"]) };
        gl.set(labels, n);
        ogl.set(n, labels);
        break;
      }
      case 4: {
        const v = pick([0, 10, 10.000001, 45, 299.9, 300, 301, n / 3]);
        h.observe(v);
        oh.observe(v);
        break;
      }
      default: {
        const labels = { kind: pick(["x", "y"]) };
        const v = pick([0.5, 1, 3, n / 700]);
        hl.observe(labels, v);
        ohl.observe(v, labels);
      }
    }
  }
  return [await theirs.metrics(), await ours.metrics()];
}

describe("the kiosk's metric series", () => {
  it("format exactly as prom-client's own metrics after the same calls", async () => {
    for (const seed of [1, 2, 3]) {
      const [theirs, ours] = await bothTexts(seed);
      expect(ours).toBe(theirs);
      expect(ours).toContain('h_seconds_bucket{le="+Inf"}');
    }
  });

  it("format exactly as prom-client's with the registry's default labels", async () => {
    const [theirs, ours] = await bothTexts(4, { office: "PZ1465", kiosk: "k1" });
    expect(ours).toBe(theirs);
    expect(ours).toContain('office="PZ1465"');
  });

  it("list unlabelled series at 0 before any call, labelled ones only once used", async () => {
    const registry = new Registry();
    for (const s of [
      new CounterSeries("a_total", "a"),
      new CounterSeries("b_total", "b", true),
      new HistogramSeries("h", "h", [1]),
    ])
      registry.registerMetric(s as unknown as Metric);
    expect(await registry.metrics()).toBe(
      [
        "# HELP a_total a\n# TYPE a_total counter\na_total 0",
        "# HELP b_total b\n# TYPE b_total counter",
        '# HELP h h\n# TYPE h histogram\nh_bucket{le="1"} 0\nh_bucket{le="+Inf"} 0\nh_sum 0\nh_count 0\n',
      ].join("\n\n"),
    );
  });

  it("refuse what prom-client refuses: a counter going down, a value that is not a number", () => {
    expect(() => new CounterSeries("a", "a").inc(-1)).toThrow("not possible to decrease");
    expect(() => new GaugeSeries("g", "g").set(Number.NaN)).toThrow(TypeError);
    expect(() => new HistogramSeries("h", "h", [1]).observe(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });

  it("read a gauge's value from its collect hook at each scrape", async () => {
    let reading = 5;
    const gauge = new GaugeSeries("free", "free", false, (g) => g.set(reading));
    expect(gauge.get().values).toEqual([{ value: 5, labels: {} }]);
    reading = 7;
    expect(gauge.get().values).toEqual([{ value: 7, labels: {} }]);
  });
});
