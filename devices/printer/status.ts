/**
 * ESC/POS status bytes (device-layer reference §4.5), as pure functions: the real-time replies to
 * DLE EOT 1–4, the 4-byte automatic status back (GS a), and the one-byte reply to GS r 1 that
 * receiptline appends to every job (it is queued behind the print data, so it means "job processed").
 */
import type { PrinterReadiness, PrinterStatus } from "../device.ts";

export const DLE_EOT = (n: 1 | 2 | 3 | 4): Buffer => Buffer.from([0x10, 0x04, n]);
/** Recover from a recoverable error and clear the receive and print buffers (DLE ENQ 2). */
export const DLE_ENQ_CLEAR = Buffer.from([0x10, 0x05, 0x02]);
/** Automatic status back: drawer, online/offline, error, roll paper sensor (bits 0–3). */
export const ASB_MASK = 0x0f;
export const GS_A = (n: number): Buffer => Buffer.from([0x1d, 0x61, n & 0xff]);

/** What DLE EOT 1–4 said; each field comes from one reply byte. */
export interface RealtimeStatus {
  /** n=1 bit 3. */
  offline: boolean;
  /** n=2 bit 2. */
  coverOpen: boolean;
  /** n=2 bit 5. */
  stoppedByPaperEnd: boolean;
  /** n=2 bit 6, or any error cause of n=3. */
  error: boolean;
  /** n=3 bit 3 autocutter, bit 5 unrecoverable. */
  failure: boolean;
  /** n=4 bits 2+3. */
  paperNearEnd: boolean;
  /** n=4 bits 5+6. */
  paperEnd: boolean;
}

/** A DLE EOT reply byte: fixed bits 1 and 4 set, bits 0 and 7 clear. */
export function isRealtimeReply(b: number): boolean {
  return (b & 0x93) === 0x12;
}

/** The first byte of an automatic status back block: bit 4 set, bits 0, 1, 7 clear. */
export function isAsbFirstByte(b: number): boolean {
  return (b & 0x93) === 0x10;
}

/** Combines the four DLE EOT replies into the kiosk's printer status. */
export function realtimeToStatus(replies: { 1: number; 2: number; 3: number; 4: number }): PrinterStatus {
  const rt = parseRealtime(replies);
  return {
    online: !rt.offline,
    paper: rt.paperEnd || rt.stoppedByPaperEnd ? "out" : rt.paperNearEnd ? "near_end" : "ok",
    coverOpen: rt.coverOpen,
    failure: rt.failure,
  };
}

export function parseRealtime(replies: { 1: number; 2: number; 3: number; 4: number }): RealtimeStatus {
  const p = replies[1];
  const cause = replies[2];
  const err = replies[3];
  const roll = replies[4];
  return {
    offline: (p & 0x08) !== 0,
    coverOpen: (cause & 0x04) !== 0,
    stoppedByPaperEnd: (cause & 0x20) !== 0,
    error: (cause & 0x40) !== 0 || (err & 0x68) !== 0,
    failure: (err & 0x28) !== 0,
    paperNearEnd: (roll & 0x0c) !== 0,
    paperEnd: (roll & 0x60) !== 0,
  };
}

/** Decodes a 4-byte automatic status back block. */
export function asbToStatus(block: readonly number[]): PrinterStatus {
  const b1 = block[0] ?? 0;
  const b2 = block[1] ?? 0;
  const b3 = block[2] ?? 0;
  return {
    online: (b1 & 0x08) === 0,
    paper: (b3 & 0x0c) !== 0 ? "out" : (b3 & 0x03) !== 0 ? "near_end" : "ok",
    coverOpen: (b1 & 0x20) !== 0,
    failure: (b2 & 0x28) !== 0,
  };
}

/** Ready to print: online, cover closed, paper present (near end still prints), no failure. */
export function isReady(s: PrinterStatus): boolean {
  return s.online && !s.coverOpen && s.paper !== "out" && !s.failure;
}

/** Why a status is not ready, as a PrintError code; undefined when ready. */
export function notReadyReason(
  s: PrinterStatus,
): "paper_out" | "cover_open" | "offline" | "failure" | undefined {
  if (s.coverOpen) return "cover_open";
  if (s.paper === "out") return "paper_out";
  if (s.failure) return "failure";
  if (!s.online) return "offline";
  return undefined;
}

/** A status as the readiness the flow asks for before a payment. */
export function readinessOf(s: PrinterStatus): PrinterReadiness {
  const reason = notReadyReason(s);
  if (reason) return { ready: false, reason };
  return { ready: true, paper: s.paper === "near_end" ? "near_end" : "ok" };
}

export type StatusMessage =
  | { kind: "realtime"; byte: number }
  | { kind: "asb"; status: PrinterStatus; bytes: number[] }
  /** The GS r 1 reply (bit 4 clear): the printer processed everything before it. */
  | { kind: "paper"; byte: number; nearEnd: boolean; paperEnd: boolean };

/**
 * Splits the bytes a printer sends back into messages. Stateful because an automatic status back
 * block is four bytes whose last three look like GS r replies; it never throws on any input.
 */
export class StatusReader {
  private asb: number[] | undefined;

  push(chunk: Uint8Array): StatusMessage[] {
    const out: StatusMessage[] = [];
    for (const b of chunk) {
      if (this.asb) {
        this.asb.push(b);
        if (this.asb.length === 4) {
          out.push({ kind: "asb", status: asbToStatus(this.asb), bytes: this.asb });
          this.asb = undefined;
        }
        continue;
      }
      if (isRealtimeReply(b)) out.push({ kind: "realtime", byte: b });
      else if (isAsbFirstByte(b)) this.asb = [b];
      else if ((b & 0x90) === 0) {
        out.push({ kind: "paper", byte: b, nearEnd: (b & 0x03) !== 0, paperEnd: (b & 0x0c) !== 0 });
      }
      // Anything else (GS I blocks, noise) is not ours to interpret.
    }
    return out;
  }

  reset(): void {
    this.asb = undefined;
  }
}
