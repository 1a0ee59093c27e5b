/**
 * `npm run bench`: the SPEC §8 figures, one line each (`name value unit`), and bench/results.json.
 * Payments run through the real daemon (`oplatomat start` in a child process) against the ZVT and
 * ESC/POS simulators and the fake receivers with zero latency, so a figure is the kiosk's own cost.
 * A figure whose part is missing or fails is reported as missing, never invented.
 * BENCH_PAYMENTS (default 10 000) and BENCH_SCANS (default 100) shorten a trial run.
 * `npm run bench -- hub report` runs only those groups (ui, kiosk, report, zvt, hub) and updates their
 * figures in bench/results.json, keeping the others. The load average is printed and recorded at the
 * start and the end: the figures are wall-clock times on a machine that may be shared.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import zlib from "node:zlib";
import { chromium, type Page } from "playwright-core";
import { seededRandom } from "../../kiosk/integrations/fake-server.ts";
import { type Daemon, issueSlip, type Launch, type Rig, startDaemon, startRig } from "../crash/rig.ts";
import { request as http } from "./http-client.ts";

interface Figure {
  name: string;
  value: number | null;
  unit: string;
  /** Why a figure could not be measured. */
  missing?: string;
}

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const PAYMENTS = Number(process.env["BENCH_PAYMENTS"] ?? 10_000);
const OVERHEAD_SAMPLE = Math.min(1_000, PAYMENTS);
const SCANS = Number(process.env["BENCH_SCANS"] ?? 100);
const figures: Figure[] = [];
const GROUPS = ["ui", "kiosk", "report", "zvt", "hub"] as const;
type Group = (typeof GROUPS)[number];
const asked = process.argv.slice(2);
for (const a of asked)
  if (!(GROUPS as readonly string[]).includes(a))
    throw new Error(`unknown bench group ${a} (${GROUPS.join(", ")})`);
/** Whether this run measures `group`: every group when none is named. */
const wanted = (group: Group): boolean => asked.length === 0 || asked.includes(group);
const UNIT = path.join(ROOT, "systemd", "oplatomat.service");
/**
 * Daemons run from the release build, as a kiosk runs them: no TypeScript loader at start, and with
 * the environment the kiosk's systemd unit gives the daemon (its `Environment=` lines: the C
 * library's and Node's tuning, docs/benchmarks.md), except the unit's paths (OPLATOMAT_*), which the
 * bench's rig names itself.
 */
const RELEASE: Record<string, string> = { ...deployedEnvironment(), OPLATOMAT_RUNTIME: "dist" };
/**
 * And with the node flags the unit gives the daemon (a young generation of 2 MB semi-spaces and the
 * rest said in the unit, docs/benchmarks.md). BENCH_NODE runs the daemons on another Node, with BENCH_APP
 * naming a copy of the project whose native modules are built for it (docs/benchmarks.md says how).
 */
const LAUNCH: Launch = {
  nodeArgs: deployedNodeFlags(),
  ...(process.env["BENCH_NODE"] ? { node: process.env["BENCH_NODE"] } : {}),
  ...(process.env["BENCH_APP"] ? { bin: path.join(process.env["BENCH_APP"], "bin", "oplatomat.mjs") } : {}),
};

/** The flags between `node` and the command in systemd/oplatomat.service's ExecStart. */
function deployedNodeFlags(): string[] {
  const unit = fs.readFileSync(UNIT, "utf8");
  const exec = /^ExecStart=\S*\/node((?:\s+--\S+)*)\s/m.exec(unit);
  if (!exec) throw new Error("systemd/oplatomat.service: no ExecStart running node");
  return (exec[1] ?? "").split(/\s+/).filter(Boolean);
}

/** The unit's `Environment=NAME=value` lines (one assignment each, unquoted), but OPLATOMAT_*. */
function deployedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [, name, value] of fs.readFileSync(UNIT, "utf8").matchAll(/^Environment=(\w+)=(\S*)\s*$/gm)) {
    if (name && value !== undefined && !name.startsWith("OPLATOMAT_")) env[name] = value;
  }
  return env;
}

function record(name: string, value: number, unit: string): void {
  const rounded = Math.round(value * 100) / 100;
  figures.push({ name, value: rounded, unit });
  console.log(`${name} ${rounded} ${unit}`);
}

