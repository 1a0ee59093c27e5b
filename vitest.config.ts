import os from "node:os";
import { defineConfig } from "vitest/config";

// Most test files wait on real time (idle time-outs, terminals, child processes, Chromium), not on the
// CPU. Vitest's default (one worker less than the cores) ran them one after another on a 2-core machine:
// 19-21 min for the suite. Two files at a time took it to 13 min there (2026-12-07, idle, 2 070 tests
// passed); larger machines get one worker per core.
const workers = Math.max(2, os.availableParallelism());

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/bench/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: workers,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
  },
});
