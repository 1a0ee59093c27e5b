import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { optimiseSooner, TURBOFAN_AFTER_CALLS } from "../../../kiosk/ops/tier-up.ts";

const FLAG = `--invocation-count-for-turbofan=${TURBOFAN_AFTER_CALLS}`;

describe("optimising the payment's code sooner", () => {
  it("sets V8's TurboFan threshold on V8 12 and later, and nothing on Node 20's V8 11", () => {
    for (const [version, expected] of [
      ["11.3.244.8-node.33", []],
      ["12.4.254.21-node.33", [FLAG]],
      ["13.6.233.17-node.37", [FLAG]],
    ] as const) {
      const set: string[] = [];
      expect(optimiseSooner(version, (f) => set.push(f))).toBe(expected.length > 0);
      expect(set).toEqual(expected);
    }
  });

  it("names a flag this runtime's V8 knows exactly when it sets it (a Node that does not know it refuses to start with it)", () => {
    const known = spawnSync(process.execPath, [FLAG, "-e", "0"], { encoding: "utf8" });
    const sets = optimiseSooner(process.versions.v8, () => undefined);
    expect(known.status === 0).toBe(sets);
  });
});