function missing(names: Array<[string, string]>, why: unknown): void {
  const reason = why instanceof Error ? why.message.split("\n")[0] : String(why);
  for (const [name, unit] of names) {
    figures.push({ name, value: null, unit, missing: reason });
    console.log(`${name} missing ${unit} (${reason})`);
  }
}

async function section(names: Array<[string, string]>, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (e) {
    missing(
      names.filter(([n]) => !figures.some((f) => f.name === n)),
      e,
    );
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

/** Compiles the daemon as `npm run build` does, with its precompiled validator (the UI by uiBuild). */
function buildRelease(): void {
  execFileSync("npm", ["run", "--silent", "build:daemon"], { cwd: ROOT, stdio: "inherit" });
}

function machine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Process start → /ready 200, over an existing rig (median of three starts). */
async function startToReady(rig: Rig): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const d = await startDaemon(rig, RELEASE, undefined, LAUNCH);
    for (;;) {
      if ((await fetch(`${d.url}/ready`)).status === 200) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    times.push(performance.now() - started);
    await d.stop();
  }
  record("start_to_ready_ms", times.sort((a, b) => a - b)[1] as number, "ms");
}

/** One visitor, scan to receipt at the printer; returns that time in ms. */
async function pay(d: Daemon, rig: Rig, payload: string): Promise<number> {
  const url = d.url as string;
  const printed = new Promise<number>((resolve) =>
    rig.printer.once("receipt", () => resolve(performance.now())),
  );
  const started = performance.now();
  const scan = await http(`${url}/api/scan`, "POST", { payload });
  if (scan.status !== 200) throw new Error(`scan answered ${scan.status} ${JSON.stringify(scan.json)}`);
  const paying = await http(`${url}/api/session/pay`, "POST");
  if (paying.status !== 202) throw new Error(`pay answered ${paying.status}`);
  const at = await Promise.race([
    printed,
    new Promise<number>((_, reject) => setTimeout(() => reject(new Error("no receipt within 10 s")), 10_000)),
  ]);
  for (;;) {
    const { json } = await http(`${url}/api/session`);
    if (json["state"] === "done") break;
    await new Promise((r) => setTimeout(r, 1));
  }
  await http(`${url}/api/session/cancel`, "POST");
  return at - started;
}

async function payments(rig: Rig, d: Daemon): Promise<void> {
  const random = seededRandom(8);
  const overhead: number[] = [];
  let rssAtHalf = 0;
  for (let i = 1; i <= PAYMENTS; i++) {
    const ms = await pay(d, rig, issueSlip(rig, random, 0));
    if (i <= OVERHEAD_SAMPLE) overhead.push(ms);
    if (i === OVERHEAD_SAMPLE) {
      // Each payment's time in the order paid, for a look at where the slow ones fall (warm-up,
      // every nth visit, …): `BENCH_OVERHEAD_FILE=f npm run bench -- kiosk`.
      if (process.env.BENCH_OVERHEAD_FILE)
        fs.writeFileSync(process.env.BENCH_OVERHEAD_FILE, overhead.join("\n"));
      overhead.sort((a, b) => a - b);
      record("payment_overhead_p50_ms", percentile(overhead, 50), "ms");
      record("payment_overhead_p95_ms", percentile(overhead, 95), "ms");
    }
    if (i === Math.floor(PAYMENTS / 2)) rssAtHalf = rssMb(d.proc.pid as number);
    if (i % 1000 === 0) process.stderr.write(`  ${i} payments\n`);
    // The printer simulator keeps every byte and receipt for tests; over 10 000 payments that history
    // (in this process, not the daemon) would slow the loop down, so the bench drops it.
    rig.printer.received = Buffer.alloc(0);
    rig.printer.receipts.length = 0;
  }
  const rss = rssMb(d.proc.pid as number);
  record("rss_after_10k_payments_mb", rss, "MB");
  record("rss_growth_last_5k_mb", rss - rssAtHalf, "MB");
}

/**
 * Runs in the page: posts the scan and resolves with the time from posting it to the moment the
 * frame that first shows the summary's total reached the screen. Plain JavaScript text, so the
 * TypeScript loader cannot add helpers the page does not have.
 *
 * How "painted" is measured (docs/benchmarks.md, "The summary's paint"): from the moment of posting,
 * every animation frame looks for the summary's total in the DOM (the screen renders from the
 * session event, which can come before the scan's answer). In the first frame where it is there,
 * the callback adds a tiny fixed marker text with an `elementtiming` name: it is painted in that
 * same frame as the summary. The Element Timing API cannot see the summary itself (it is in shadow
 * DOM, which the API does not report), but it reports the marker's `renderTime`, which in Chromium is
 * the presentation time of that frame: when it was on screen, after paint, raster and draw. Two
 * animation frames after the DOM change (the earlier way) end at the start of a frame after the
 * paint, up to two frames late; one frame plus a task ends after the main thread's paint, before
 * raster and presentation, so it could report a summary not yet on screen. After the marker is
 * seen, the total shown must be the scan's own (its digits are the answer's grosze) and visible.
 */
const PAINT_SCRIPT = `async (payload) => {
  const summaryTotal = () =>
    document.querySelector("oplatomat-app")?.shadowRoot?.querySelector("summary-screen")
      ?.shadowRoot?.querySelector('[data-testid="total"]') ?? null;
  const name = "scan-paint-" + Math.random().toString(36).slice(2);
  let marker = null;
  let observer = null;
  const started = performance.now();
  const answer = fetch("/api/scan", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ payload }),
  }).then(async (res) => {
    if (res.status !== 200) throw new Error("scan answered " + res.status);
    return res.json();
  });
  const painted = new Promise((resolve, reject) => {
    observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.identifier === name) resolve({ at: entry.renderTime || entry.loadTime, shown: summaryTotal() });
      }
    });
    observer.observe({ type: "element" });
    const check = () => {
      const total = summaryTotal();
      if (!total || !(total.textContent ?? "").trim()) return requestAnimationFrame(check);
      marker = document.createElement("span");
      marker.setAttribute("elementtiming", name);
      marker.textContent = ".";
      Object.assign(marker.style, { position: "fixed", left: "0", top: "0", fontSize: "8px", pointerEvents: "none" });
      document.body.append(marker);
    };
    requestAnimationFrame(check);
    setTimeout(() => reject(new Error("the summary was not painted within 10 s")), 10000);
  });
  try {
    const [session, paint] = await Promise.all([answer, painted]);
    const digits = (paint.shown?.textContent ?? "").replace(/[^0-9]/g, "");
    if (digits === "" || Number(digits) !== session.total)
      throw new Error("painted total " + digits + ", the scan's " + session.total);
    if (!paint.shown.checkVisibility({ opacityProperty: true, visibilityProperty: true }))
      throw new Error("the summary's total is not visible");
    return paint.at - started;
  } finally {
    observer.disconnect();
    marker?.remove();
  }
}`;

/**
 * How long the page is left alone after its first screen is up, before the first scan. A kiosk's page
 * is loaded once when the kiosk starts and then serves visitors for days; nobody scans within a second
 * of its load. Scanned at once, the first ~10 scans measured Chromium's own start-up instead: its
 * renderer still compiling the UI's code and its processes loading, on the same two cores as the
 * daemon, which then answered the scan in 35-80 ms instead of 15-20 (docs/benchmarks.md, "The
 * summary's paint, sixth pass"): those scans alone set the p95 (38-62 ms over runs of the same code
 * against 40-41 ms with this pause).
 */
const PAGE_SETTLE_MS = 3_000;

/** Resolves once the page shows its first screen and has had PAGE_SETTLE_MS to finish loading. */
async function pageSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const main = document.querySelector("oplatomat-app")?.shadowRoot?.querySelector("main");
    return main?.querySelector("welcome-screen, attract-screen") != null;
  });
  await new Promise((resolve) => setTimeout(resolve, PAGE_SETTLE_MS));
}

