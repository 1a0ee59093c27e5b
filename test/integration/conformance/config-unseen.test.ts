/**
 * SPEC §3 configurations an outside checker writes from SPEC alone, through `oplatomat config check`:
 * mutual TLS to an office system named the way SPEC names TLS files (`tls: { cert: FILE, key: FILE }`,
 * as under `server.management`), beside the `certFile`/`keyFile` spelling the kiosk documents;
 * inline PEM refused either way with the path and the rule.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadConfig } from "../../../kiosk/config/load.ts";
import { makeNrb } from "../../../kiosk/domain/nrb.ts";
import { oplatomat, startCliDaemon } from "../../helpers/cli-daemon.ts";
import { testKeys } from "../../helpers/test-config.ts";

let dir = "";
const keys = testKeys();

/** A desk-less municipal kiosk whose PiK and settlement want a client certificate; `extra` adds keys. */
function kioskWith(integrations: object, extra: object = {}): string {
  const file = path.join(dir, `k-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(
    file,
    stringify({
      office: { id: "UG-0042", name: "Urząd Gminy Zielona", address: "ul. Leśna 3", nip: "1234563218" },
      kiosk: { id: "KIOSK-A", languages: ["en", "pl"] },
      recipients: { GMINA: { name: "Gmina Zielona", nrb: makeNrb("11602202", "0000000123456789") } },
      components: { ODPADY: { label: { pl: "Odpady", en: "Waste" }, recipient: "GMINA" } },
      slips: { trustedKeys: [{ kid: "ug2027", publicKey: "ug.pub.pem" }] },
      devices: {
        terminal: { protocol: "zvt", transport: { type: "tcp", host: "127.0.0.1", port: 20999 } },
        printer: {
          protocol: "escpos",
          transport: { type: "tcp", host: "127.0.0.1", port: 9199 },
          columns: 42,
        },
        scanner: { type: "keyboard" },
        gpio: { backend: "sim" },
      },
      integrations,
      ...extra,
    }),
  );
  return file;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-conf-unseen-"));
  fs.writeFileSync(path.join(dir, "ug.pub.pem"), keys.slipPublicPem);
  // The client's certificate and key are only read here, never parsed: any PEM text stands in.
  fs.writeFileSync(
    path.join(dir, "client.crt"),
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
  );
  fs.writeFileSync(
    path.join(dir, "client.key"),
    "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
  );
  fs.writeFileSync(
    path.join(dir, "ca.crt"),
    "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n",
  );
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const check = (file: string) => oplatomat(["config", "check", file], { OPLATOMAT_CONFIG: "" });
/** `config check` and `oplatomat start` on the same file, side by side: they must agree. */
const checkAndStart = (file: string, data: string) =>
  Promise.all([
    check(file),
    oplatomat(["start", "--config", file, "--data", path.join(dir, data), "--port", "0"], {
      OPLATOMAT_CONFIG: "",
    }),
  ]);

describe("mutual TLS to an office system (SPEC §3, §6)", () => {
  it("takes `tls: { cert, key, ca }` file names, the spelling SPEC §3 gives TLS files", async () => {
    const file = kioskWith({
      pik: { url: "https://pik.gmina.example", tls: { cert: "client.crt", key: "client.key", ca: "ca.crt" } },
      settlement: { url: "https://rozliczenia.example/api", tls: { cert: "client.crt", key: "client.key" } },
    });
    const r = await check(file);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const config = loadConfig(file, {});
    expect(config.integrations.pik?.tls).toEqual({
      cert: fs.readFileSync(path.join(dir, "client.crt"), "utf8"),
      key: fs.readFileSync(path.join(dir, "client.key"), "utf8"),
      ca: fs.readFileSync(path.join(dir, "ca.crt"), "utf8"),
    });
    expect(config.integrations.settlement?.tls?.cert).toContain("BEGIN CERTIFICATE");
  });

  it("still takes `certFile`/`keyFile`/`caFile`", async () => {
    const r = await check(
      kioskWith({
        pik: { url: "https://pik.example", tls: { certFile: "client.crt", keyFile: "client.key" } },
      }),
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("refuses inline PEM, a missing key and both spellings at once, naming the path (exit 2)", async () => {
    const pem = fs.readFileSync(path.join(dir, "client.key"), "utf8");
    const inline = await check(
      kioskWith({ pik: { url: "https://pik.example", tls: { cert: "client.crt", key: pem } } }),
    );
    expect(inline.code).toBe(2);
    expect(inline.stderr).toContain("/integrations/pik/tls/key: TLS material is never inline");

    const noKey = await check(
      kioskWith({ settlement: { url: "https://s.example", tls: { cert: "client.crt" } } }),
    );
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("/integrations/settlement/tls/key");

    const both = await check(
      kioskWith({
        pik: {
          url: "https://pik.example",
          tls: { cert: "client.crt", certFile: "client.crt", key: "client.key" },
        },
      }),
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("/integrations/pik/tls: at most one of cert and certFile");

    const missing = await check(
      kioskWith({ pik: { url: "https://pik.example", tls: { cert: "nope.crt", key: "client.key" } } }),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/\/integrations\/pik\/tls\/cert: cannot read .*nope\.crt/);
  });

  it("refuses a client certificate for a loopback http:// receiver in check and at start alike (exit 2, the path named)", async () => {
    const file = kioskWith({
      settlement: { url: "http://127.0.0.1:18443/api", tls: { cert: "client.crt", key: "client.key" } },
    });
    const [checked, started] = await checkAndStart(file, "data");
    for (const r of [checked, started]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain("/integrations/settlement/tls: a client certificate (mutual TLS)");
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe("a fee component or service coded FEE (SPEC §3 allows it; §7 gives FEE to the handling fee)", () => {
  it("is taken, with a warning naming each path: its export and settlement rows look like the fee's", async () => {
    const file = kioskWith(
      {},
      {
        components: {
          ODPADY: { label: { pl: "Odpady" }, recipient: "GMINA" },
          FEE: { label: { pl: "Opłata ewidencyjna" }, recipient: "GMINA" },
        },
        catalog: [
          { code: "KOPIA", label: { pl: "Kopia" }, price: 500, recipient: "GMINA" },
          { code: "FEE", label: { pl: "Opłata" }, price: 100, recipient: "GMINA" },
        ],
      },
    );
    const r = await check(file);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe("ok\n");
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("warning:"));
    expect(warnings.map((w) => w.split(": ")[1])).toEqual(["/components/FEE", "/catalog/1/code"]);
    expect(warnings[0]).toContain("the handling fee's code in the accounting export (SPEC §7)");
  });

  it("says nothing for other codes", async () => {
    const r = await check(kioskWith({}));
    expect(r.stderr).toBe("");
  });
});

describe("ids and the terminal's password written without quotes (YAML reads digits as a number)", () => {
  it("says which key to quote, as for an NRB or a NIP, in check and at start alike", async () => {
    const file = kioskWith(
      {},
      { office: { id: "1465", name: "Urząd Gminy", address: "ul. Leśna 3", nip: "1234563218" } },
    );
    const text = fs
      .readFileSync(file, "utf8")
      .replace(/id: "1465"/, "id: 1465")
      .replace("port: 20999", "port: 20999\n    password: 000000");
    fs.writeFileSync(file, text);
    const quote = (key: string) =>
      `must be string: write it in quotes (${key}: "…"); unquoted, YAML reads the digits as a number`;
    const [checked, started] = await checkAndStart(file, "data-digits");
    for (const r of [checked, started]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`/office/id: ${quote("id")}`);
      expect(r.stderr).toContain(`/devices/terminal/password: ${quote("password")}`);
    }
  });
});

describe("kiosk.timezone in another case (`europe/warsaw`: Intl takes it, tzdata's files do not)", () => {
  it("is used as tzdata spells it: the day's report names Europe/Warsaw", async () => {
    const file = kioskWith({});
    fs.writeFileSync(
      file,
      fs.readFileSync(file, "utf8").replace("id: KIOSK-A", "id: KIOSK-A\n  timezone: europe/warsaw"),
    );
    expect(loadConfig(file, {}).kiosk.timezone).toBe("Europe/Warsaw");
    const data = path.join(dir, "data-zone");
    fs.mkdirSync(data);
    await (await startCliDaemon(file, data)).stop();
    const r = await oplatomat(
      ["report", "settlement", "--config", file, "--data", data, "--date", "2026-12-01", "--format", "json"],
      { OPLATOMAT_CONFIG: "" },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.toString()).header.timezone).toBe("Europe/Warsaw");
  });
});
