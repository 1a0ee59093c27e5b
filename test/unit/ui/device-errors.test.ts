/**
 * The service console names every error code a driver records, in each of its languages, and keeps the
 * driver's own code and text beside the name for the vendor's hotline (ui/src/service/device-error.ts).
 * The codes are read from the drivers' sources, so a new code without a name fails here.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serviceMessages } from "../../../ui/src/i18n/service.ts";
import { deviceErrorText } from "../../../ui/src/service/device-error.ts";

const DEVICES = path.resolve(import.meta.dirname, "../../../devices");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "sim" ? [] : sources(file);
    return entry.name.endsWith(".ts") ? [fs.readFileSync(file, "utf8")] : [];
  });
}

/** Codes passed to recordError as literals, the ZVT reading's problem codes and PrintError's codes. */
function recordedCodes(): string[] {
  const codes = new Set<string>();
  for (const text of sources(DEVICES)) {
    for (const m of text.matchAll(/recordError\(\s*"([a-z_]+)"/g)) codes.add(m[1] as string);
    for (const m of text.matchAll(/problem: \{ code: "([a-z_]+)"/g)) codes.add(m[1] as string);
    const printCodes = /readonly code: ((?:"[a-z_]+"(?: \| )?)+)/.exec(text)?.[1];
    for (const m of printCodes?.matchAll(/"([a-z_]+)"/g) ?? []) codes.add(m[1] as string);
  }
  return [...codes].sort();
}

describe("the service console's device errors", () => {
  const codes = recordedCodes();

  it("finds the drivers' codes in their sources", () => {
    expect(codes).toEqual(
      expect.arrayContaining(["offline", "paper_out", "terminal_configuration", "amount_mismatch"]),
    );
  });

  it.each(["pl", "en", "uk"] as const)("names every recorded code in %s", (lang) => {
    const names = serviceMessages(lang).devices.errorNames;
    expect(codes.filter((code) => !names[code])).toEqual([]);
  });

  it("says what the code means first, then the driver's code, text and time", () => {
    const error = { code: "paper_out", message: "the printer reports paper out (paper_out)", at: "x" };
    const names = serviceMessages("pl").devices.errorNames;
    expect(deviceErrorText(error, names, "12:03:04")).toBe(
      "Brak papieru (12:03:04). paper_out: the printer reports paper out (paper_out)",
    );
    expect(deviceErrorText({ ...error, code: "brand_new" }, names, "12:03:04")).toBe(
      "brand_new: the printer reports paper out (paper_out) (12:03:04)",
    );
  });
});
