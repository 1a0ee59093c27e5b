/**
 * The release path an office takes: `npm pack` builds the tarball (UI, compiled daemon and CLI, the
 * lock file as npm-shrinkwrap.json), it is unpacked into a clean directory, installed there with
 * `npm ci --omit=dev` (scripts off; see packAndInstall), and `oplatomat start` from it serves the UI and takes a card payment against
 * the ZVT and ESC/POS simulators, with no TypeScript loader installed at all.
 *
 * The pack runs in a copy of the working tree, so rebuilding dist/ and ui/dist/ cannot disturb the
 * browser tests that serve the repository's own ui/dist/ at the same time.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import * as nodeModule from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueSlip, payOnce, type Rig, startRig } from "../../crash/rig.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
/** What the repository holds that is not part of a build's input. */
const NOT_COPIED = new Set([".git", "node_modules", "dist", "test-results", "var", "bench"]);

let work: string;
let app: string;
let rig: Rig;

function stageWorkingTree(stage: string): void {
  fs.cpSync(ROOT, stage, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(ROOT, src);
      const top = rel.split(path.sep)[0] ?? "";
      return !NOT_COPIED.has(top) && !rel.startsWith(path.join("ui", "dist"));
    },
  });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(stage, "node_modules"));
}

function packAndInstall(): string {
  const stage = path.join(work, "stage");
  stageWorkingTree(stage);
  execFileSync("npm", ["pack", "--pack-destination", work], { cwd: stage, stdio: "pipe" });
  const tarball = fs.readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack wrote no tarball");
  const target = path.join(work, "app");
  fs.mkdirSync(target);
  execFileSync("tar", ["xzf", path.join(work, tarball), "-C", target, "--strip-components=1"]);
  // --ignore-scripts: the one install script that does work here is better-sqlite3 compiling its
  // addon (minutes of C++, since this machine cannot download its prebuilt binary); the addon of the
  // development install is the same version for the same Node, so it is copied in instead. The other
  // native packages load the prebuilt binaries they carry.
  execFileSync("npm", ["ci", "--omit=dev", "--ignore-scripts", "--offline", "--no-audit", "--no-fund"], {
    cwd: target,
    stdio: "pipe",
  });
  const addon = path.join("node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node");
  fs.mkdirSync(path.dirname(path.join(target, addon)), { recursive: true });
  fs.copyFileSync(path.join(ROOT, addon), path.join(target, addon));
  return target;
}

async function startReleased(
  nodeArgs: string[] = [],
): Promise<{ url: string; management: string; pid: number; stop(): Promise<void> }> {
  const proc = spawn(
    process.execPath,
    [
      ...nodeArgs,
      path.join(app, "bin", "oplatomat.mjs"),
      "start",
      "--config",
      rig.configFile,
      "--data",
      rig.dataDir,
      "--port",
      "0",
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, OPLATOMAT_RUNTIME: "" } },
  );
  let out = "";
  proc.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const [url, management] = await new Promise<[string, string]>((resolve, reject) => {
    const check = () => {
      const m = /oplatomat listening on (\S+)/.exec(out);
      const lan = /oplatomat management on (\S+)/.exec(out);
      if (m && lan) resolve([m[1] as string, lan[1] as string]);
    };
    proc.stdout.on("data", check);
    proc.once("exit", (code) => reject(new Error(`the released daemon exited with ${code}:\n${out}`)));
  });
  return {
    url,
    management,
    pid: proc.pid as number,
    async stop() {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
    },
  };
}

