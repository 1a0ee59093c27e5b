import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { servingFlags, tierUpFlag, tuneForServing } from "../../../kiosk/ops/serving-flags.ts";

const TIER_UP = "--invocation-count-for-turbofan=500";

describe("V8's flags for a serving daemon", () => {
  it("lowers V8's TurboFan threshold on V8 12 and later, and leaves Node 20's V8 11 as it is", () => {
    for (const [version, expected] of [
      ["11.3.244.8-node.33", []],
      ["12.4.254.21-node.33", [TIER_UP]],
      ["13.6.233.17-node.37", [TIER_UP]],
    ] as const) {
      const set: string[] = [];
      tuneForServing(version, (f) => set.push(f));
      expect(set).toEqual(["--heap-growing-percent=20", "--no-maglev", ...expected, "--expose-gc"]);
    }
  });

  it("sets the threshold exactly when this runtime's V8 knows the flag (Node refuses to start with one it does not)", () => {
    const run = spawnSync(process.execPath, [TIER_UP, "-e", "0"], { encoding: "utf8" });
    expect(run.status === 0 && run.stderr === "").toBe(tierUpFlag() !== undefined);
  });

  it("this Node takes every serving flag at run time, and gives the daemon V8's collector after them", () => {
    // V8 prints "unrecognized flag" to standard error for a flag it dropped, and goes on without it.
    const script = `
      const v8 = require("node:v8");
      const vm = require("node:vm");
      for (const f of ${JSON.stringify([...servingFlags(), "--expose-gc"])}) v8.setFlagsFromString(f);
      process.stdout.write(vm.runInNewContext("typeof gc"));`;
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("function");
  });
});
