/**
 * Terminal profiles: each one a behaviour seen on real ZVT terminals where the spec leaves room
 * (shared/reference/terminal-behaviours.md). A profile is a set of simulator options; the crash rig and
 * the tests iterate `TERMINAL_PROFILE_NAMES` so the kiosk is proven against every one of them.
 */

export const TERMINAL_PROFILE_NAMES = [
  "repeats-last-receipt",
  "repeats-nothing",
  "reversal-as-own-receipt",
  "implicit-ack",
  "late-abort",
  "print-lines-tlv",
  "text-block-charset",
  "unknown-bmps",
  "slow-completion",
] as const;

/**
 * Terminals that start out asking for something before they take payments (PA00P015 §11 terminal status,
 * §2.1 registration status byte). Kept out of `TERMINAL_PROFILE_NAMES`: those are proven with a payment at
 * once, these only after the kiosk sent what they ask for.
 */
export const TERMINAL_CONDITION_NAMES = [
  "needs-initialisation",
  "needs-diagnosis",
  "needs-end-of-day",
] as const;

export type TerminalProfileName =
  | (typeof TERMINAL_PROFILE_NAMES)[number]
  | (typeof TERMINAL_CONDITION_NAMES)[number];

/** What a simulated terminal asks for before it serves payments again. */
export type SimNeed = "initialisation" | "diagnosis" | "end_of_day";

/** The simulator options a profile may set (a subset of `ZvtSimulatorOptions`). */
export interface ProfileOptions {
  repeatReceipt?: "last" | "none" | "abort";
  serialAck?: "always" | "implicit";
  abortableUntil?: "host" | "card";
  printWith?: "auto" | "lines" | "lines-tlv";
  receiptCopies?: "customer" | "both";
  blockCharset?: "session" | "own";
  unknownFields?: boolean;
  printDelayMs?: number;
  startsNeeding?: SimNeed;
}

export interface TerminalProfile {
  name: TerminalProfileName;
  /** What the simulated terminal does. */
  behaviour: string;
  /** Where it was seen (a row of terminal-behaviours.md). */
  seenOn: string;
  options: ProfileOptions;
}

export const TERMINAL_PROFILES: Readonly<Record<TerminalProfileName, TerminalProfile>> = {
  "repeats-last-receipt": {
    name: "repeats-last-receipt",
    behaviour: "06 20 repeats the Status-Information of the last transaction (payment or reversal)",
    seenOn: "ZVT spec PA00P015 §2.20 (Repeat Receipt); the reference behaviour",
    options: { repeatReceipt: "last" },
  },
  "repeats-nothing": {
    name: "repeats-nothing",
    behaviour: "06 20 is answered with no Status-Information at all: 06 1E 83, never the last receipt",
    seenOn: "PAX A80 (Portalum issues 24, 26): row 1 of terminal-behaviours.md",
    options: { repeatReceipt: "abort" },
  },
  "reversal-as-own-receipt": {
    name: "reversal-as-own-receipt",
    behaviour:
      "a void (06 30) is booked as a transaction of its own: new receipt and trace numbers, the original's amount, BMP 37 = original trace; 06 20 afterwards repeats the reversal",
    seenOn: "ZVT spec §2.20; terminal recordings: row 2 of terminal-behaviours.md",
    options: { repeatReceipt: "last" },
  },
  "implicit-ack": {
    name: "implicit-ack",
    behaviour:
      "serial: the ACK byte is held back and left out when the terminal's own next frame (80 00 …) follows at once; on TCP no difference",
    seenOn: "Ingenico (wirelane/ecrterm: 'acknowledge often empty'): row 3 of terminal-behaviours.md",
    options: { serialAck: "implicit" },
  },
  "late-abort": {
    name: "late-abort",
    behaviour:
      "06 B0 is accepted only until the card is read; later it is answered 84 83 and the payment goes on to its result",
    seenOn: "ZVT spec; card complete precisions §3.2.21; Portalum docs: row 4 of terminal-behaviours.md",
    options: { abortableUntil: "card" },
  },
  "print-lines-tlv": {
    name: "print-lines-tlv",
    behaviour:
      "receipts come as 06 D1 lines each ending with a TLV 06 04 1F 07 01 <type>: the merchant copy, then the customer copy",
    seenOn: "Portalum PrintLineTest LineReceivedCardCompleteWithTlv: row 5 of terminal-behaviours.md",
    options: { printWith: "lines-tlv", receiptCopies: "both" },
  },
  "text-block-charset": {
    name: "text-block-charset",
    behaviour:
      "the registration echoes no charset (the session stays CP437), yet each 06 D3 block names its own in tag 14 (02, ISO 8859-2) and is encoded so",
    seenOn: "Portalum print-text-block tests (tag 14 inside the block): row 6 of terminal-behaviours.md",
    options: { blockCharset: "own", receiptCopies: "both" },
  },
  "unknown-bmps": {
    name: "unknown-bmps",
    behaviour:
      "Status-Information carries E8 (LLVAR), FB, FC, FD, 70–75, a BMP in no table, a vendor TLV tag with the constructed bit on a non-TLV value, and BMP 22 with a D separator followed by track data",
    seenOn: "Feig, Ingenico recordings; girocard recordings: rows 7 and 8 of terminal-behaviours.md",
    options: { unknownFields: true },
  },
  "slow-completion": {
    name: "slow-completion",
    behaviour:
      "after the acknowledged 04 0F the receipt prints line by line slowly (06 D1 every 150 ms), so 06 0F comes seconds later",
    seenOn: "ZVT spec §2.2.9 (commit point before completion); printing terminals",
    options: { printWith: "lines", printDelayMs: 150 },
  },
  "needs-initialisation": {
    name: "needs-initialisation",
    behaviour:
      "registers with status byte 01 and answers 05 01 with terminal status 51 (initialisation required); refuses payments (04 0F 27 DF 'Terminal ist blockiert', 06 1E DF) until a 06 93 completes (04 FF, 06 D1 lines, 06 0F)",
    seenOn: "wirelane/ecrterm issue #7 (a blocked terminal: status 51, payments 27 DF); PA00P015 §2.18, §11",
    options: { startsNeeding: "initialisation" },
  },
  "needs-diagnosis": {
    name: "needs-diagnosis",
    behaviour:
      "registers with status byte 02 and answers 05 01 with terminal status C2 (diagnosis required); refuses payments with result code C2 until a 06 70 completes",
    seenOn: "PA00P015 §2.17, §11 (status byte bit 02, terminal status C2)",
    options: { startsNeeding: "diagnosis" },
  },
  "needs-end-of-day": {
    name: "needs-end-of-day",
    behaviour:
      "answers 05 01 with terminal status F0 (reconciliation required); refuses payments with result code 6A (turnover file full) until a 06 50 closes the batch",
    seenOn: "PA00P015 §11 (F0, B1 → end-of-day); terminals whose acquirer forces a daily closing",
    options: { startsNeeding: "end_of_day" },
  },
};

export function isTerminalProfileName(name: string): name is TerminalProfileName {
  return ([...TERMINAL_PROFILE_NAMES, ...TERMINAL_CONDITION_NAMES] as readonly string[]).includes(name);
}
