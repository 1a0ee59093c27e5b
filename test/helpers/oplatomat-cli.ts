/** Runs the real `oplatomat` command as a child process, the way an operator would. */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const OPLATOMAT_BIN = path.resolve("bin/oplatomat.mjs");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command's exit code and what it wrote; `env` is the whole environment of the child. */
export async function runOplatomat(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeout = 30_000,
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [OPLATOMAT_BIN, ...args], { env, timeout });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}
