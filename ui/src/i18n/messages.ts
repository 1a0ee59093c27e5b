/** Every string the screen shows or speaks. pl is the default; en and uk must cover every key. */
import {
  ERROR_CODES,
  type ErrorCode as DaemonErrorCode,
  SLIP_ERROR_CODES,
} from "../../../contracts/error-codes.ts";

export { SLIP_ERROR_CODES };

/**
 * The daemon's codes (contracts/error-codes.ts) a visitor's screen explains with the general text
 * and staff code E99: refusals only staff meet, failures, and session errors shown on their own
 * screens. Every other code needs its own text in each language, or the type check fails.
 */
export const GENERAL_ERROR_CODES = [
  "UNAUTHORIZED",
  "INTERNAL",
  "NOT_CHARGED",
  "RECEIPT_NOT_PRINTED",
  "OUT_OF_ORDER",
] as const satisfies readonly DaemonErrorCode[];

/** A code the screen explains with its own text, or UNKNOWN for everything else. */
export type ErrorCode = Exclude<DaemonErrorCode, (typeof GENERAL_ERROR_CODES)[number]> | "UNKNOWN";

const general: ReadonlySet<string> = new Set(GENERAL_ERROR_CODES);

/** Every code with its own text, UNKNOWN last. */
export const SCREEN_ERROR_CODES: readonly ErrorCode[] = [
  ...ERROR_CODES.filter((code): code is Exclude<ErrorCode, "UNKNOWN"> => !general.has(code)),
  "UNKNOWN",
];

export interface ErrorText {
  /** What happened, as a heading. */
  title: string;
  /** What the visitor does now. */
  todo: string;
}

export interface Messages {
  appName: string;
  toolbar: {
    label: string;
    language: string;
    speech: string;
    largeText: string;
    highContrast: string;
  };
  welcome: {
    title: string;
    scan: string;
    scanHint: string;
    or: string;
    chooseService: string;
    cancelledNotice: string;
  };
  summary: {
    title: string;
    caseRef: string;
    validUntil: string;
    item: string;
    recipient: string;
    amount: string;
    handlingFee: string;
    total: string;
    pay: string;
    cancel: string;
    /** A slip's group of lines: its number and case. */
    slipHeading: (slip: string, caseRef: string) => string;
    /** The group of catalog services in a payment that also holds slips. */
    services: string;
    quantity: string;
    reference: string;
    /** The Change action of a line, naming it for a screen reader. */
    change: string;
    changeItem: (item: string) => string;
    /** A transfer code left the amount to the visitor. */
    amountToEnter: (min: string, max: string) => string;
    enterAmount: string;
    enterAmountFirst: string;
    /**
     * The open line's amount and the total while the visitor has not typed the amount: the daemon's
     * total is then the other lines and the fee only, which a visitor would read as what they owe.
     */
    amountPending: string;
    totalPending: string;
    /** How to pay another slip in the same payment. */
    addSlip: string;
    spoken: (lineCount: number, total: string) => string;
    /** The summary read out while an amount is still to be typed: no total, what to do first. */
    spokenPending: (lineCount: number) => string;
  };
  basket: {
    title: string;
    intro: string;
    loading: string;
    unavailable: string;
    otherGroup: string;
    price: string;
    variablePrice: (min: string, max: string) => string;
    quantity: string;
    increase: (item: string) => string;
    decrease: (item: string) => string;
    enterAmount: string;
    changeAmount: string;
    removeAmount: string;
    reference: string;
    referenceRequired: string;
    enterReference: string;
    total: string;
    handlingFee: string;
    continue: string;
    back: string;
    nothingChosen: string;
    missingReference: (item: string) => string;
    rejected: string;
  };
  keypad: {
    amountTitle: (item: string) => string;
    /** The reference's own name (e.g. "Numer decyzji") and the service. */
    referenceTitle: (label: string, item: string) => string;
    range: (min: string, max: string) => string;
    ok: string;
    cancel: string;
    clear: string;
    backspace: string;
    decimal: string;
    /** What the decimal key shows and types: "," in Polish and Ukrainian, "." in English. */
    decimalKey: string;
    invalidAmount: string;
    outOfRange: (min: string, max: string) => string;
    emptyReference: string;
  };
  authorizing: {
    title: string;
    amount: string;
    follow: string;
    defaultMessage: string;
    checking: string;
    cancel: string;
  };
  approved: {
    title: string;
    printing: string;
    take: string;
    notPrinted: string;
    verificationCode: string;
    receipt: string;
    receiptAlt: (total: string) => string;
    paidAt: string;
    authCode: string;
    /** The terminal's receipt number, as the printed receipt names it. */
    receiptNumber: string;
    card: string;
    finish: string;
  };
  declined: {
    title: string;
    /** The visitor (or the terminal on their behalf) stopped the payment: not a refusal. */
    cancelledTitle: string;
    cancelledBody: string;
    reason: string;
    defaultReason: string;
    nothingCharged: string;
    tryAgain: string;
    cancel: string;
  };
  error: {
    backToStart: string;
    /** A refused scan beside a payment on the summary: back to it, the basket as it was. */
    backToPayment: string;
    /** Before the short code the visitor quotes at the information desk (docs/error-codes.md). */
    staffCode: string;
    scanAgain: string;
    tryAgain: string;
    /** SPEC §1a: when, where and how much an already paid slip was paid. */
    paidWhen: (when: string, where: string, total: string) => string;
    paidHere: string;
    paidAt: (kiosk: string) => string;
    reprint: string;
    reprinting: string;
    reprintFailed: string;
  };
  errors: Record<ErrorCode, ErrorText>;
  outOfOrder: {
    title: string;
    body: string;
    reconnecting: string;
  };
  timeout: {
    title: string;
    body: (seconds: number) => string;
    spoken: string;
    more: string;
    finish: string;
  };
}
