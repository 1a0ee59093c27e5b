import { describe, expect, it } from "vitest";
import { WedgeDetector, type WedgeResult } from "../../../ui/src/wedge.ts";

/** Types `text` then Enter with `gap` ms between keys; returns the result of the Enter. */
function typeText(detector: WedgeDetector, text: string, gap: number, start = 1000): WedgeResult {
  let time = start;
  for (const ch of text) {
    detector.feed(ch, time);
    time += gap;
  }
  return detector.feed("Enter", time);
}

const PAYLOAD = "OPL1|PZ1465|S/2026/000123|KOM/123/2026|202611251030|20261209|16000|DR:5400|pik2026|Xy";

describe("keyboard-wedge scanner capture", () => {
  it("takes a fast burst ending in Enter as a scan", () => {
    expect(typeText(new WedgeDetector(), PAYLOAD, 4)).toEqual({ kind: "scan", payload: PAYLOAD });
  });

  it("leaves a person typing slowly alone", () => {
    expect(typeText(new WedgeDetector(), "KOM/123/2026", 120)).toEqual({ kind: "none" });
  });

  it("forgives the odd late key of a busy machine inside a fast burst", () => {
    const detector = new WedgeDetector();
    let time = 0;
    for (const [i, ch] of [...PAYLOAD].entries()) {
      detector.feed(ch, time);
      time += i % 20 === 0 ? 60 : 3;
    }
    expect(detector.feed("Enter", time)).toEqual({ kind: "scan", payload: PAYLOAD });
  });

  it("keeps a burst whole when the browser stalls for a moment in the middle of it", () => {
    const detector = new WedgeDetector();
    let time = 0;
    for (const [i, ch] of [...PAYLOAD].entries()) {
      detector.feed(ch, time);
      time += i === 40 ? 400 : 2;
    }
    expect(detector.feed("Enter", time)).toEqual({ kind: "scan", payload: PAYLOAD });
  });

  it("does not glue a person's earlier keys to a scan that follows a pause", () => {
    const detector = new WedgeDetector();
    let time = 0;
    for (const ch of "ABC") {
      detector.feed(ch, time);
      time += 150;
    }
    expect(typeText(detector, PAYLOAD, 3, time + 200)).toEqual({ kind: "scan", payload: PAYLOAD });
  });

  it("leaves a fast typist alone (80 ms a key)", () => {
    expect(typeText(new WedgeDetector(), "GKO.3120.15.2026", 80)).toEqual({ kind: "none" });
  });

  it("ignores short fast bursts such as a double key press", () => {
    expect(typeText(new WedgeDetector(), "12345", 2)).toEqual({ kind: "none" });
  });

  it("ignores Shift presses inside a burst (capitals and | come with Shift)", () => {
    const detector = new WedgeDetector();
    let time = 0;
    for (const ch of "OPL1|ABCDEFGH") {
      detector.feed("Shift", time);
      detector.feed(ch, time + 1);
      time += 3;
    }
    expect(detector.feed("Enter", time)).toEqual({ kind: "scan", payload: "OPL1|ABCDEFGH" });
  });

  it("starts over when a pause splits the keys, so slow text typed before a scan is not included", () => {
    const detector = new WedgeDetector();
    typeText(detector, "abc", 200, 0);
    // (the Enter above ended that attempt) — now slow keys, a pause, then a burst without Enter in between
    let time = 5000;
    for (const ch of "xyz") {
      detector.feed(ch, time);
      time += 300;
    }
    time += 500;
    expect(typeText(detector, PAYLOAD, 3, time)).toEqual({ kind: "scan", payload: PAYLOAD });
  });

  it("does not take a burst whose Enter came late as a scan", () => {
    const detector = new WedgeDetector();
    let time = 0;
    for (const ch of PAYLOAD) {
      detector.feed(ch, time);
      time += 3;
    }
    expect(detector.feed("Enter", time + 2000)).toEqual({ kind: "none" });
  });

  it("is broken by navigation keys", () => {
    const detector = new WedgeDetector();
    let time = 0;
    for (const ch of "ABCDEFGH") {
      detector.feed(ch, time);
      time += 3;
    }
    detector.feed("Tab", time);
    expect(detector.feed("Enter", time + 3)).toEqual({ kind: "none" });
  });
});
