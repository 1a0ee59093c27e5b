import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  asbToStatus,
  notReadyReason,
  realtimeToStatus,
  StatusReader,
} from "../../../devices/printer/status.ts";

describe("ESC/POS status bytes", () => {
  it("reads DLE EOT replies: cover open wins over the offline it causes", () => {
    const s = realtimeToStatus({ 1: 0x1a, 2: 0x16, 3: 0x12, 4: 0x12 });
    expect(s).toEqual({ online: false, paper: "ok", coverOpen: true, failure: false });
    expect(notReadyReason(s)).toBe("cover_open");
  });

  it("reads paper near end and paper end from DLE EOT 4", () => {
    expect(realtimeToStatus({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1e }).paper).toBe("near_end");
    expect(realtimeToStatus({ 1: 0x1a, 2: 0x32, 3: 0x12, 4: 0x72 }).paper).toBe("out");
  });

  it("splits automatic status back from real-time and GS r replies in one stream", () => {
    const reader = new StatusReader();
    // ASB (cover open), a DLE EOT reply, then a GS r reply (paper present).
    const messages = reader.push(Uint8Array.from([0x38, 0x00, 0x00, 0x00, 0x12, 0x00]));
    expect(messages.map((m) => m.kind)).toEqual(["asb", "realtime", "paper"]);
    const asb = messages[0]!;
    expect(asb.kind === "asb" && asb.status.coverOpen).toBe(true);
  });

  it("reassembles an automatic status back block split across chunks", () => {
    const reader = new StatusReader();
    expect(reader.push(Uint8Array.from([0x10, 0x00]))).toEqual([]);
    const [m] = reader.push(Uint8Array.from([0x0c, 0x00]));
    expect(m?.kind === "asb" && m.status.paper).toBe("out");
  });

  it("never throws and always yields well-formed statuses on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 16 }), (chunks) => {
        const reader = new StatusReader();
        for (const chunk of chunks) {
          for (const m of reader.push(chunk)) {
            if (m.kind === "asb") {
              expect(["ok", "near_end", "out"]).toContain(m.status.paper);
              expect(m.bytes).toHaveLength(4);
            }
          }
        }
      }),
      { numRuns: process.env.FUZZ_LONG ? 20_000 : 500 },
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), (b) => {
        const s = asbToStatus(b);
        expect(typeof s.online).toBe("boolean");
      }),
    );
  });
});
