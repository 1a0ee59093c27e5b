/**
 * hub/store/in-order.ts: parts running at once reach the reader in part order, a part never runs
 * more than `depth` batches ahead, a failing part fails the whole, and a reader that stops ends
 * every running part (each holds a database connection).
 */
import { describe, expect, it } from "vitest";
import { inOrder, type Part } from "../../../hub/store/in-order.ts";

const tick = () => new Promise((r) => setTimeout(r, 1));

/** A part pushing `n` batches named after it, a pause before each; records how far ahead it ran. */
function part(name: string, n: number, log: string[], pause = 0): Part<string> {
  return async (push) => {
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < pause; p++) await tick();
      log.push(`made ${name}${i}`);
      await push(`${name}${i}`);
    }
  };
}

describe("inOrder", () => {
  it("hands batches over in part order though later parts finish first", async () => {
    const log: string[] = [];
    const read: string[] = [];
    await inOrder([part("a", 3, log, 5), part("b", 2, log), part("c", 2, log)], 3, async (b) => {
      read.push(b);
    });
    expect(read).toEqual(["a0", "a1", "a2", "b0", "b1", "c0", "c1"]);
    // b and c ran while a was still producing.
    expect(log.indexOf("made b0")).toBeLessThan(log.indexOf("made a2"));
  });

  it("keeps a part at most `depth` batches ahead of a slow reader", async () => {
    const log: string[] = [];
    let maxAhead = 0;
    let read = 0;
    await inOrder(
      [part("a", 1, log, 20), part("b", 10, log)],
      2,
      async () => {
        read++;
        maxAhead = Math.max(
          maxAhead,
          log.filter((l) => l.startsWith("made b")).length - Math.max(0, read - 1),
        );
        await tick();
      },
      2,
    );
    expect(read).toBe(11);
    // The batch being pushed, plus at most two waiting.
    expect(maxAhead).toBeLessThanOrEqual(3);
  });

  it("fails with a part's error, and ends the parts still running", async () => {
    let bStopped = false;
    const failing: Part<string> = async (push) => {
      await push("a0");
      throw new Error("cursor lost");
    };
    const endless: Part<string> = async (push) => {
      try {
        for (;;) await push("b");
      } finally {
        bStopped = true;
      }
    };
    await expect(inOrder([failing, endless], 2, async () => {})).rejects.toThrow("cursor lost");
    expect(bStopped).toBe(true);
  });

  it("ends every running part when the reader stops", async () => {
    const stopped: string[] = [];
    const endless =
      (name: string): Part<string> =>
      async (push) => {
        try {
          for (;;) await push(name);
        } finally {
          stopped.push(name);
        }
      };
    let n = 0;
    await expect(
      inOrder([endless("a"), endless("b")], 2, async () => {
        if (++n === 5) throw new Error("the reader went away");
      }),
    ).rejects.toThrow("the reader went away");
    expect(stopped.sort()).toEqual(["a", "b"]);
  });
});
