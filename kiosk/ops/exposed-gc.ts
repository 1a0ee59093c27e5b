/**
 * V8's `gc` function, reached without `--expose-gc` on node's command line: the flag is set at run time
 * and, since V8 installs `gc` only in contexts made after that, the function is taken from a fresh one.
 * Used by the report processes (spent-buffers.ts) and by the serving daemon (serving-flags.ts).
 */
import v8 from "node:v8";
import vm from "node:vm";

export type Collect = (options: { type: "minor" | "major" }) => void;

/** Sets `--expose-gc` and returns V8's collector; undefined where the runtime does not give one. */
export function exposeGc(setFlags: (flags: string) => void = v8.setFlagsFromString): Collect | undefined {
  setFlags("--expose-gc");
  const gc: unknown = vm.runInNewContext("typeof gc === 'function' ? gc : undefined");
  return typeof gc === "function" ? (gc as Collect) : undefined;
}
