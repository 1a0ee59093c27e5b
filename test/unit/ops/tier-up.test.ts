import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { optimiseSooner, tierUpFlag } from "../../../kiosk/ops/tier-up.ts";

const FLAG = "--invocation-count-for-turbofan=500";

describe("optimising the payment's code sooner", () => {
  it("lowers V8's TurboFan threshold on V8 12 and later, and leaves Node 20's V8 11 as it is", () => {
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

  it("sets it exactly when this runtime's V8 knows the flag (Node refuses to start with one it does not)", () => {
    const run = spawnSync(process.execPath, [FLAG, "-e", "0"], { encoding: "utf8" });
    expect(run.status === 0 && run.stderr === "").toBe(tierUpFlag() !== undefined);
  });
});
