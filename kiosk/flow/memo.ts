/**
 * The last value computed, kept while its key stays the same: what the screen shows is built once
 * per change, however often it is asked for. A null key keeps nothing (the inputs cannot be named).
 *
 * Every caller between two changes gets the same object, so one that changed it would change what
 * the next caller sees. Outside production the value is frozen, deeply, so such a write throws in
 * the tests; in production it is not, because a throw there could stop a payment's step for what is
 * only a view.
 */
export class Memo<T> {
  private key: string | null = null;
  private value: T | undefined;

  get(key: string | null, compute: () => T): T {
    if (key !== null && key === this.key) return this.value as T;
    const value = CHECK_WRITES ? deepFreeze(compute()) : compute();
    this.key = key;
    this.value = value;
    return value;
  }
}

const CHECK_WRITES = process.env["NODE_ENV"] !== "production";

function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const member of Object.values(value)) deepFreeze(member);
  return value;
}
