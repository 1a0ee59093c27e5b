/**
 * The hub's connection settings from `database.url`: the password file read by libpq's rules
 * (hub/store/pgpass.ts) and the sslmodes that verify the server (hub/store/connection.ts). The server
 * side of both (TLS with a test CA, a scram-sha-256 cluster) is in
 * test/integration/hub/operator-database.test.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { connectionSettings, missingPasswordAdvice } from "../../../hub/store/connection.ts";
import { findPassword, parsePasswordLine, passwordFromFile } from "../../../hub/store/pgpass.ts";

const target = { host: "db.powiat.local", port: 5432, database: "oplatomat_hub", user: "hub" };

describe("the password file", () => {
  it("reads five fields, `\\:` and `\\\\` escaped, and skips comments, blanks and short lines", () => {
    expect(parsePasswordLine("db:5432:hub:hub:p\\:ss\\\\w:rd")).toEqual([
      "db",
      "5432",
      "hub",
      "hub",
      "p:ss\\w:rd",
    ]);
    expect(parsePasswordLine("# db:5432:hub:hub:secret")).toBeUndefined();
    expect(parsePasswordLine("   ")).toBeUndefined();
    expect(parsePasswordLine("db:5432:hub:secret")).toBeUndefined();
  });

  it("takes the first line that matches, `*` matching any value", () => {
    const text = [
      "other.local:5432:*:hub:wrong-host",
      "db.powiat.local:5433:*:hub:wrong-port",
      "*:5432:oplatomat_hub:hub:first",
      "db.powiat.local:5432:oplatomat_hub:hub:second",
    ].join("\n");
    expect(findPassword(text, target)).toBe("first");
    expect(findPassword(text, { ...target, user: "someone" })).toBeUndefined();
  });

  it("is not used when group or others may read it, as libpq refuses it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-pgpass-"));
    try {
      const file = path.join(dir, "pgpass");
      fs.writeFileSync(file, "*:*:*:*:secret\n", { mode: 0o600 });
      expect(passwordFromFile(target, file)).toBe("secret");
      fs.chmodSync(file, 0o640);
      expect(passwordFromFile(target, file)).toBeUndefined();
      expect(passwordFromFile(target, path.join(dir, "missing"))).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the connection settings", () => {
  const verifies = (url: string) => connectionSettings(url, { PGPASSWORD: "x" }).ssl;

  it("require, prefer and verify-ca verify the server's certificate as verify-full does; disable is plain", () => {
    for (const mode of ["require", "prefer", "verify-ca", "verify-full"])
      expect(verifies(`postgres://hub@db/hub?sslmode=${mode}`), mode).toEqual({});
    expect(verifies("postgres://hub@db/hub?sslmode=disable")).toBe(false);
  });

  it("leaves libpq's meanings to an operator who asks for them (uselibpqcompat=true)", () => {
    expect(verifies("postgres://hub@db/hub?sslmode=require&uselibpqcompat=true")).toEqual({
      rejectUnauthorized: false,
    });
  });

  it("asks the password file only when neither the URL nor PGPASSWORD holds a password", () => {
    expect(connectionSettings("postgres://hub:secret@db/hub", {}).password).toBe("secret");
    expect(connectionSettings("postgres://hub@db/hub", { PGPASSWORD: "env" }).password).toBe("");
    expect(typeof connectionSettings("postgres://hub@db/hub", { PGPASSFILE: "/nonexistent" }).password).toBe(
      "function",
    );
  });

  it("says where it looked for a password that was not there", () => {
    expect(
      missingPasswordAdvice("postgres://hub@db.powiat.local:5433/ledger", { PGPASSFILE: "/etc/pgpass" }),
    ).toContain("/etc/pgpass has no line for db.powiat.local:5433:ledger:hub");
  });
});
