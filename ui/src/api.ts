/**
 * The daemon's visitor API (SPEC §4) as the screen sees it. Every answer is checked at this edge,
 * so the screens can trust the shapes they render.
 */
import {
  DEFAULT_SCREEN_LAYOUT,
  DEVICE_PLACES,
  type DevicePlace,
  type KioskScreenLayout,
} from "../../contracts/screen-layout.ts";
import { SCREEN_STATES, type ScreenState } from "../../contracts/session-states.ts";
import type {
  Language,
  PaymentView,
  SessionLineView,
  SessionSlipView,
  SessionView,
} from "../../contracts/session-view.ts";
import { isObject, str } from "./json.ts";

export type { Language };
export const LANGUAGES: readonly Language[] = ["pl", "en", "uk"];

/** The daemon's screen states, from the shared vocabulary (contracts/session-states.ts). */
export type SessionState = ScreenState;

const STATES: readonly SessionState[] = SCREEN_STATES;

/**
 * The session as parsed at this edge: the daemon's shape (contracts/session-view.ts) with absent
 * members made null, and only the payment fields a screen shows.
 */
export type SessionLine = Omit<SessionLineView, "slip" | "amountToEnter"> & {
  /** The slip this line is a component of; null for services. */
  slip: string | null;
  amountToEnter: NonNullable<SessionLineView["amountToEnter"]> | null;
};

export type SessionSlip = SessionSlipView;

export type Payment = Omit<PaymentView, "terminalId" | "traceNumber" | "receiptPrinted"> & {
  receiptPrinted: boolean | null;
};

export type Session = Omit<SessionView, "kind" | "lines" | "payment" | "currency" | "outOfOrderReasons"> & {
  lines: SessionLine[];
  currency: string;
  payment: Payment | null;
  /** Why the kiosk is out of order (only while it is); the service key shows up here. */
  outOfOrderReasons: string[];
};

export type Translated = { pl: string; en?: string; uk?: string };

export interface CatalogItem {
  code: string;
  label: Translated;
  group: Translated | null;
  price: number | null;
  variable: { min: number; max: number } | null;
  reference: "required" | "optional" | null;
  referenceLabel: Translated | null;
  maxQuantity: number;
}

export interface Catalog {
  items: CatalogItem[];
  handlingFee: { amount: number; label: Translated } | null;
}

/** Where a device sits relative to the screen (`kiosk.layout`, contracts/screen-layout.ts). */
export type Place = DevicePlace;
export type KioskLayout = KioskScreenLayout;
export const DEFAULT_LAYOUT = DEFAULT_SCREEN_LAYOUT;

export interface KioskInfo {
  office: { id: string; name: string; address: string };
  kiosk: { id: string };
  languages: Language[];
  idleTimeoutSeconds: number;
  speech: boolean;
  layout: KioskLayout;
}

function place(value: unknown, fallback: Place): Place {
  return DEVICE_PLACES.includes(value as Place) ? (value as Place) : fallback;
}

function parseLayout(raw: unknown): KioskLayout {
  const layout = isObject(raw) ? raw : {};
  const orientation = layout.orientation;
  return {
    orientation: orientation === "portrait" || orientation === "landscape" ? orientation : "auto",
    pinPad: place(layout.pinPad, DEFAULT_LAYOUT.pinPad),
    printer: place(layout.printer, DEFAULT_LAYOUT.printer),
    scanner: place(layout.scanner, DEFAULT_LAYOUT.scanner),
  };
}

/** SPEC §1a: when, where and for how much an already paid slip was paid, and whether it can be reprinted here. */
export interface PaidSlip {
  paidAt: string;
  kiosk: string;
  total: number;
  reprint: boolean;
}

export interface Problem {
  status: number;
  code: string;
  title: string;
  detail: string;
  /** Only with SLIP_ALREADY_PAID. */
  paid?: PaidSlip | null;
  /** A refused basket's fields (kiosk/domain/basket.ts BasketProblem), for the cash desk to word. */
  errors?: FieldProblem[];
}

/** One refused field of a basket item: what it breaks (`rule`) and its bounds, as the daemon's 422 lists it. */
export interface FieldProblem {
  index: number;
  field: string;
  rule: string;
  min?: number;
  max?: number;
}

