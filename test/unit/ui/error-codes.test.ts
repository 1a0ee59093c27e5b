import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { errorAction, STAFF_CODES, staffCode } from "../../../ui/src/error-codes.ts";
import { SCREEN_ERROR_CODES } from "../../../ui/src/i18n/messages.ts";

const DOC = path.resolve(import.meta.dirname, "../../../docs/error-codes.md");

/** The rows of docs/error-codes.md as [staff code, daemon code]. */
function documented(): Array<[string, string]> {
  return fs
    .readFileSync(DOC, "utf8")
    .split("\n")
    .map((line) => /^\| (E\d\d) \| (?:`([A-Z_]+)`|anything else) \|/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2] ?? "UNKNOWN"]);
}

describe("staff codes on the visitor's error screens", () => {
  it("gives every error the screen knows one short code, none twice", () => {
    expect(Object.keys(STAFF_CODES).sort()).toEqual([...SCREEN_ERROR_CODES].sort());
    const staff = Object.values(STAFF_CODES);
    expect(new Set(staff).size).toBe(staff.length);
    for (const code of staff) expect(code).toMatch(/^E\d\d$/);
  });

  it("is the table documented in docs/error-codes.md", () => {
    const table = Object.entries(STAFF_CODES).map(([daemon, staff]) => [staff, daemon]);
    expect(documented().sort()).toEqual(table.sort());
  });

  it("names an unknown code E99 and offers a scan again only for an unreadable code", () => {
    expect(staffCode("SOMETHING_NEW")).toBe("E99");
    expect(staffCode("SLIP_ALREADY_PAID")).toBe("E08");
    expect(errorAction("SLIP_UNREADABLE")).toBe("scan-again");
    expect(errorAction("SLIP_CHECK_UNAVAILABLE")).toBe("try-again");
    expect(errorAction("SLIP_EXPIRED")).toBe("start");
  });
});
