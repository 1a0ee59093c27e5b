/**
 * The hub's configuration errors as an operator reads them (SPEC §9: validated like §3, each naming
 * the key and what is wrong): an enum says its allowed values, and a `oneOf` (the database's `url` or
 * `embedded`) answers for the alternative the file meant, not with every alternative's complaint.
 */
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

  it("say only what is wrong with the database url the file gives", () => {
    expect(problems(`database: { url: "mysql://hub@db/hub" }\n${BASE}`)).toEqual([
      '/database/url: must match pattern "^postgres(ql)?://"',
    ]);
  });
});