/** Scan posted from the page → summary screen painted, over SCANS scans. */
async function scanToPaint(rig: Rig, d: Daemon): Promise<void> {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    await page.goto(d.url as string);
    await pageSettled(page);
    const random = seededRandom(9);
    const times: number[] = [];
    for (let i = 0; i < SCANS; i++) {
      // A function, not a string: the page's CSP (script-src 'self') forbids evaluating strings there.
      await page.waitForFunction(
        () => !document.querySelector("oplatomat-app")?.shadowRoot?.querySelector("summary-screen"),
      );
      const payload = issueSlip(rig, random, 0);
      const ms = (await page.evaluate(`(${PAINT_SCRIPT})(${JSON.stringify(payload)})`)) as number;
      times.push(ms);
      await http(`${d.url}/api/session/cancel`, "POST");
      await http(`${d.url}/api/session/cancel`, "POST");
    }
    times.sort((a, b) => a - b);
    record("scan_to_summary_paint_p95_ms", percentile(times, 95), "ms");
  } finally {
    await browser.close();
  }
}

let uiBuilt = false;

/**
 * The UI's build (ui/dist), made from the sources once per bench run: a dist left from an earlier
 * checkout would measure another UI (a stale dist gave 34.9 KB and its own paint times on 2026-12-06).
 */
