/**
 * SPEC §3 (issue 13): the visitor side listens on loopback only, and the admin API reaches the
 * network only over TLS on the management listener; every refusal names its path.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { isLoopbackAddress } from "../../../kiosk/config/listeners.ts";
import { ConfigError, validateConfigText } from "../../../kiosk/config/load.ts";
import { selfSignedCertificate } from "../../helpers/self-signed.ts";

const CONFIG_DIR = path.resolve("config");
const DEMO_TEXT = fs.readFileSync(path.join(CONFIG_DIR, "demo.yaml"), "utf8");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-listeners-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Doc = Record<string, unknown> & { server: Record<string, unknown>; service: Record<string, unknown> };

function problems(change: (doc: Doc) => void): string[] {
  const doc = parse(DEMO_TEXT) as Doc;
  change(doc);
  try {
    validateConfigText(stringify(doc), CONFIG_DIR, {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("isLoopbackAddress", () => {
  it("is 127.0.0.0/8 and ::1 in any spelling, and nothing else", () => {
    for (const a of ["127.0.0.1", "127.0.0.2", "127.255.0.9", "::1", "0:0:0:0:0:0:0:1", "[::1]"])
      expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of [
      "0.0.0.0",
      "::",
      "192.168.1.10",
      "10.0.0.1",
      "localhost",
      "::ffff:127.0.0.1",
      "128.0.0.1",
    ])
      expect(isLoopbackAddress(a), a).toBe(false);
  });
});

describe("the resolved listeners", () => {
  it("bind an IPv6 address written in URL brackets without them (Node would look `[::1]` up as a name)", () => {
    const doc = parse(DEMO_TEXT) as Doc;
    doc.server = { host: "[::1]", port: 8080, management: { host: "[::1]", port: 9464 } };
    const config = validateConfigText(stringify(doc), CONFIG_DIR, {});
    expect(config.server.host).toBe("::1");
    expect(config.server.management?.host).toBe("::1");
  });
});

describe("server.host", () => {
  it("refuses any address that is not loopback, naming /server/host", () => {
    for (const host of ["0.0.0.0", "192.168.1.10", "::", "kiosk.local"]) {
      const found = problems((d) => {
        d.server["host"] = host;
      });
      expect(found, host).toHaveLength(1);
      expect(found[0]).toMatch(/^\/server\/host: must be a loopback address/);
    }
    expect(
      problems((d) => {
        d.server["host"] = "::1";
      }),
    ).toEqual([]);
  });
});

describe("server.management", () => {
  it("refuses the admin API on a network address without TLS, naming /server/management/tls", () => {
    const found = problems((d) => {
      d.server["management"] = { host: "0.0.0.0", port: 9464 };
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^\/server\/management\/tls: is required/);
  });

  it("lets operations without an admin API, or a loopback management address, go without TLS", () => {
    expect(
      problems((d) => {
        d.server["management"] = { host: "localhost", port: 9464 };
      }),
    ).toEqual([]);
    expect(
      problems((d) => {
        d.server["management"] = { host: "0.0.0.0", port: 9464 };
        delete d.service["adminTokenFile"];
      }),
    ).toEqual([]);
    expect(
      problems((d) => {
        d.server["management"] = { host: "127.0.0.2", port: 9464 };
      }),
    ).toEqual([]);
  });

  it("accepts TLS from PEM files and refuses inline, unreadable or broken material", () => {
    const { cert, key } = selfSignedCertificate(dir, "192.0.2.10");
    const config = parse(DEMO_TEXT) as Doc;
    config.server["management"] = { host: "192.0.2.10", port: 9464, tls: { cert, key } };
    const loaded = validateConfigText(stringify(config), CONFIG_DIR, {});
    expect(loaded.server.management?.tls?.cert).toContain("BEGIN CERTIFICATE");
    expect(loaded.server.management?.host).toBe("192.0.2.10");

    const inline = problems((d) => {
      d.server["management"] = {
        host: "0.0.0.0",
        port: 9464,
        tls: { cert: "-----BEGIN CERTIFICATE-----", key },
      };
    });
    expect(inline).toEqual(["/server/management/tls/cert: TLS material is never inline: name a PEM file"]);
    fs.writeFileSync(path.join(dir, "junk.pem"), "not a key");
    const broken = problems((d) => {
      d.server["management"] = {
        host: "0.0.0.0",
        port: 9464,
        tls: { cert, key: path.join(dir, "junk.pem") },
      };
    });
    expect(broken).toEqual(["/server/management/tls/key: not a PEM private key"]);
    const missing = problems((d) => {
      d.server["management"] = {
        host: "0.0.0.0",
        port: 9464,
        tls: { cert, key: path.join(dir, "absent.pem") },
      };
    });
    expect(missing[0]).toMatch(/^\/server\/management\/tls\/key: cannot read .*absent\.pem: ENOENT$/);
  });

  it("refuses the visitor listener's port and unknown members", () => {
    expect(
      problems((d) => {
        d.server["management"] = { host: "127.0.0.1", port: 8080 };
      }),
    ).toEqual(["/server/management/port: must differ from /server/port"]);
    expect(
      problems((d) => {
        d.server["management"] = { host: "127.0.0.1", port: 9464, admin: true };
      }),
    ).toEqual(["/server/management/admin: unknown property"]);
  });
});
