/**
 * The service console's "last error" of a device: what the driver's code means, in the console's
 * language, then the driver's own code and English text (devices/… `recordError`), which is what a
 * terminal or printer vendor's hotline asks for, and when it happened.
 */
import type { DeviceReport } from "./service-api.ts";

export function deviceErrorText(
  error: NonNullable<DeviceReport["lastError"]>,
  names: Readonly<Record<string, string>>,
  when: string,
): string {
  const detail = `${error.code}: ${error.message}`;
  const name = names[error.code];
  return name ? `${name} (${when}). ${detail}` : `${detail} (${when})`;
}
