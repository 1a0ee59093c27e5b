/**
 * What a ZVT terminal says it needs before it serves payments again, and which command restores it
 * (PA00P015 §11 terminal status codes; §2.1 registration status byte). Initialisation and diagnosis
 * only restore the terminal, so the driver sends them itself; an end-of-day closes the batch, whose
 * totals only the payment flow may store, so for that one the driver only asks.
 */
import type { TerminalNeed } from "../../device.ts";
import { terminalStatusText } from "./codes.ts";
import * as cmd from "./commands.ts";

/** A need as the terminal stated it, before the driver decides who sees to it. */
export type FoundNeed = Pick<TerminalNeed, "action" | "code" | "reason">;

const hex = (code: number): string => code.toString(16).padStart(2, "0").toUpperCase();

function statusNeed(action: TerminalNeed["action"], status: number): FoundNeed {
  return { action, code: status, reason: `terminal status ${hex(status)} (${terminalStatusText(status)})` };
}

/**
 * The need a status enquiry's terminal status states: a need, `null` when the terminal is ready (00),
 * or `undefined` when the status says nothing about it (9C please wait, DC card inserted, …).
 * 62 "date/time incorrect" is answered with a diagnosis: the reference allows 06 91 or 06 70, and
 * 06 91's data layout is confirmed by no implementation we could read, while a diagnosis makes the
 * terminal take the host's date and time.
 */
export function needOfTerminalStatus(status: number | undefined): FoundNeed | null | undefined {
  switch (status) {
    case 0x00:
      return null;
    case 0x51:
      return statusNeed("initialisation", status);
    case 0xc2:
    case 0x62:
      return statusNeed("diagnosis", status);
    case 0xf0:
    case 0xb1:
      return statusNeed("end_of_day", status);
    default:
      return undefined;
  }
}

/** The registration completion's status byte (BMP 19): 01 initialisation necessary, 02 diagnosis necessary. */
export function needOfStatusByte(statusByte: number | undefined): FoundNeed | undefined {
  const byte = statusByte ?? 0;
  const reason = (what: string) => `registration status byte ${hex(byte)} (${what} necessary)`;
  if (byte & 0x01) return { action: "initialisation", code: byte, reason: reason("initialisation") };
  if (byte & 0x02) return { action: "diagnosis", code: byte, reason: reason("diagnosis") };
  return undefined;
}

/** The command the driver sends for a need it sees to itself. */
export function careCommand(
  action: "initialisation" | "diagnosis",
  password: string,
): { bytes: Buffer; name: string } {
  return action === "initialisation"
    ? { bytes: cmd.initialisation({ password }), name: "initialisation (06 93)" }
    : { bytes: cmd.diagnosis(), name: "diagnosis (06 70)" };
}

/**
 * The driver's bounded tries at one need: at most `attempts`, the n-th not before
 * `backoffMs · 2^(n-2)` after the one before (the idle poll looks again meanwhile).
 */
export class CareAttempts {
  private made = 0;
  private notBefore = 0;

  constructor(
    private readonly attempts: number,
    private readonly backoffMs: number,
  ) {}

  get count(): number {
    return this.made;
  }

  get exhausted(): boolean {
    return this.made >= this.attempts;
  }

  /** Whether another try may start now. */
  due(now: number): boolean {
    return !this.exhausted && now >= this.notBefore;
  }

  /** Records a try starting now. */
  start(now: number): void {
    this.made += 1;
    this.notBefore = now + this.backoffMs * 2 ** (this.made - 1);
  }

  reset(): void {
    this.made = 0;
    this.notBefore = 0;
  }
}