describe("the release tarball", () => {
  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "opl-release-"));
    app = packAndInstall();
    rig = await startRig();
  }, 600_000);

  afterAll(async () => {
    await rig?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("carries the compiled daemon and no TypeScript sources, tests or demo secrets", () => {
    expect(fs.existsSync(path.join(app, "dist", "kiosk", "cli.js"))).toBe(true);
    expect(fs.existsSync(path.join(app, "ui", "dist", "index.html"))).toBe(true);
    expect(fs.existsSync(path.join(app, "kiosk"))).toBe(false);
    expect(fs.existsSync(path.join(app, "test"))).toBe(false);
    expect(fs.existsSync(path.join(app, "config", "demo-keys"))).toBe(false);
    expect(fs.existsSync(path.join(app, "node_modules", "tsx"))).toBe(false);
    expect(fs.existsSync(path.join(app, "node_modules", "typescript"))).toBe(false);
  });

  it("installs and answers its command line from the compiled code", () => {
    const help = execFileSync(process.execPath, [path.join(app, "bin", "oplatomat.mjs"), "--help"], {
      encoding: "utf8",
    });
    expect(help).toMatch(/start\s+run the kiosk daemon/);
    // The hub reads its schema and SQL migrations from beside its modules: the build copies them.
    expect(fs.existsSync(path.join(app, "dist", "hub", "config", "schema.json"))).toBe(true);
    // The configuration's validator, compiled at build so the daemon does not compile it at start.
    expect(fs.existsSync(path.join(app, "dist", "kiosk", "config", "config-schema.validator.cjs"))).toBe(
      true,
    );
    const hub = execFileSync(process.execPath, [path.join(app, "bin", "oplatomat.mjs"), "hub", "--help"], {
      encoding: "utf8",
    });
    expect(hub).toMatch(/migrate/);
  });

  it("starts, serves the visitor UI and takes a card payment, loading none of Node's fetch or HTTP/2", async () => {
    // Node's own modules the daemon loaded, written when it exits: on Node 22 and later an ES module
    // import of node:http would load undici (Node's fetch, for http's WebSocket getters), megabytes
    // of memory the daemon never uses; the build requires builtins instead (scripts/build-daemon.mjs).
    const loaded = path.join(work, "modules-loaded.txt");
    const recorder = path.join(work, "record-modules.mjs");
    fs.writeFileSync(
      recorder,
      `import fs from "node:fs";\nprocess.on("exit", () => fs.writeFileSync(${JSON.stringify(loaded)}, process.moduleLoadList.join("\\n")));\n`,
    );
    const daemon = await startReleased(["--import", pathToFileURL(recorder).href]);
    try {
      const page = await fetch(`${daemon.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html lang="pl"/);
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = (await fetch(`${daemon.url}/ready`)).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready).toBe(200);
      const before = rig.terminal.turnover().length;
      expect(
        await payOnce(
          daemon.url,
          issueSlip(rig, () => 0.5, 0),
        ),
      ).toBe("paid");
      expect(rig.terminal.turnover().length - before).toBe(1);
      // The API docs' page comes from @fastify/swagger-ui's own static/ folder, kept out of the bundle.
      const docs = (await (await fetch(`${daemon.management}/api/docs/json`)).json()) as { paths: object };
      expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(["/api/scan", "/api/admin/payments"]));
      const docsPage = await fetch(`${daemon.management}/api/docs`);
      expect(docsPage.status).toBe(200);
      expect(await docsPage.text()).toMatch(/swagger-ui/i);
      expect((await fetch(`${daemon.management}/api/docs/static/swagger-ui.css`)).status).toBe(200);
    } finally {
      await daemon.stop();
    }
    const modules = fs.readFileSync(loaded, "utf8").split("\n");
    expect(modules).toContain("NativeModule http");
    expect(modules.filter((m) => m.includes("undici"))).toEqual([]);
    // fastify requires node:http2 when it loads, for `http2: true` only; the bundle defers it.
    expect(modules.filter((m) => m.includes("http2"))).toEqual([]);
  }, 120_000);

  it.runIf(typeof (nodeModule as { getCompileCacheDir?: unknown }).getCompileCacheDir === "function")(
    "keeps the configuration validator's compiled code under --data for the next start (Node 22.8+)",
    () => {
      // Written by the start of the test before, after its first validation (kiosk/config/code-cache.ts),
      // into Node's compile cache, whose folder Node names after its version.
      const dir = path.join(rig.dataDir, "compile-cache");
      const kept = fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((n) => /(^|\/)oplatomat-config-schema\.validator\.cjs-[0-9a-f]{32}\.v8$/.test(n));
      expect(kept).toHaveLength(1);
      expect(fs.statSync(path.join(dir, kept[0] as string)).size).toBeGreaterThan(50_000);
    },
  );

  it("starts to ready without YAML, prom-client, TLS or zlib, and loads prom-client for the first scrape", async () => {
    // The modules deferred to their first use (docs/benchmarks.md, "Memory and start-up, fourth pass"):
    // the YAML library when the configuration's parse is kept (the start above kept it), prom-client
    // until /metrics is scraped (with the https and zlib its pushgateway requires), Node's https and TLS
    // while no destination or listener uses them.
    const loaded = path.join(work, "modules-at-ready.txt");
    const recorder = path.join(work, "record-at-ready.mjs");
    fs.writeFileSync(
      recorder,
      [
        'import fs from "node:fs";',
        'import { createRequire } from "node:module";',
        "const cache = createRequire(import.meta.url).cache;",
        // Written aside and renamed: the test polls for the file and must never read it half written.
        `process.on("SIGUSR2", () => { fs.writeFileSync(${JSON.stringify(`${loaded}.part`)}, [...process.moduleLoadList, ...Object.keys(cache)].join("\\n")); fs.renameSync(${JSON.stringify(`${loaded}.part`)}, ${JSON.stringify(loaded)}); });`,
        "",
      ].join("\n"),
    );
    const daemon = await startReleased(["--import", pathToFileURL(recorder).href]);
    const loadedNow = async (): Promise<string[]> => {
      fs.rmSync(loaded, { force: true });
      execFileSync("kill", ["-USR2", String(daemon.pid)]);
      for (let i = 0; i < 100 && !fs.existsSync(loaded); i++) await new Promise((r) => setTimeout(r, 50));
      return fs.readFileSync(loaded, "utf8").split("\n");
    };
    try {
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = (await fetch(`${daemon.url}/ready`)).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready).toBe(200);
      const atReady = await loadedNow();
      expect(atReady).toContain("NativeModule http");
      const deferred = /node_modules[\\/](yaml|prom-client)[\\/]|^NativeModule (https|tls|zlib)$/;
      expect(atReady.filter((m) => deferred.test(m))).toEqual([]);
      const scrape = await fetch(`${daemon.management}/metrics`);
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      expect(text).toMatch(/^oplatomat_payments_total\{outcome="approved"\} \d+$/m);
      expect(text).toContain("process_resident_memory_bytes");
      expect((await loadedNow()).some((m) => /node_modules[\\/]prom-client[\\/]index\.js$/.test(m))).toBe(
        true,
      );
    } finally {
      await daemon.stop();
    }
  }, 120_000);

  it("writes the day's settlement report as PDF (pdfkit reads its font metrics beside its own modules)", () => {
    const day = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Warsaw" }).format(new Date());
    const out = path.join(work, "settlement.pdf");
    const bin = path.join(app, "bin", "oplatomat.mjs");
    const args = ["report", "settlement", "--date", day, "--format", "pdf", "--out", out];
    execFileSync(process.execPath, [bin, ...args, "--config", rig.configFile, "--data", rig.dataDir], {
      env: { ...process.env, OPLATOMAT_RUNTIME: "" },
      stdio: "pipe",
    });
    expect(fs.readFileSync(out).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("reads the hub's configuration schema from the installed package", () => {
    const file = path.join(work, "hub.yaml");
    fs.writeFileSync(file, "listen: 5\n");
    const hub = spawnSync(
      process.execPath,
      [path.join(app, "bin", "oplatomat.mjs"), "hub", "migrate", "--config", file],
      {
        encoding: "utf8",
        env: { ...process.env, OPLATOMAT_RUNTIME: "" },
      },
    );
    expect(hub.status).toBe(2);
    expect(hub.stderr).toMatch(/must have required property 'database'/);
  });
});
