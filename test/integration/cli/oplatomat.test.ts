import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadConfig } from "../../../kiosk/config/load.ts";
import { PARSED_CONFIG_FILE, parsedYamlCacheIn } from "../../../kiosk/config/parsed-yaml-cache.ts";
import { signReceiptCode } from "../../../kiosk/domain/receipt-code.ts";
import { signSlip } from "../../../kiosk/domain/slip.ts";
import { openDatabase } from "../../../kiosk/store/db.ts";
import { type CliResult, OPLATOMAT_BIN, runOplatomat } from "../../helpers/oplatomat-cli.ts";

const run = promisify(execFile);
const BIN = OPLATOMAT_BIN;
const DEMO = path.resolve("config/demo.yaml");

/** The environment the command runs in: this one, without a configuration named by the environment. */
function cliEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, OPLATOMAT_CONFIG: "", ...env };
}

/** `export payments` of November 2026 from the database under `data`, with the demo configuration. */
function exportNovember(data: string): string[] {
  return [
    "export",
    "payments",
    "--from",
    "2026-11-01",
    "--to",
    "2026-11-30",
    "--config",
    DEMO,
    "--data",
    data,
  ];
}

function oplatomat(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runOplatomat(args, cliEnv(env));
}

let dir: string;
let configFile: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-cli-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("keys generate → slip issue → slip verify", () => {
  let payload: string;

  beforeAll(async () => {
    const keys = await oplatomat(["keys", "generate", "--out", path.join(dir, "keys")]);
    expect(keys.code).toBe(0);
    // A kiosk configuration that trusts the new key as kid "office1".
    const doc = parse(fs.readFileSync(DEMO, "utf8")) as Record<string, Record<string, unknown>>;
    doc["slips"]!["trustedKeys"] = [{ kid: "office1", publicKeyFile: "keys/ed25519.pub.pem" }];
    delete doc["service"]!["adminTokenFile"];
    configFile = path.join(dir, "kiosk.yaml");
    fs.writeFileSync(configFile, stringify(doc));
  }, 60_000);

  it("writes a PEM key pair with the private key readable by its owner only", () => {
    const privatePem = fs.readFileSync(path.join(dir, "keys", "ed25519.pem"), "utf8");
    expect(createPrivateKey(privatePem).asymmetricKeyType).toBe("ed25519");
    expect(fs.readFileSync(path.join(dir, "keys", "ed25519.pub.pem"), "utf8")).toContain("BEGIN PUBLIC KEY");
    expect(fs.statSync(path.join(dir, "keys", "ed25519.pem")).mode & 0o777).toBe(0o600);
  });

  it("refuses to overwrite an existing private key", async () => {
    const again = await oplatomat(["keys", "generate", "--out", path.join(dir, "keys")]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("--force");
  });

  it("issues a slip whose payload and QR image verify against the configuration", async () => {
    const png = path.join(dir, "slip.png");
    const issued = await oplatomat([
      "slip",
      "issue",
      "--key",
      path.join(dir, "keys", "ed25519.pem"),
      "--kid",
      "office1",
      "--office",
      "PZ1465",
      "--slip",
      "S/2026/000123",
      "--case",
      "KOM/123/2026",
      "--line",
      "DR:5400",
      "--line",
      "TAB:8000",
      "--line",
      "NAL:1250",
      "--line",
      "PC:1350",
      "--png",
      png,
    ]);
    expect(issued.code).toBe(0);
    payload = issued.stdout.trim();
    expect(payload).toMatch(
      /^OPL1\|PZ1465\|S\/2026\/000123\|KOM\/123\/2026\|\d{12}\|\d{8}\|16000\|DR:5400;TAB:8000;NAL:1250;PC:1350\|office1\|[A-Za-z0-9_-]{86}$/,
    );
    expect(fs.readFileSync(png).subarray(1, 4).toString()).toBe("PNG");

    const verified = await oplatomat(["slip", "verify", "--config", configFile, payload]);
    expect(verified.code).toBe(0);
    const slip = JSON.parse(verified.stdout);
    expect(slip).toMatchObject({
      office: "PZ1465",
      slip: "S/2026/000123",
      case: "KOM/123/2026",
      total: 16000,
      kid: "office1",
    });
    expect(slip.lines).toEqual([
      { code: "DR", amount: 5400 },
      { code: "TAB", amount: 8000 },
      { code: "NAL", amount: 1250 },
      { code: "PC", amount: 1350 },
    ]);
    // Valid for 14 days by default: the last day is 14 days after the issue day.
    const issueDay = Date.UTC(
      +slip.issued.slice(0, 4),
      +slip.issued.slice(4, 6) - 1,
      +slip.issued.slice(6, 8),
    );
    const lastDay = Date.UTC(+slip.valid.slice(0, 4), +slip.valid.slice(4, 6) - 1, +slip.valid.slice(6, 8));
    expect((lastDay - issueDay) / 86_400_000).toBe(14);
  });

  it("reads the configuration from OPLATOMAT_CONFIG and reports a tampered slip, exit 1", async () => {
    const tampered = payload.replace("|16000|DR:5400;", "|16001|DR:5401;");
    const result = await oplatomat(["slip", "verify", tampered], { OPLATOMAT_CONFIG: configFile });
    expect(result).toMatchObject({ code: 1, stdout: "SLIP_SIGNATURE_INVALID\n" });
  });

  it("reports the first failing check: key, office, components, date, sum", async () => {
    const key = path.join(dir, "keys", "ed25519.pem");
    const issue = async (office: string, kid: string, line: string) =>
      (
        await oplatomat([
          "slip",
          "issue",
          "--key",
          key,
          "--kid",
          kid,
          "--office",
          office,
          "--slip",
          "X1",
          "--line",
          line,
        ])
      ).stdout.trim();
    const [unknownKey, wrongOffice, unknownComponent] = await Promise.all([
      issue("PZ1465", "other", "DR:5400"),
      issue("PZ9999", "office1", "DR:5400"),
      issue("PZ1465", "office1", "XYZ:100"),
    ]);
    // What `slip issue` cannot produce: a slip past its last day, and lines that do not add up.
    const privateKey = createPrivateKey(fs.readFileSync(key, "utf8"));
    const base = {
      office: "PZ1465",
      slip: "X2",
      caseRef: "",
      kid: "office1",
      lines: [{ code: "DR", amount: 5400 }],
    };
    const expired = signSlip({ ...base, issued: "202601051000", valid: "20260119", total: 5400 }, privateKey);
    const mismatch = signSlip(
      { ...base, issued: "202611250900", valid: "29991231", total: 5401 },
      privateKey,
    );
    const verify = (p: string) => oplatomat(["slip", "verify", "--config", configFile, p]);
    const results = await Promise.all(
      [unknownKey, wrongOffice, unknownComponent, expired, mismatch].map(verify),
    );
    expect(results.map((r) => [r.code, r.stdout.trim()])).toEqual([
      [1, "SLIP_UNKNOWN_KEY"],
      [1, "SLIP_WRONG_OFFICE"],
      [1, "SLIP_UNKNOWN_COMPONENT"],
      [1, "SLIP_EXPIRED"],
      [1, "SLIP_TOTAL_MISMATCH"],
    ]);
  });

  it("without a configuration has no trusted key: a well-formed slip is SLIP_UNKNOWN_KEY, exit 1", async () => {
    const unchecked = await oplatomat(["slip", "verify", payload]);
    expect(unchecked).toMatchObject({ code: 1, stdout: "SLIP_UNKNOWN_KEY\n" });
    expect(unchecked.stderr).toContain("no trusted key");
    const bad = await oplatomat(["slip", "verify", "OPL1|not a slip"]);
    expect(bad).toMatchObject({ code: 1, stdout: "SLIP_UNREADABLE\n" });
  });

  it("refuses an incomplete issue command with exit 2 and its usage", async () => {
    const result = await oplatomat(["slip", "issue", "--office", "PZ1465", "--line", "DR:5400"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--key is required");
    expect(result.stderr).toContain("Usage: oplatomat slip issue");
  });
});

describe("receipt verify", () => {
  it("verifies an OPLR1 code with the key the daemon generated under --data, and catches tampering", async () => {
    const data = path.join(dir, "data");
    fs.mkdirSync(data);
    const { privateKey } = generateKeyPairSync("ed25519");
    fs.writeFileSync(
      path.join(data, "receipt-signing-key.pem"),
      privateKey.export({ type: "pkcs8", format: "pem" }),
    );
    const code = signReceiptCode(
      {
        kiosk: "K01",
        payment: "P000042",
        office: "PZ1465",
        slip: "S/2026/000123",
        total: 16200,
        paidAt: "20261125103000",
        kid: "K01",
      },
      privateKey,
    );
    const [good, tampered, otherKey] = await Promise.all([
      oplatomat(["receipt", "verify", "--data", data, code]),
      oplatomat(["receipt", "verify", "--data", data, code.replace("|16200|", "|16300|")]),
      oplatomat(["receipt", "verify", "--key", path.join(dir, "keys", "ed25519.pub.pem"), code]),
    ]);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual({
      kiosk: "K01",
      payment: "P000042",
      office: "PZ1465",
      slip: "S/2026/000123",
      total: 16200,
      paidAt: "20261125103000",
      kid: "K01",
    });
    expect(tampered).toMatchObject({ code: 1, stdout: "RECEIPT_SIGNATURE_INVALID\n" });
    expect(otherKey).toMatchObject({ code: 1, stdout: "RECEIPT_SIGNATURE_INVALID\n" });
  });
});

describe("receipt verify never passes a code it could not check (SPEC §2)", () => {
  const fields = {
    kiosk: "K01",
    payment: "P000077",
    office: "PZ1465",
    slip: null,
    total: 999900,
    paidAt: "20261125103000",
    kid: "K01",
  };
  let data: string;
  let genuine: string;
  let forged: string;

  beforeAll(() => {
    data = path.join(dir, "kiosk-data");
    fs.mkdirSync(data);
    const kiosk = generateKeyPairSync("ed25519");
    fs.writeFileSync(
      path.join(data, "receipt-signing-key.pem"),
      kiosk.privateKey.export({ type: "pkcs8", format: "pem" }),
    );
    genuine = signReceiptCode(fields, kiosk.privateKey);
    // What a forger prints: a well-formed code for a payment that never happened, signed by some key.
    forged = signReceiptCode({ ...fields, payment: "P999999" }, generateKeyPairSync("ed25519").privateKey);
  });

  it("with no key at hand a forged receipt is RECEIPT_UNVERIFIED, exit 1", async () => {
    const result = await oplatomat(["receipt", "verify", forged]);
    expect(result).toMatchObject({ code: 1, stdout: "RECEIPT_UNVERIFIED\n" });
    expect(result.stderr).toContain("cannot be verified");
  });

  it("exports the kiosk's public key; with it the genuine code passes and the forged one fails", async () => {
    const exported = await oplatomat(["keys", "export-receipt-key", "--data", data]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    expect(exported.stdout).not.toContain("PRIVATE");
    const keyFile = path.join(dir, "clerk-k01.pub.pem");
    fs.writeFileSync(keyFile, exported.stdout);
    const [good, bad] = await Promise.all([
      oplatomat(["receipt", "verify", "--key", keyFile, genuine]),
      oplatomat(["receipt", "verify", "--key", keyFile, forged]),
    ]);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ payment: "P000077", total: 999900 });
    expect(bad).toMatchObject({ code: 1, stdout: "RECEIPT_SIGNATURE_INVALID\n" });
  });

  it("refuses a private key given as --key, exit 1, so the signing key does not travel to clerks", async () => {
    const result = await oplatomat([
      "receipt",
      "verify",
      "--key",
      path.join(data, "receipt-signing-key.pem"),
      genuine,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("PRIVATE key");
  });

  it("export-receipt-key without a kiosk to read from is a usage error", async () => {
    const none = await oplatomat(["keys", "export-receipt-key", "--data", path.join(dir, "no-such-kiosk")]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no receipt key yet");
  });
});

describe("config check", () => {
  it("says ok for the demo office", async () => {
    expect(await oplatomat(["config", "check", DEMO])).toMatchObject({ code: 0, stdout: "ok\n" });
  });

  it("exits 2 naming the path of every broken rule", async () => {
    const doc = parse(fs.readFileSync(DEMO, "utf8")) as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    doc["recipients"]!["POWIAT"]!["nrb"] = "13102099920000000014651001";
    doc["components"]!["DR"]!["recipient"] = "NOBODY";
    const broken = path.join(path.dirname(DEMO), `.broken-${process.pid}.yaml`);
    fs.writeFileSync(broken, stringify(doc));
    try {
      const result = await oplatomat(["config", "check", broken]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("/recipients/POWIAT/nrb: invalid NRB check digits");
      expect(result.stderr).toContain("/components/DR/recipient: unknown recipient NOBODY");
    } finally {
      fs.rmSync(broken, { force: true });
    }
  });

  it("warns, and still says ok, when the heartbeat's url is a base address (the hub answers 404 at /)", async () => {
    const doc = parse(fs.readFileSync(DEMO, "utf8")) as Record<string, Record<string, unknown>>;
    const file = path.join(path.dirname(DEMO), `.heartbeat-${process.pid}.yaml`);
    const check = async (url: string) => {
      doc["integrations"]!["heartbeat"] = { url };
      fs.writeFileSync(file, stringify(doc));
      return oplatomat(["config", "check", file]);
    };
    try {
      const base = await check("https://hub.powiat.local:8443/");
      expect(base).toMatchObject({ code: 0, stdout: "ok\n" });
      expect(base.stderr).toBe(
        "warning: /integrations/heartbeat/url: has no path, but it is the heartbeat's full address, not a base address as for settlement: a hub takes the heartbeat at https://hub.powiat.local:8443/fleet/heartbeat\n",
      );
      const full = await check("https://hub.powiat.local:8443/fleet/heartbeat");
      expect(full).toMatchObject({ code: 0, stdout: "ok\n", stderr: "" });
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it("fails the shipped example until the office system's public key is set", async () => {
    const result = await oplatomat(["config", "check", path.resolve("config/examples/serial-terminal.yaml")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("/slips/trustedKeys/0: the public key of pik2026 is not set");
  });

  it("start refuses a broken configuration the same way, before anything runs", async () => {
    const broken = path.join(dir, "broken.yaml");
    fs.writeFileSync(broken, "office: { id: lower }\n");
    const result = await oplatomat(["start", "--config", broken]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/office/id: must match pattern "^[A-Z0-9-]{1,16}$"');
  });
});

describe("report and export", () => {
  it("end quietly when the reader of their output stops early (`| head`)", async () => {
    const data = path.join(dir, "pipe-data");
    openDatabase(path.join(data, "oplatomat.db")).close();
    const child = spawn(process.execPath, [BIN, ...exportNovember(data)], {
      env: cliEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    // The reader is gone before the first byte: every write the command makes meets a closed pipe.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, "close")) as [number | null];
    expect(stderr).toBe("");
    expect(code).toBe(141);
  });

  it("find the database under --data and refuse a data directory without one", async () => {
    const data = path.join(dir, "reports-data");
    openDatabase(path.join(data, "oplatomat.db")).close();
    const [exported, missing] = await Promise.all([
      oplatomat(exportNovember(data)),
      oplatomat([
        "report",
        "settlement",
        "--date",
        "2026-11-25",
        "--config",
        DEMO,
        "--data",
        path.join(dir, "nothing"),
      ]),
    ]);
    expect(exported.code).toBe(0);
    expect(exported.stdout.split("\r\n")[0]).toBe(
      "payment_id,paid_at,office,kiosk,slip,case,line_no,code,label,recipient,recipient_nrb,amount,currency,card_brand,masked_pan,auth_code,terminal_id,trace_no,status",
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no database at ${path.join(dir, "nothing", "oplatomat.db")}`);
  });

  it("read the daemon's parse of the configuration under --data and load neither YAML nor iconv-lite", async () => {
    // issue 17: the YAML library cost the report's process about 11 MB on Node 24, iconv-lite (for a
    // payout file in a single-byte encoding only) 0.3-0.5 MB. The daemon's start keeps the parse in
    // its data directory (kiosk/commands/daemon.ts); the commands read it and write nothing there.
    const data = path.join(dir, "parsed-data");
    openDatabase(path.join(data, "oplatomat.db")).close();
    loadConfig(DEMO, cliEnv(), parsedYamlCacheIn(data));
    const kept = fs.readFileSync(path.join(data, PARSED_CONFIG_FILE), "utf8");
    const recorder = path.join(dir, "record-required.mjs");
    fs.writeFileSync(
      recorder,
      `import fs from "node:fs";
import { createRequire } from "node:module";
const cache = createRequire(import.meta.url).cache;
process.on("exit", () => fs.writeFileSync(process.env.RECORD_TO, Object.keys(cache).join("\\n")));
`,
    );
    const commands = [
      ["report", "settlement", "--date", "2026-11-25"],
      ["export", "payments", "--from", "2026-11-01", "--to", "2026-11-30"],
    ];
    const required = await Promise.all(
      commands.map(async (c, i) => {
        const to = path.join(dir, `required-${i}.txt`);
        await run(process.execPath, ["--import", recorder, BIN, ...c, "--config", DEMO, "--data", data], {
          env: cliEnv({ RECORD_TO: to }),
          timeout: 30_000,
        });
        return fs.readFileSync(to, "utf8").split("\n");
      }),
    );
    for (const modules of required) {
      expect(modules.some((m) => m.includes(`${path.sep}better-sqlite3${path.sep}`))).toBe(true);
      expect(modules.filter((m) => /node_modules[\\/](yaml|iconv-lite)[\\/]/.test(m))).toEqual([]);
    }
    expect(fs.readFileSync(path.join(data, PARSED_CONFIG_FILE), "utf8")).toBe(kept);
    expect(fs.readdirSync(data).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 60_000);

  it("run with Maglev as the top tier on Node 22 and later, TurboFan left as it is on Node 20", async () => {
    // issue 17 (kiosk/reports/report-process.ts): TurboFan's compiles cost the report's process about
    // 5 MB of the `node` binary on Node 24. A probe loaded with the command runs a hot function as the
    // process exits, after the command has set its tiers; V8's --trace-opt names the tier it reached.
    const data = path.join(dir, "tier-data");
    openDatabase(path.join(data, "oplatomat.db")).close();
    const probe = path.join(dir, "tier-probe.mjs");
    fs.writeFileSync(
      probe,
      `process.on("exit", () => {
  function oplatomatTierProbe(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * i) % 1000003; return s; }
  let t = 0;
  for (let k = 0; k < 5000; k++) t += oplatomatTierProbe(1000);
  if (t === -1) console.log(t);
});
`,
    );
    const traced = (args: string[]) =>
      run(
        process.execPath,
        ["--trace-opt", "--no-concurrent-recompilation", "--import", probe, BIN, ...args],
        {
          env: cliEnv(),
          timeout: 30_000,
          maxBuffer: 16 * 1024 * 1024,
        },
      );
    const commands = [
      ["report", "settlement", "--date", "2026-11-25", "--out", path.join(dir, "tier-report.json")],
      ["export", "payments", "--from", "2026-11-01", "--to", "2026-11-30"],
    ].map((c) => [...c, "--config", DEMO, "--data", data]);
    const tiers = (await Promise.all(commands.map(traced))).map(({ stdout }) =>
      stdout
        .split("\n")
        .filter((l) => l.includes("completed") && l.includes("oplatomatTierProbe"))
        .map((l) => /\(target (\w+)/.exec(l)?.[1]),
    );
    const major = Number(process.versions.node.split(".")[0]);
    for (const reached of tiers) {
      if (major >= 22) {
        expect(reached).toContain("MAGLEV");
        expect(reached.filter((t) => t?.startsWith("TURBOFAN"))).toEqual([]);
      } else {
        expect(reached).toContain("TURBOFAN");
      }
    }
  }, 60_000);
});

describe("--help", () => {
  const commands = [
    [],
    ["start"],
    ["demo"],
    ["keys", "generate"],
    ["keys", "export-receipt-key"],
    ["slip", "issue"],
    ["slip", "verify"],
    ["receipt", "verify"],
    ["config", "check"],
    ["report", "settlement"],
    ["export", "payments"],
    ["sim", "terminal"],
    ["sim", "printer"],
    ["sim", "scanner"],
    ["hub", "start"],
    ["hub", "migrate"],
    ["hub", "demo"],
    ["hub", "hash-password"],
  ];

  it("every command prints its usage and exits 0", async () => {
    const results = [];
    // Four at a time: each child starts tsx, and the machine has two cores.
    for (let i = 0; i < commands.length; i += 4) {
      const batch = commands.slice(i, i + 4);
      results.push(...(await Promise.all(batch.map((c) => oplatomat([...c, "--help"])))));
    }
    results.forEach((r, i) => {
      const name = ["oplatomat", ...commands[i]!].join(" ");
      expect(r.code, name).toBe(0);
      // The simulators print their own usage, spelled in lower case.
      expect(r.stdout.toLowerCase(), name).toContain(
        i === 0 ? "usage: oplatomat <command>" : `usage: ${name}`,
      );
    });
  }, 120_000);

  it("an unknown command or option is a usage error, exit 2", async () => {
    const [unknown, badOption] = await Promise.all([
      oplatomat(["frobnicate"]),
      oplatomat(["report", "settlement", "--date", "2026-02-30"]),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command frobnicate");
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("expected a real day");
  });
});
