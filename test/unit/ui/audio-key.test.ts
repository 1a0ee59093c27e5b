import { describe, expect, it } from "vitest";
import { AUDIO_KEY_WINDOW_MS, AudioKeyGate, type Timers } from "../../../ui/src/audio-key.ts";

/** Timers the test moves by hand: what is due runs when the clock passes it. */
class Clock implements Timers {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; run: () => void }>();
  set(run: () => void, ms: number): number {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, run });
    return id;
  }
  clear(id: number): void {
    this.due.delete(id);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.due]) {
      if (t.at <= this.now) {
        this.due.delete(id);
        t.run();
      }
    }
  }
}

/** Keys typed `gap` ms apart (a "*" as the keypad's key, as a keypad-emulating reader sends it). */
function typeKeys(gate: AudioKeyGate, clock: Clock, text: string, gap: number): boolean[] {
  const taken: boolean[] = [];
  for (const ch of text) {
    const code = ch === "*" ? "NumpadMultiply" : ch === "\n" ? "Enter" : `Key${ch.toUpperCase()}`;
    taken.push(gate.key({ key: ch === "\n" ? "Enter" : ch, code, timeStamp: clock.now }));
    clock.advance(gap);
  }
  return taken;
}

describe("the keypad's audio key against a reader's '*' (issue 18 risk 3a)", () => {
  function setUp() {
    const clock = new Clock();
    let pressed = 0;
    const gate = new AudioKeyGate(() => pressed++, AUDIO_KEY_WINDOW_MS, clock);
    return { clock, gate, pressed: () => pressed };
  }

  it("a person's '*' is the audio key, once it stood alone", () => {
    const { clock, gate, pressed } = setUp();
    clock.advance(5_000);
    expect(typeKeys(gate, clock, "*", 0)).toEqual([true]);
    expect(pressed()).toBe(0);
    clock.advance(AUDIO_KEY_WINDOW_MS);
    expect(pressed()).toBe(1);
    clock.advance(2_000);
    typeKeys(gate, clock, "*", 0);
    clock.advance(AUDIO_KEY_WINDOW_MS);
    expect(pressed()).toBe(2);
  });

  it("a '*' inside a scan is not (typed a few ms after the previous key)", () => {
    const { clock, gate, pressed } = setUp();
    clock.advance(5_000);
    const taken = typeKeys(gate, clock, "PAY*2026*ABC\n", 4);
    clock.advance(5_000);
    expect(taken.every((t) => !t)).toBe(true);
    expect(pressed()).toBe(0);
  });

  it("a '*' that starts a scan is not either (the reader's next key follows at once)", () => {
    const { clock, gate, pressed } = setUp();
    clock.advance(5_000);
    typeKeys(gate, clock, "*OPL1|X|Y\n", 4);
    clock.advance(5_000);
    expect(pressed()).toBe(0);
  });

  it("a '*' right after a scan was read is the audio key: the scan is over", () => {
    const { clock, gate, pressed } = setUp();
    clock.advance(5_000);
    typeKeys(gate, clock, "AB*CD", 4);
    gate.scanEnded();
    typeKeys(gate, clock, "*", 0);
    clock.advance(AUDIO_KEY_WINDOW_MS);
    expect(pressed()).toBe(1);
  });

  it("a '*' a person presses after a scan is the audio key again", () => {
    const { clock, gate, pressed } = setUp();
    clock.advance(5_000);
    typeKeys(gate, clock, "A*B\n", 4);
    clock.advance(1_000);
    typeKeys(gate, clock, "*", 0);
    clock.advance(AUDIO_KEY_WINDOW_MS);
    expect(pressed()).toBe(1);
  });
});