/** The `errors` member of a problem, when it lists a basket's refused fields; anything else is left out. */
export function parseFieldProblems(raw: unknown): FieldProblem[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((e) => ({
    index: typeof e.index === "number" ? e.index : -1,
    field: str(e.field),
    rule: str(e.rule),
    ...(typeof e.min === "number" ? { min: e.min } : {}),
    ...(typeof e.max === "number" ? { max: e.max } : {}),
  }));
}

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
    this.name = "ApiProblem";
  }
}

function strOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : value === undefined || value === null ? null : String(value);
}
function grosze(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new TypeError("amount is not grosze");
  return value;
}
function language(value: unknown): Language {
  return LANGUAGES.includes(value as Language) ? (value as Language) : "pl";
}
function translated(value: unknown): Translated | null {
  if (typeof value === "string") return { pl: value };
  if (!isObject(value)) return null;
  return { pl: str(value.pl), en: str(value.en) || undefined, uk: str(value.uk) || undefined };
}

export function parseSession(raw: unknown): Session {
  if (!isObject(raw)) throw new TypeError("session is not an object");
  const state = STATES.includes(raw.state as SessionState) ? (raw.state as SessionState) : "out_of_order";
  const lines = Array.isArray(raw.lines) ? raw.lines.filter(isObject) : [];
  const fee = isObject(raw.handlingFee) ? raw.handlingFee : null;
  const slip = isObject(raw.slip) ? raw.slip : null;
  const error = isObject(raw.error) ? raw.error : null;
  const payment = isObject(raw.payment) ? raw.payment : null;
  return {
    id: strOrNull(raw.id),
    state,
    language: language(raw.language),
    slip: slip ? { id: str(slip.id), caseRef: str(slip.caseRef), valid: str(slip.valid) } : null,
    slips: (Array.isArray(raw.slips) ? raw.slips.filter(isObject) : []).map((s) => ({
      id: str(s.id),
      caseRef: str(s.caseRef),
      valid: str(s.valid),
      total: typeof s.total === "number" ? grosze(s.total) : 0,
    })),
    lines: lines.map((line) => ({
      code: str(line.code),
      label: str(line.label, str(line.code)),
      amount: grosze(line.amount),
      recipient: str(line.recipient),
      recipientName: str(line.recipientName, str(line.recipient)),
      slip: typeof line.slip === "string" ? line.slip : null,
      quantity: typeof line.quantity === "number" && line.quantity > 0 ? line.quantity : 1,
      reference: typeof line.reference === "string" && line.reference !== "" ? line.reference : null,
      amountToEnter: isObject(line.amountToEnter)
        ? { min: grosze(line.amountToEnter.min), max: grosze(line.amountToEnter.max) }
        : null,
    })),
    handlingFee:
      fee && typeof fee.amount === "number" && fee.amount > 0
        ? {
            amount: grosze(fee.amount),
            recipient: str(fee.recipient),
            recipientName: str(fee.recipientName, str(fee.recipient)),
            label: str(fee.label),
          }
        : null,
    total: typeof raw.total === "number" ? grosze(raw.total) : 0,
    currency: str(raw.currency, "PLN"),
    terminalMessage: strOrNull(raw.terminalMessage),
    terminalStatus:
      typeof raw.terminalStatus === "number" && Number.isInteger(raw.terminalStatus)
        ? raw.terminalStatus
        : null,
    error: error
      ? {
          code: str(error.code, "UNKNOWN"),
          message: str(error.message),
          ...(typeof error.at === "string" ? { at: error.at } : {}),
          ...(parsePaid(error.paid) ? { paid: parsePaid(error.paid) as PaidSlip } : {}),
          ...(typeof error.payload === "string" ? { payload: error.payload } : {}),
        }
      : null,
    payment: payment
      ? {
          id: str(payment.id),
          status: str(payment.status),
          paidAt: strOrNull(payment.paidAt),
          authCode: strOrNull(payment.authCode),
          maskedPan: strOrNull(payment.maskedPan),
          cardBrand: strOrNull(payment.cardBrand),
          receiptNumber: strOrNull(payment.receiptNumber),
          receiptPrinted: typeof payment.receiptPrinted === "boolean" ? payment.receiptPrinted : null,
          verificationCode: strOrNull(payment.verificationCode),
        }
      : null,
    expiresAt: strOrNull(raw.expiresAt),
    outOfOrderReasons: Array.isArray(raw.outOfOrderReasons)
      ? raw.outOfOrderReasons.filter((r): r is string => typeof r === "string")
      : [],
  };
}

