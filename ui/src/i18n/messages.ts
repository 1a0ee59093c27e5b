/** Every string the screen shows or speaks. pl is the default; en and uk must cover every key. */
export const SLIP_ERROR_CODES = [
  "SLIP_UNREADABLE",
  "SLIP_UNKNOWN_KEY",
  "SLIP_SIGNATURE_INVALID",
  "SLIP_WRONG_OFFICE",
  "SLIP_EXPIRED",
  "SLIP_TOTAL_MISMATCH",
  "SLIP_UNKNOWN_COMPONENT",
  "SLIP_ALREADY_PAID",
  "SLIP_CANCELLED",
  "SLIP_AMOUNT_CHANGED",
  "SLIP_CHECK_UNAVAILABLE",
] as const;

export const OTHER_ERROR_CODES = [
  "DECLINED",
  "TERMINAL_UNAVAILABLE",
  "CANCELLED",
  "VALIDATION",
  "NOT_FOUND",
  "CONFLICT",
  "DEVICE_UNAVAILABLE",
  "PRINTER_UNAVAILABLE",
  "UNKNOWN",
] as const;

export type ErrorCode = (typeof SLIP_ERROR_CODES)[number] | (typeof OTHER_ERROR_CODES)[number];

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
    /** How to pay another slip in the same payment. */
    addSlip: string;
    spoken: (lineCount: number, total: string) => string;
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
