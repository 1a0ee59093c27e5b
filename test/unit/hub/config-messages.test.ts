/**
 * The hub's configuration errors as an operator reads them (SPEC §9: validated like §3, each naming
 * the key and what is wrong): an enum says its allowed values, and a `oneOf` (the database's `url` or
 * `embedded`) answers for the alternative the file meant, not with every alternative's complaint.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HubConfigError, parseHubConfig } from "../../../hub/config/load.ts";

const BASE = `
server: { host: 127.0.0.1, port: 8443 }
offices:
  PZ1465:
    name: Starostwo
    nip: "7781425636"
    recipients:
      POWIAT: { name: Powiat, nrb: "12102099920000000014651001" }
devices:
  - { id: K01, office: PZ1465, kind: kiosk, tokenEnv: HUB_K01 }
staff: []
bank: { payerNrb: "12102099920000000014651001", payerName: Starostwo }
`;

function problems(yaml: string): string[] {
  try {
    parseHubConfig(yaml, "/tmp", { HUB_K01: "token-of-kiosk-k01-0123456789abcdef" });
  } catch (error) {
    if (!(error instanceof HubConfigError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

describe("hub configuration errors", () => {
  it("accept the base configuration", () => {
    expect(problems(`database: { url: "postgres://hub@db/hub" }\n${BASE}`)).toEqual([]);
  });

  it("name the allowed values of a device's kind", () => {
    expect(
      problems(`database: { url: "postgres://hub@db/hub" }\n${BASE.replace("kind: kiosk", "kind: atm")}`),
    ).toEqual(["/devices/0/kind: must be one of kiosk, desk"]);
  });

  it("refuse a name a payout file could not carry whole (Elixir-O: 4 lines of 35 characters), at the name", () => {
    // The recipient's name, the paying account's name, and the title (day, office and its name, codes).
    const long =
      "Starostwo Powiatowe w Przykładowie – Wydział Finansowo-Budżetowy, Referat Rachunkowości i Rozliczeń Opłat Komunikacyjnych";
    const yaml = `database: { url: "postgres://hub@db/hub" }\n${BASE}`
      .replace("{ name: Powiat,", `{ name: "${long} i Egzaminów Kierowców",`)
      .replace("payerName: Starostwo", `payerName: "${long} – rachunek wydatków bieżących"`)
      .replace("name: Starostwo\n", `name: "${long}"\n`);
    expect(problems(yaml)).toEqual([
      "/offices/PZ1465/recipients/POWIAT/name: too long for a payout transfer (Elixir-O): 5 lines of 35 characters needed, 4 at most",
      "/offices/PZ1465/name: the payout title for POWIAT (the office's id, this name and the codes) is too long for a payout transfer (Elixir-O): 5 lines of 35 characters needed, 4 at most",
      "/bank/payerName: too long for a payout transfer (Elixir-O): 5 lines of 35 characters needed, 4 at most",
    ]);
  });

  it("say only what is wrong with the database url the file gives", () => {
    expect(problems(`database: { url: "mysql://hub@db/hub" }\n${BASE}`)).toEqual([
      '/database/url: must match pattern "^postgres(ql)?://"',
    ]);
  });

  it("tell the operator to quote an NRB or a NIP YAML read as a number", () => {
    const unquoted = BASE.replace('nip: "7781425636"', "nip: 7781425636")
      .replace('nrb: "12102099920000000014651001" }', "nrb: 12102099920000000014651001 }")
      .replace('payerNrb: "12102099920000000014651001"', "payerNrb: 12102099920000000014651001");
    const quote = (key: string) =>
      `must be string: write it in quotes (${key}: "…"); unquoted, YAML reads the digits as a number`;
    expect(problems(`database: { url: "postgres://hub@db/hub" }\n${unquoted}`)).toEqual([
      `/offices/PZ1465/nip: ${quote("nip")}`,
      `/offices/PZ1465/recipients/POWIAT/nrb: ${quote("nrb")}`,
      `/bank/payerNrb: ${quote("payerNrb")}`,
    ]);
  });
  it("refuse one token for two staff logins, or for a staff login and a device", () => {
    // A bearer token names one caller: shared, it would read as whichever entry came last (a login of
    // one office reading every office's reports), or a device's token would open the staff API.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hub-config-tokens-"));
    try {
      fs.writeFileSync(path.join(dir, "finance.token"), "token-of-the-finance-system-0123456789");
      fs.writeFileSync(path.join(dir, "kiosk.token"), "token-of-kiosk-k01-0123456789abcdef\n");
      const staff = `staff:
  - { login: anna, name: Anna, offices: [PZ1465], tokenFile: finance.token }
  - { login: all, name: Everyone, offices: all, tokenFile: finance.token }
  - { login: kiosk, name: Kiosk, offices: [PZ1465], tokenFile: kiosk.token }
`;
      const yaml = `database: { url: "postgres://hub@db/hub" }\n${BASE.replace("staff: []\n", staff)}`;
      let found: string[] = [];
      try {
        parseHubConfig(yaml, dir, { HUB_K01: "token-of-kiosk-k01-0123456789abcdef" });
      } catch (error) {
        if (!(error instanceof HubConfigError)) throw error;
        found = error.problems.map((p) => `${p.path}: ${p.message}`);
      }
      expect(found).toEqual([
        "/staff/1: two staff logins share one token",
        "/staff/2: a staff login and a device share one token",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
