import { describe, expect, it } from "vitest";
import { parseTransferCode } from "../../../kiosk/domain/transfer-code.ts";

// The reference's synthetic example (shared/reference/polish-fees-accounts-accessibility.md §3.1).
const EXAMPLE =
  "1234567883|PL|14102052260000123456789012|016050|Starostwo Powiat X|KOM/123/2026 rejestracja pojazdu|||";

describe("the ZBP transfer QR (SPEC §1b)", () => {
  it("reads the payee, account, amount in grosze and title", () => {
    expect(parseTransferCode(EXAMPLE)).toEqual({
      nip: "1234567883",
      nrb: "14102052260000123456789012",
      amount: 16_050,
      name: "Starostwo Powiat X",
      title: "KOM/123/2026 rejestracja pojazdu",
    });
  });

  it("reads 000000 as an amount left to the payer, and an empty NIP as a private payee", () => {
    const code = parseTransferCode("|PL|14102052260000123456789012|000000|Jan Kowalski|Czynsz 12/2026|||");
    expect(code?.amount).toBe(0);
    expect(code?.nip).toBe("");
  });

  it("refuses a code whose name, title or r1–r3 holds a card number", () => {
    const head = "1234567883|PL|14102052260000123456789012|016050|";
    for (const rest of [
      "Starostwo|karta 4111 1111 1111 1111|||",
      "4111111111111111|tytuł|||",
      "Starostwo|tytuł|5555555555554444||",
    ])
      expect(parseTransferCode(`${head}${rest}`), rest).toBeNull();
    expect(parseTransferCode(`${head}Starostwo|sprawa 1000000000009|||`)?.title).toBe("sprawa 1000000000009");
  });

  it("counts the 160 characters as characters: astral ones count once", () => {
    const head = "1234567883|PL|14102052260000123456789012|016050|Starostwo|";
    const tail = "|||";
    const room = 160 - head.length - tail.length;
    const title = "🚗".repeat(room);
    expect(parseTransferCode(`${head}${title}${tail}`)?.title).toBe(title);
    expect(parseTransferCode(`${head}${title}x${tail}`)).toBeNull();
  });

  it.each([
    ["eight fields", "1234567883|PL|14102052260000123456789012|016050|Starostwo|Tytuł||"],
    ["ten fields", `${EXAMPLE}|`],
    ["a foreign country", EXAMPLE.replace("|PL|", "|DE|")],
    ["an account with a wrong check digit", EXAMPLE.replace("1410205226", "1510205226")],
    ["an account with PL in it", EXAMPLE.replace("14102052260000123456789012", "PL141020522600001234567890")],
    ["an amount of five digits", EXAMPLE.replace("016050", "16050")],
    ["an amount with a decimal point", EXAMPLE.replace("016050", "160.50")],
    ["a NIP with a wrong check digit", EXAMPLE.replace("1234567883", "1234567884")],
    ["no payee name", EXAMPLE.replace("Starostwo Powiat X", "")],
    ["no title", EXAMPLE.replace("KOM/123/2026 rejestracja pojazdu", " ")],
    ["a control character", EXAMPLE.replace("Powiat", "Pow\u0007iat")],
    ["a byte that was not UTF-8 (decoded as U+FFFD)", EXAMPLE.replace("rejestracja", "rejestr\uFFFDacja")],
    ["a lone surrogate", EXAMPLE.replace("rejestracja", "rejestr\uD800acja")],
    ["over 160 characters", `${EXAMPLE.slice(0, -2)}${"x".repeat(80)}||`],
    ["an OPL1 slip", "OPL1|PZ1465|S/1|K|202611251030|20261209|100|DR:100|pik2026|sig"],
  ])("refuses %s", (_what, text) => {
    expect(parseTransferCode(text)).toBeNull();
  });
});
