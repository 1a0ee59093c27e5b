/**
 * The first scan `oplatomat demo` suggests on its console works as printed, pasted into a shell:
 * on the self-service kiosk, and on the cash desk (`--attended`), where a scan needs a shift's token
 * (SPEC §10) and the plain `curl … /api/scan` the demo used to print answered 401.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { type Demo, demoTryHint, startDemo } from "../../kiosk/demo.ts";

let demo: Demo | undefined;
let dataDir = "";

afterEach(async () => {
  await demo?.close();
  demo = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * The hint's commands, run by bash as a person would paste them (asynchronously: the daemon answering
 * them runs in this process); the last line of output.
 */
async function runHint(hint: string, payload: string): Promise<string> {
  const script = hint.replace(/^Try: /, "").replaceAll("<payload>", payload);
  const { stdout } = await promisify(execFile)("bash", ["-c", script], { encoding: "utf8", timeout: 20_000 });
  return stdout.trim().split("\n").at(-1) ?? "";
}

describe("the demo's suggested first scan", () => {
  for (const attended of [false, true]) {
    it(`opens the summary of a sample slip ${attended ? "at the cash desk" : "at the kiosk"}`, async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-demo-hint-"));
      demo = await startDemo({ port: 0, dataDir, quiet: true, attended, terminalDelayMs: 0 });
      const payload = demo.sampleSlips[0]?.payload as string;
      const answer = JSON.parse(await runHint(demoTryHint(demo.url, attended), payload)) as {
        state?: string;
        slip?: { id: string };
      };
      expect(answer.state).toBe("summary");
      expect(answer.slip?.id).toBe(payload.split("|")[2]);
    }, 60_000);
  }
});