export function parseCatalog(raw: unknown): Catalog {
  if (!isObject(raw) || !Array.isArray(raw.items)) throw new TypeError("catalog has no items");
  const fee = isObject(raw.handlingFee) ? raw.handlingFee : null;
  return {
    items: raw.items.filter(isObject).map((item) => {
      const variable = isObject(item.variable) ? item.variable : null;
      return {
        code: str(item.code),
        label: translated(item.label) ?? { pl: str(item.code) },
        group: translated(item.group),
        price: typeof item.price === "number" ? grosze(item.price) : null,
        variable: variable ? { min: grosze(variable.min), max: grosze(variable.max) } : null,
        reference: item.reference === "required" || item.reference === "optional" ? item.reference : null,
        referenceLabel: translated(item.referenceLabel),
        maxQuantity: typeof item.maxQuantity === "number" && item.maxQuantity > 0 ? item.maxQuantity : 10,
      };
    }),
    handlingFee:
      fee && typeof fee.amount === "number" && fee.amount > 0
        ? { amount: grosze(fee.amount), label: translated(fee.label) ?? { pl: "" } }
        : null,
  };
}

export function parseKioskInfo(raw: unknown): KioskInfo {
  if (!isObject(raw)) throw new TypeError("kiosk info is not an object");
  const office = isObject(raw.office) ? raw.office : {};
  const kiosk = isObject(raw.kiosk) ? raw.kiosk : {};
  const languages = Array.isArray(raw.languages) ? raw.languages.filter((l) => LANGUAGES.includes(l)) : [];
  return {
    office: { id: str(office.id), name: str(office.name), address: str(office.address) },
    kiosk: { id: str(kiosk.id) },
    languages: languages.length > 0 ? (languages as Language[]) : [...LANGUAGES],
    idleTimeoutSeconds:
      typeof raw.idleTimeoutSeconds === "number" && raw.idleTimeoutSeconds > 0 ? raw.idleTimeoutSeconds : 60,
    speech: raw.speech !== false,
    layout: parseLayout(raw.layout),
  };
}

/** The session's error when the terminal cannot prove whether the card was charged (contracts/error-codes.ts). */
export const PAYMENT_UNRESOLVED = "PAYMENT_UNRESOLVED";

/**
 * The visit's payment could not be proven either way and only staff can settle it: the screen sends
 * the visitor to staff, and the technician's ways into the console are open there.
 */
export function awaitsStaff(session: Session | null): boolean {
  return session?.state === "unknown" && session.error?.code === PAYMENT_UNRESOLVED;
}

export function textOf(label: Translated | null, lang: Language): string {
  if (!label) return "";
  return label[lang] || label.pl;
}

function parsePaid(raw: unknown): PaidSlip | null {
  if (!isObject(raw) || typeof raw.paidAt !== "string" || typeof raw.total !== "number") return null;
  return {
    paidAt: raw.paidAt,
    kiosk: str(raw.kiosk),
    total: grosze(raw.total),
    reprint: raw.reprint === true,
  };
}

function parseProblem(status: number, raw: unknown): Problem {
  const body = isObject(raw) ? raw : {};
  return {
    status,
    code: str(body.code, status >= 500 ? "DEVICE_UNAVAILABLE" : "VALIDATION"),
    title: str(body.title),
    detail: str(body.detail),
    paid: parsePaid(body.paid),
  };
}

async function request(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) throw new ApiProblem(parseProblem(response.status, json));
  return json;
}

export interface BasketRequestItem {
  code: string;
  quantity?: number;
  amount?: number;
  reference?: string;
}

/** A slip in a basket, by its OPL1 payload (SPEC §4 `POST /api/basket`). */
export interface BasketSlipItem {
  slip: string;
}

