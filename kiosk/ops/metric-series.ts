/**
 * The kiosk's own metric series: counters, gauges and histograms that count without prom-client.
 * prom-client (with its default process metrics, the OpenTelemetry API and the pushgateway's https
 * and zlib) is loaded only when /metrics is first scraped (kiosk/ops/metrics.ts): a kiosk that is never
 * scraped never loads it, ~2-5 MB of the daemon (docs/benchmarks.md, "Memory and start-up, fourth pass").
 * Each series answers prom-client's metric protocol (`name`, `help`, `type`, `get()`), in the very shape
 * prom-client's own Counter, Gauge and Histogram give (label sets in the order first seen, histogram
 * buckets cumulative with `le` first), so the registry formats them exactly as it formatted those
 * (test/unit/ops/metric-series.test.ts holds the two texts equal).
 */
export type Labels = Readonly<Record<string, string>>;

/** One sample line as prom-client's registry formats it. */
export interface Sample {
  value: number;
  /** A histogram's bucket bound (`le`) is a number, written as prom-client writes it. */
  labels: Readonly<Record<string, string | number>>;
  metricName?: string;
  /** A histogram's own label set, written after `le`. */
  sharedLabels?: Labels;
}

export interface SeriesSnapshot {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  aggregator: "sum";
  values: Sample[];
}

/** A label set's key: its values in the order of the sorted label names (as prom-client hashes them). */
function keyOf(labels: Labels): string {
  const names = Object.keys(labels);
  if (names.length === 0) return "";
  return names
    .sort()
    .map((n) => `${n}:${labels[n]}`)
    .join(",");
}

function finite(value: number): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`Value is not a valid number: ${String(value)}`);
  }
  return value;
}

abstract class Series {
  readonly aggregator = "sum";
  abstract readonly type: SeriesSnapshot["type"];
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  protected abstract samples(): Sample[];
  get(): SeriesSnapshot {
    return { name: this.name, help: this.help, type: this.type, aggregator: "sum", values: this.samples() };
  }
}

/** A counter's or a gauge's values: one number per label set. */
abstract class ValueSeries extends Series {
  protected readonly values = new Map<string, { value: number; labels: Labels }>();

  /** A series without labels exists (at 0) from the start, as prom-client's does. */
  constructor(name: string, help: string, labelled: boolean) {
    super(name, help);
    if (!labelled) this.values.set("", { value: 0, labels: {} });
  }

  protected samples(): Sample[] {
    return [...this.values.values()].map(({ value, labels }) => ({ value, labels }));
  }
}

export class CounterSeries extends ValueSeries {
  readonly type = "counter";

  constructor(name: string, help: string, labelled = false) {
    super(name, help, labelled);
  }

  inc(by = 1, labels: Labels = {}): void {
    if (finite(by) < 0) throw new Error("It is not possible to decrease a counter");
    const key = keyOf(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { value: by, labels });
  }
}

export class GaugeSeries extends ValueSeries {
  readonly type = "gauge";

  /** `collect` runs at every scrape, before the values are read (a gauge read from the system). */
  constructor(
    name: string,
    help: string,
    labelled = false,
    private readonly collect?: (gauge: GaugeSeries) => void,
  ) {
    super(name, help, labelled);
  }

  set(value: number, labels: Labels = {}): void {
    this.values.set(keyOf(labels), { value: finite(value), labels });
  }

  override get(): SeriesSnapshot {
    this.collect?.(this);
    return super.get();
  }
}

interface HistogramEntry {
  labels: Labels;
  /** Observations per bucket (not cumulative), by the index of its upper bound. */
  buckets: number[];
  sum: number;
  count: number;
}

export class HistogramSeries extends Series {
  readonly type = "histogram";
  private readonly upperBounds: readonly number[];
  private readonly values = new Map<string, HistogramEntry>();

  constructor(name: string, help: string, buckets: readonly number[], labelled = false) {
    super(name, help);
    this.upperBounds = [...buckets].sort((a, b) => a - b);
    if (!labelled) this.values.set("", this.entry({}));
  }

  observe(value: number, labels: Labels = {}): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${String(value)}`);
    const key = keyOf(labels);
    let entry = this.values.get(key);
    if (!entry) {
      entry = this.entry(labels);
      this.values.set(key, entry);
    }
    entry.sum += value;
    entry.count += 1;
    const bucket = this.upperBounds.findIndex((bound) => value <= bound);
    if (bucket >= 0) entry.buckets[bucket] = (entry.buckets[bucket] ?? 0) + 1;
  }

  private entry(labels: Labels): HistogramEntry {
    return { labels, buckets: this.upperBounds.map(() => 0), sum: 0, count: 0 };
  }

  protected samples(): Sample[] {
    const bucketName = `${this.name}_bucket`;
    const out: Sample[] = [];
    for (const { labels, buckets, sum, count } of this.values.values()) {
      let cumulative = 0;
      this.upperBounds.forEach((le, i) => {
        cumulative += buckets[i] ?? 0;
        out.push({ labels: { le }, sharedLabels: labels, value: cumulative, metricName: bucketName });
      });
      out.push(
        { labels: { le: "+Inf" }, sharedLabels: labels, value: count, metricName: bucketName },
        { labels: {}, sharedLabels: labels, value: sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels: labels, value: count, metricName: `${this.name}_count` },
      );
    }
    return out;
  }
}

export type AnySeries = CounterSeries | GaugeSeries | HistogramSeries;
