/** The paced line's pacing rule, on a clock the test moves: a byte is never handed on before its slot. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PacedDirection } from "../../../devices/sim/paced-direction.ts";

describe("one direction of a paced serial line", () => {
  let now = 0;
  const delivered: number[][] = [];
  let line: PacedDirection;

  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
    delivered.length = 0;
    line = new PacedDirection(
      1,
      (bytes) => delivered.push([...bytes]),
      () => now,
    );
  });
  afterEach(() => vi.useRealTimers());

  function advance(ms: number): void {
    now += ms;
    vi.advanceTimersByTime(ms);
  }

  it("hands on each byte only once the line has carried it, in order", () => {
    line.push(Buffer.from([1, 2, 3]));
    expect(delivered).toEqual([]);
    advance(1);
    expect(delivered.flat()).toEqual([1]);
    advance(1.5);
    expect(delivered.flat()).toEqual([1, 2]);
    advance(10);
    expect(delivered.flat()).toEqual([1, 2, 3]);
  });

  it("queues a later write behind the bytes still on the line", () => {
    line.push(Buffer.from([1, 2]));
    advance(0.5);
    line.push(Buffer.from([3]));
    advance(2);
    expect(delivered.flat()).toEqual([1, 2]);
    advance(1);
    expect(delivered.flat()).toEqual([1, 2, 3]);
  });

  it("starts a byte written after a quiet line at once, not in a slot that has passed", () => {
    line.push(Buffer.from([1]));
    advance(5);
    line.push(Buffer.from([2]));
    advance(0.9);
    expect(delivered.flat()).toEqual([1]);
    advance(0.1);
    expect(delivered.flat()).toEqual([1, 2]);
  });
});
