/** A string catalogue's every text, for tests that read all of them. */

/** Every leaf of a catalogue as [path, text]; message functions are called with `args`. */
export function leaves(value: unknown, args: readonly unknown[], path = ""): Array<[string, string]> {
  if (typeof value === "string") return [[path, value]];
  if (typeof value === "function") return [[path, String(value(...args))]];
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) =>
      leaves(inner, args, path ? `${path}.${key}` : key),
    );
  }
  throw new Error(`unexpected ${typeof value} at ${path}`);
}
