/** The shape of the service screens' string catalogue; each language file fills it in. */
export interface ServiceMessages {
  title: string;
  login: {
    heading: string;
    help: string;
    enterPin: string;
    pinTitle: string;
    /** Shown on the login and over the PIN pad: a visitor who got here must not type a card PIN. */
    staffOnly: string;
    keyTurned: string;
    keyLogin: string;
    back: string;
    wrongPin: string;
    locked: (seconds: number) => string;
    keyNotTurned: string;
    failed: string;
    loggingIn: string;
  };
  /** The "messages and alarms" section (ui/src/service/service-queue.ts). */
  queue: {
    heading: string;
    refresh: string;
    alarmsHeading: string;
    noAlarms: string;
    alarmKind: Record<string, string>;
    alarmAction: Record<string, string>;
    /**
     * Each alarm kind's one line, from the alarm's details (the daemon's own `summary` is English,
     * for its log): the receiver and the message it refused; the day and both sides' figures.
     */
    alarmSummary: {
      payment_conflict: (destination: string, message: string) => string;
      end_of_day_mismatch: (day: string, terminal: string, kiosk: string) => string;
    };
    /** One side's figures of an end-of-day: "3 payments, PLN 480.00". */
    dayFigures: (count: number, amount: string) => string;
    acknowledge: string;
    acknowledged: string;
    messagesHeading: string;
    messagesHelp: string;
    noMessages: string;
    parked: string;
    pending: string;
    waitsFor: (id: string) => string;
    attempts: (n: number) => string;
    lastError: string;
    requeue: string;
    requeued: (id: string) => string;
    /**
     * "Send with the accounts from the configuration" for a parked settlement transaction: its
     * account changes shown before the technician confirms (kiosk/outbox/account-rewrite.ts).
     */
    requeueWithAccounts: string;
    accountsHeading: string;
    accountChange: (recipient: string, from: string, to: string) => string;
    /** The payment's lines in the kiosk's records that take the new accounts too. */
    accountRecords: (lines: number) => string;
    accountsUnchanged: string;
    accountsRefused: (recipient: string) => string;
    confirmAccounts: string;
    cancelAccounts: string;
    requeuedWithAccounts: (id: string) => string;
  };
  console: {
    sections: string;
    logout: string;
    loggedOutIdle: string;
    sessionExpired: string;
    busy: string;
    done: string;
    failed: (code: string, message: string) => string;
  };
  devices: {
    heading: string;
    refresh: string;
    name: Record<string, string>;
    state: string;
    states: Record<string, string>;
    lastError: string;
    noError: string;
    /**
     * What the drivers' error codes mean (devices/…: `recordError`, the ZVT result's problems, the
     * printer's job failures), by code; a code missing here is shown as the driver wrote it.
     */
    errorNames: Record<string, string>;
    statistics: string;
    noStatistics: string;
    /**
     * The drivers' counters (devices/…: `count("…")`) by key; `errors`, `jobs_failed` and
     * `transactions` also name the counters `<key>_<code>`, shown with their code.
     */
    statisticNames: Record<string, string>;
    check: (device: string) => string;
    healthy: string;
    unhealthy: string;
  };
  tests: {
    heading: string;
    testPrint: string;
    printed: string;
    scannerTest: string;
    scanNow: string;
    scanned: (length: number, preview: string) => string;
    nothingScanned: string;
  };
  terminal: {
    heading: string;
    diagnosis: string;
    endOfDay: string;
    confirmEndOfDay: string;
    confirm: string;
    cancel: string;
    totals: string;
    count: string;
    total: string;
    trace: string;
    brand: string;
  };
  /** The end-of-day's terminal totals against the kiosk's payments of the batch. */
  reconciliation: {
    heading: string;
    matches: string;
    differs: string;
    family: string;
    terminal: string;
    kiosk: string;
    allCards: string;
    otherCards: string;
    terminalOnly: (count: number, amount: string, family: string) => string;
    kioskOnly: (count: number, amount: string, family: string) => string;
    candidates: (ids: string) => string;
    likely: (id: string) => string;
  };
  payments: {
    heading: string;
    refresh: string;
    none: string;
    id: string;
    time: string;
    amount: string;
    status: string;
    receipt: string;
    printed: string;
    notPrinted: string;
    reprint: string;
    reprintOf: (id: string) => string;
    reprinted: (id: string) => string;
    /** A payment's status in words (the daemon's names stay out of the console). */
    statuses: Record<string, string>;
    /** How far an undecided payment got with the terminal (kiosk/domain/recovery-match.ts). */
    stages: Record<string, string>;
    /** What the terminal repeated when recovery asked it (kiosk/domain/recovery-match.ts's answer classes). */
    answers: Record<string, string>;
    /** Payments recovery could not decide: staff resolve them from the terminal's journal. */
    unresolvedHeading: string;
    unresolvedIntro: string;
    /** When the attempt started and which slip it paid: what staff look for in the terminal's journal. */
    startedAt: string;
    slip: string;
    stage: string;
    terminalAnswer: string;
    /** The receipt number of the approval the kiosk stored before it died, when it stored one. */
    storedReceipt: string;
    note: string;
    receiptNo: string;
    charged: string;
    notCharged: string;
    resolved: (id: string) => string;
  };
  outOfOrder: {
    heading: string;
    isOn: (reason: string) => string;
    isOff: string;
    reason: string;
    defaultReason: string;
    switchOn: string;
    switchOff: string;
  };
  logs: {
    heading: string;
    refresh: string;
    empty: string;
    label: string;
  };
}
