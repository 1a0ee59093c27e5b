/**
 * The last value computed, kept while its key stays the same: what the screen shows is built once
 * per change, however often it is asked for. A null key keeps nothing (the inputs cannot be named).
 */
export class Memo<T> {
  private key: string | null = null;
  private value: T | undefined;

  get(key: string | null, compute: () => T): T {
    if (key !== null && key === this.key) return this.value as T;
    const value = compute();
    this.key = key;
    this.value = value;
    return value;
  }
}
