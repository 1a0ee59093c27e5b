/** Narrowing of the staff API's JSON at the page's edge: anything unexpected becomes a safe default. */
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function str(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

export function nullableStr(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** An integer (grosze, counts); anything else is 0 — amounts are never read from fractions. */
export function int(value: unknown): number {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : 0;
}

export function bool(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}

export function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
