// For the stand-ins beside it: one of Node's own modules, required at the first call of the function this
// returns, and the same module object from then on.
import { createRequire } from "node:module";

export function lazyBuiltin(name) {
  let real;
  return () => {
    real ??= createRequire(import.meta.url)(name);
    return real;
  };
}
