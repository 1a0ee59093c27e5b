/**
 * How hard the fuzz suites push: a short run inside `npm test`, the long one under `npm run fuzz`
 * (FUZZ_LONG=1). A failing run prints its seed; FUZZ_SEED repeats it.
 */
export const LONG = process.env["FUZZ_LONG"] === "1";

export function runs(long: number, short: number): number {
  return LONG ? long : short;
}

/** Per-test time limit: generous for the long run, the suite default otherwise. */
export function timeLimit(longMs: number): number {
  return LONG ? longMs : 60_000;
}

const seedText = process.env["FUZZ_SEED"];

/** fast-check parameters shared by every property in test/fuzz. */
export function params(numRuns: number): { numRuns: number; seed?: number } {
  return seedText ? { numRuns, seed: Number(seedText) } : { numRuns };
}
