/**
 * A serial reader's bytes arrive in chunks cut wherever the UART or the USB stack cut them, also
 * inside a multi-byte UTF-8 character: a case reference such as `KOM/Łódź/2026` must come out whole
 * (its slip's signature covers those bytes), whatever the cut.
 */
import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../../devices/scanner/lines.ts";

describe("LineSplitter", () => {
  it("keeps a multi-byte character cut between two chunks whole, at every cut", () => {
    const code = "OPL1|PZ1465|S/2026/000123|KOM/Łódź/2026 — 🚗";
    const bytes = Buffer.from(`${code}\r\n`, "utf8");
    for (let cut = 1; cut < bytes.length; cut++) {
      const lines = new LineSplitter();
      const out = [...lines.push(bytes.subarray(0, cut)), ...lines.push(bytes.subarray(cut))];
      expect(out, `cut at byte ${cut}`).toEqual([code]);
    }
  });

  it("reads one byte at a time, as a slow serial line may deliver them", () => {
    const code = "Zażółć gęślą jaźń";
    const bytes = Buffer.from(`${code}\n${code}\n`, "utf8");
    const lines = new LineSplitter();
    const out: string[] = [];
    for (const b of bytes) out.push(...lines.push(Buffer.from([b])));
    expect(out).toEqual([code, code]);
  });

  it("starts afresh after a reset, a half character left over from before dropped", () => {
    const lines = new LineSplitter();
    lines.push(Buffer.from([0xc5])); // the first byte of Ł
    lines.reset();
    expect(lines.push(Buffer.from("ABC\n", "utf8"))).toEqual(["ABC"]);
  });
});
