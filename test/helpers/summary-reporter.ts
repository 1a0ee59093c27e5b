import fs from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

/** Prints the plain closing line ("tests: N passed, N failed") that CI reads. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const t of mod.children.allTests()) {
        const state = t.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      if (mod.state() === "failed" && mod.children.size === 0) failed++;
    }
    const line = `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
    process.stdout.write(`\n${line}\n`);
    // scripts/test.sh repeats it as the very last line, after the log scan.
    fs.mkdirSync("test-results", { recursive: true });
    fs.writeFileSync("test-results/summary.txt", `${line}\n`);
  }
}
