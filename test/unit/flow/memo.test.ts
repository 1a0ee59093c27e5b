import { describe, expect, it } from "vitest";
import { Memo } from "../../../kiosk/flow/memo.ts";

describe("Memo", () => {
  it("builds once per key and again when the key changes or cannot be named", () => {
    const memo = new Memo<{ n: number }>();
    let builds = 0;
    const build = () => ({ n: ++builds });
    const first = memo.get("a", build);
    expect(memo.get("a", build)).toBe(first);
    expect(memo.get("b", build).n).toBe(2);
    expect(memo.get(null, build).n).toBe(3);
    expect(memo.get(null, build).n).toBe(4);
  });

  it("hands out a value no caller can change under the next one (outside production)", () => {
    const memo = new Memo<{ lines: { amount: number }[] }>();
    const view = memo.get("k", () => ({ lines: [{ amount: 100 }] }));
    expect(() => {
      (view.lines[0] as { amount: number }).amount = 1;
    }).toThrow(TypeError);
    expect(() => view.lines.push({ amount: 5 })).toThrow(TypeError);
    expect(memo.get("k", () => ({ lines: [] })).lines).toEqual([{ amount: 100 }]);
  });
});