/**
 * The slip id of a scanned code (SPEC §1, field 3), to match it with a session's `slips[].id`; not a
 * check of the code (the daemon does that). Undefined for a code with fewer fields.
 */
export function slipIdOf(payload: string): string | undefined {
  return payload.split("|")[2];
}

/** Maybe a session, maybe nothing (202 answers may carry no body). */
function maybeSession(raw: unknown): Session | null {
  return isObject(raw) && typeof raw.state === "string" ? parseSession(raw) : null;
}

export const api = {
  session: async () => parseSession(await request("GET", "/api/session")),
  kiosk: async () => parseKioskInfo(await request("GET", "/api/kiosk")),
  catalog: async () => parseCatalog(await request("GET", "/api/catalog")),
  scan: async (payload: string) => maybeSession(await request("POST", "/api/scan", { payload })),
  addSlip: async (payload: string) => maybeSession(await request("POST", "/api/session/slips", { payload })),
  basket: async (items: Array<BasketRequestItem | BasketSlipItem>) =>
    maybeSession(await request("POST", "/api/basket", { items })),
  pay: async () => maybeSession(await request("POST", "/api/session/pay", {})),
  cancel: async () => maybeSession(await request("POST", "/api/session/cancel", {})),
  language: async (lang: Language) =>
    maybeSession(await request("POST", "/api/session/language", { language: lang })),
  activity: async () => maybeSession(await request("POST", "/api/session/activity", {})),
  /** "The screen is alive", for the watchdog that restarts a crashed or hung browser (kiosk-side). */
  heartbeat: async () => {
    await request("POST", "/api/screen/heartbeat", {});
  },
  /** SPEC §1b: the amount the visitor typed for a transfer code that left it to them. */
  enterAmount: async (amount: number) =>
    maybeSession(await request("POST", "/api/session/amount", { amount })),
  /** SPEC §1a: prints the confirmation of a slip paid on this kiosk again (202). */
  reprint: async (payload: string) => {
    await request("POST", "/api/reprint", { payload });
  },
};

export function receiptUrl(paymentId: string): string {
  return `/api/payments/${encodeURIComponent(paymentId)}/receipt.svg`;
}

/** The WAV of one catalogue sentence (ui/src/i18n/spoken.ts), synthesised by the daemon. */
export async function speechAudio(
  lang: Language,
  message: { id: string; params?: object },
  signal?: AbortSignal,
): Promise<Blob> {
  const response = await fetch("/api/speech", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id: message.id, language: lang, params: message.params ?? {} }),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) throw new Error(`speech ${response.status}`);
  return response.blob();
}

/** Server-sent session events; the browser reconnects by itself, we resynchronise on every open. */
/** The kiosk's audio hardware as the daemon reports it (`event: audio`): headphones in the jack. */
export interface AudioState {
  headphones: boolean;
}

export function subscribeSessions(
  onSession: (session: Session) => void,
  onConnection: (connected: boolean) => void,
  onAudio?: (audio: AudioState) => void,
): () => void {
  const source = new EventSource("/api/events");
  source.addEventListener("audio", (event) => {
    try {
      const raw: unknown = JSON.parse((event as MessageEvent<string>).data);
      if (isObject(raw) && typeof raw.headphones === "boolean") onAudio?.({ headphones: raw.headphones });
    } catch {
      // A malformed event is skipped.
    }
  });
  // Counts the stream's session events: a snapshot fetched on (re)connect is applied only while no
  // event came after it was asked for. Otherwise a slow answer (the idle session, say) would land
  // after the stream's newer one (the summary of a scan made meanwhile) and put the visitor back at
  // the start, where nothing would move them on (the flaky journeys test).
  let received = 0;
  source.addEventListener("session", (event) => {
    received += 1;
    try {
      onSession(parseSession(JSON.parse((event as MessageEvent<string>).data)));
    } catch {
      // A malformed event is skipped; the next one carries the whole session again.
    }
  });
  source.addEventListener("open", () => {
    onConnection(true);
    const asked = received;
    api.session().then(
      (session) => {
        if (received === asked) onSession(session);
      },
      () => undefined,
    );
  });
  source.addEventListener("error", () => onConnection(false));
  return () => source.close();
}
