/**
 * Whether an object is gone after a full collection: for code that must not stay in memory once its
 * caller lets go of it (the configuration's validator).
 */
import v8 from "node:v8";
import { runInNewContext } from "node:vm";

export async function collected(ref: WeakRef<object>): Promise<boolean> {
  // A WeakRef keeps its target until the current job ends.
  await new Promise((resolve) => setTimeout(resolve, 0));
  // V8 installs `gc` in contexts made after the flag; with no options it is the full collection that
  // clears weak references (kiosk/ops/exposed-gc.ts's typed `{ type }` ones are for the daemon).
  v8.setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
  return ref.deref() === undefined;
}
