/**
 * The QR reader follows the visitor's session: armed while a code may start or extend a payment
 * (`armable` of flow/states.ts: no payment in progress, not out of order), disarmed while a payment runs, so a code
 * shown by the next person in the queue cannot reach a payment in progress. Every code read goes to
 * the flow; a technician's scanner test takes the next one instead.
 */
import type { ScreenState } from "../../contracts/session-states.ts";
import type { CodeScanner } from "../../devices/device.ts";
import { armable } from "../flow/states.ts";

/** What the scanner needs of the flow. */
export interface ScanTarget {
  readerScan(code: string): Promise<unknown>;
  captureNextScan(timeoutMs: number): Promise<string | null>;
  on(event: "screen", listener: (change: { state: ScreenState }) => void): unknown;
}

/** Feeds codes to the flow and arms or disarms the reader on every session change. */
export function connectScanner(scanner: CodeScanner, flow: ScanTarget): void {
  scanner.on("data", (code) => {
    void flow.readerScan(code).catch(() => undefined);
  });
  flow.on("screen", (change) => {
    const on = armable(change.state);
    if (on && !scanner.armed) scanner.arm();
    if (!on && scanner.armed) scanner.disarm();
  });
}

/** The technician's scanner test: the next code goes to them, whatever the session's state. */
export function captureNextScan(
  scanner: CodeScanner,
  flow: ScanTarget,
  timeoutMs: number,
): Promise<string | null> {
  const code = flow.captureNextScan(timeoutMs);
  scanner.arm();
  return code;
}
