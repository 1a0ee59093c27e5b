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

export type TerminalProfileName = (typeof TERMINAL_PROFILE_NAMES)[number];

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
};

export function isTerminalProfileName(name: string): name is TerminalProfileName {
  return (TERMINAL_PROFILE_NAMES as readonly string[]).includes(name);
}
