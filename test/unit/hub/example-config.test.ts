import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { HubConfigError, parseHubConfig } from "../../../hub/config/load.ts";
import { hashPassword } from "../../../hub/staff/password.ts";

const EXAMPLE = path.resolve("config/examples/hub.yaml");

describe("config/examples/hub.yaml", () => {
  it("as shipped lacks only its secrets: token files, a token variable and a real password hash", () => {
    let problems: Array<{ path: string; message: string }> = [];
    try {
      parseHubConfig(fs.readFileSync(EXAMPLE, "utf8"), path.dirname(EXAMPLE), {});
    } catch (error) {
      if (!(error instanceof HubConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems)
      expect(`${p.path}: ${p.message}`).toMatch(
        /cannot read tokenFile|environment variable \w+ is not set|passwordHash/,
      );
  });

  it("is a valid hub configuration once its secrets exist", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-hub-example-"));
    try {
      const doc = parseDocument(fs.readFileSync(EXAMPLE, "utf8"));
      const token = (name: string) => {
        const file = path.join(dir, `${name}.token`);
        fs.writeFileSync(file, `${name}-0123456789abcdef0123456789abcdef`);
        return file;
      };
      doc.setIn(["devices", 0, "tokenFile"], token("k01"));
      doc.setIn(["staff", 0, "passwordHash"], await hashPassword("example-password-1"));
      doc.setIn(["staff", 1, "tokenFile"], token("staff"));
      const config = parseHubConfig(String(doc), dir, {
        HUB_TOKEN_PZ1465_K02: "k02-0123456789abcdef0123456789abcdef",
      });
      expect(Object.keys(config.offices)).toEqual(["PZ1465"]);
      expect(Object.values(config.offices["PZ1465"]!.recipients).map((r) => r.nrb)).toHaveLength(4);
      expect(config.devices.map((d) => `${d.id}:${d.kind}`)).toEqual([
        "K01:kiosk",
        "K02:kiosk",
        "KASA1:desk",
      ]);
      expect(config.server.tls?.ca).toBe("/etc/oplatomat/hub/tls/devices-ca.crt");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
