/**
 * SPEC §5's verify commands as a clerk's script calls them: a payload read from a file or a pipe
 * keeps its line end, which the kiosk strips from a scan (SPEC §1) and so must the command line;
 * the decoded code is JSON on stdout, a refusal is the bare error code and exit 1.
 */
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signReceiptCode } from "../../../kiosk/domain/receipt-code.ts";
import { oplatomat, writeConfig } from "../../helpers/cli-daemon.ts";
import { issueSlip, testConfig, testKeys } from "../../helpers/test-config.ts";

const keys = testKeys();
let dir = "";
let config = "";
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-conf-cli-"));
  config = writeConfig(dir, testConfig(keys));
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("oplatomat slip verify / receipt verify", () => {
  it("reads a slip with its line end as the kiosk reads a scan", async () => {
    const payload = issueSlip(keys, { slip: "S/LF/1", caseRef: "Zażółć/1" });
    for (const end of ["", "\n", "\r\n"]) {
      const r = await oplatomat(["slip", "verify", "--config", config, `${payload}${end}`], {
        OPLATOMAT_CONFIG: "",
      });
      expect(r.code, `${JSON.stringify(end)}: ${r.stdout.toString()}`).toBe(0);
      expect(JSON.parse(r.stdout.toString())).toMatchObject({
        slip: "S/LF/1",
        case: "Zażółć/1",
        total: 16000,
      });
    }
    const bad = await oplatomat(["slip", "verify", "--config", config, `${payload.slice(0, -3)}xyz\n`], {
      OPLATOMAT_CONFIG: "",
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout.toString().trim()).toBe("SLIP_SIGNATURE_INVALID");
  });

  it("reads a receipt code with its line end against the kiosk's public key", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const pub = path.join(dir, "receipt.pub.pem");
    fs.writeFileSync(pub, publicKey.export({ type: "spki", format: "pem" }));
    const code = signReceiptCode(
      {
        kiosk: "KASA-7",
        payment: "KASA-7_1",
        office: "UM-GDN",
        slip: "-",
        total: 1,
        paidAt: "20270101000000",
        kid: "KASA-7",
      },
      privateKey,
    );
    for (const end of ["", "\n", "\r\n"]) {
      const r = await oplatomat(["receipt", "verify", "--key", pub, `${code}${end}`], {
        OPLATOMAT_CONFIG: "",
      });
      expect(r.code, `${JSON.stringify(end)}: ${r.stdout.toString()}`).toBe(0);
      expect(JSON.parse(r.stdout.toString())).toMatchObject({ kiosk: "KASA-7", total: 1 });
    }
    const unverified = await oplatomat(["receipt", "verify", `${code}\n`], { OPLATOMAT_CONFIG: "" });
    expect(unverified.code).toBe(1);
    expect(unverified.stdout.toString().trim()).toBe("RECEIPT_UNVERIFIED");
  });
});