function uiBuild(): string {
  if (!uiBuilt) execFileSync("npm", ["run", "--silent", "build:ui"], { cwd: ROOT, stdio: "inherit" });
  uiBuilt = true;
  return path.join(ROOT, "ui", "dist");
}

function uiJsGzip(): void {
  const dist = uiBuild();
  let bytes = 0;
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.m?js$/.test(e.name)) bytes += zlib.gzipSync(fs.readFileSync(p), { level: 9 }).length;
    }
  };
  walk(dist);
  if (bytes === 0) throw new Error("no JavaScript in ui/dist");
  record("ui_js_gzip_kb", bytes / 1024, "KB");
}

function loadAverage(): number[] {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}

/** bench/results.json: this run's figures, and those of groups this run did not measure kept. */
function writeResults(load: { start: number[]; end: number[] }): void {
  const file = path.join(ROOT, "bench", "results.json");
  let kept: Figure[] = [];
  if (asked.length > 0 && fs.existsSync(file)) {
    const previous = JSON.parse(fs.readFileSync(file, "utf8")) as { figures?: Figure[] };
    kept = (previous.figures ?? []).filter((f) => !figures.some((n) => n.name === f.name));
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `${JSON.stringify({ machine: machine(), date: new Date().toISOString(), load, figures: [...kept, ...figures] }, null, 2)}\n`,
  );
}

async function kioskFigures(): Promise<void> {
  uiBuild();
  buildRelease();
  let rig: Rig | undefined;
  let daemon: Daemon | undefined;
  try {
    rig = await startRig();
    const r = rig;
    await section([["start_to_ready_ms", "ms"]], () => startToReady(r));
    await section(
      [
        ["payment_overhead_p50_ms", "ms"],
        ["payment_overhead_p95_ms", "ms"],
        ["rss_after_10k_payments_mb", "MB"],
        ["rss_growth_last_5k_mb", "MB"],
      ],
      async () => {
        daemon = await startDaemon(r, RELEASE, undefined, LAUNCH);
        await payments(r, daemon);
      },
    );
    await section([["scan_to_summary_paint_p95_ms", "ms"]], async () => {
      if (!daemon?.alive()) daemon = await startDaemon(r, RELEASE, undefined, LAUNCH);
      await scanToPaint(r, daemon);
    });
  } finally {
    await daemon?.stop();
    await rig?.close();
  }
}

async function main(): Promise<void> {
  const start = loadAverage();
  console.error(`bench on ${machine()}; load average ${start.join(" ")}`);
  if (wanted("ui")) await section([["ui_js_gzip_kb", "KB"]], async () => uiJsGzip());
  if (wanted("kiosk")) await kioskFigures();
  if (wanted("report"))
    await section(
      [
        ["report_1m_payments_ms", "ms"],
        ["report_1m_payments_peak_rss_mb", "MB"],
        ["report_1m_payments_peer_ms", "ms"],
      ],
      async () => {
        const { benchReport } = await import("./report.ts");
        for (const f of await benchReport()) record(f.name, f.value, f.unit);
      },
    );
  if (wanted("zvt"))
    await section(
      [
        ["zvt_serial_auth_ms", "ms"],
        ["zvt_serial_wire_ms", "ms"],
      ],
      async () => {
        const { benchZvtSerial } = await import("./zvt-serial.ts");
        for (const f of await benchZvtSerial()) record(f.name, f.value, f.unit);
      },
    );
  if (wanted("hub"))
    await section(
      [
        ["hub_ingest_per_s", "1/s"],
        ["hub_report_10m_ms", "ms"],
        ["hub_report_10m_peer_ms", "ms"],
      ],
      async () => {
        const { benchHub } = await import("./hub.ts");
        for (const f of await benchHub((s) => console.error(s))) record(f.name, f.value, f.unit);
      },
    );
  const end = loadAverage();
  console.error(`load average at the end ${end.join(" ")}`);
  writeResults({ start, end });
}

await main();
// Keep-alive agents and the simulators' sockets must not hold the process open.
process.exit(0);
