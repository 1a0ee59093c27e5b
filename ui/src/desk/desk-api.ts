/**
 * The cash desk's client of the daemon (SPEC §4, §10): every call carries the shift's bearer token;
 * the event stream, which cannot send a header, carries it as `?token=`. The token lives in the
 * tab's sessionStorage only, so a reload keeps the shift and closing the browser forgets it.
 */
import {
  ApiProblem,
  type BasketRequestItem,
  type Language,
  type PaidSlip,
  parseCatalog,
  parseFieldProblems,
  parseSession,
  type Session,
} from "../api.ts";
import { isObject, str } from "../json.ts";

const TOKEN_KEY = "oplatomat.desk.token";

export interface ShiftInfo {
  id: string;
  cashier: { id: string; name: string };
  count: number;
  total: number;
  payments: Array<{ id: string; paidAt: string; status: string; total: number; reason: string | null }>;
  /** When the terminal's day closes by itself (the configuration's `endOfDay.time`), if ever. */
  closing?: { scheduledEndOfDay: string | null };
}

export interface ShiftReportTotal {
  code: string;
  name: string;
  count: number;
  total: number;
}

export interface ShiftReport {
  shift: { id: string; cashier: { id: string; name: string }; openedAt: string; closedAt: string };
  count: number;
  total: number;
  voids: Array<{ id: string; total: number; reason: string | null }>;
  recipients: ShiftReportTotal[];
  components: ShiftReportTotal[];
  cardBrands: ShiftReportTotal[];
  endOfDay: null | {
    day: string;
    terminal: { count: number; total: number };
    desk: { count: number; total: number };
    status: string;
  };
}

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
  const token = storedToken();
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const p = isObject(json) ? json : {};
    throw new ApiProblem({
      status: response.status,
      code: str(p.code, "UNKNOWN"),
      title: str(p.title),
      detail: str(p.detail),
      // SPEC §1a: a slip paid before carries `paid`; one already in the basket does not.
      paid: isObject(p.paid) ? (p.paid as unknown as PaidSlip) : null,
      errors: parseFieldProblems(p.errors),
    });
  }
  return json;
}

const session = async (p: Promise<unknown>): Promise<Session> => parseSession(await p);

export const deskApi = {
  async open(cashier: string, pin: string): Promise<void> {
    // resume: the cashier's own shift still open (this tab lost its token) continues on a new one.
    const answer = await call("POST", "/api/shift/open", { cashier, pin, resume: true });
    sessionStorage.setItem(TOKEN_KEY, str(isObject(answer) ? answer.token : ""));
  },
  shift: async () => (await call("GET", "/api/shift")) as ShiftInfo,
  session: () => session(call("GET", "/api/session")),
  catalog: async () => parseCatalog(await call("GET", "/api/catalog")),
  scan: (payload: string) => session(call("POST", "/api/scan", { payload })),
  basket: (items: BasketRequestItem[]) => session(call("POST", "/api/basket", { items })),
  addServices: (items: BasketRequestItem[]) => session(call("POST", "/api/session/services", { items })),
  /** SPEC §1b: the amount of a transfer code's line that left it to the payer, in grosze. */
  amount: (grosze: number) => session(call("POST", "/api/session/amount", { amount: grosze })),
  pay: () => session(call("POST", "/api/session/pay", {})),
  cancel: () => session(call("POST", "/api/session/cancel", {})),
  /** SPEC §4: the session's lines, fee and terminal prompts come labelled in this language. */
  language: (language: Language) => session(call("POST", "/api/session/language", { language })),
  reprint: (id: string) => call("POST", `/api/shift/payments/${encodeURIComponent(id)}/reprint`, {}),
  /** SPEC §1a: a copy of the confirmation of a slip paid on this desk, by the slip's code. */
  reprintSlip: (payload: string) => call("POST", "/api/reprint", { payload }),
  voidPayment: (id: string, pin: string, reason: string) =>
    call("POST", `/api/shift/payments/${encodeURIComponent(id)}/void`, { pin, reason }),
  close: async (endOfDay: boolean) => (await call("POST", "/api/shift/close", { endOfDay })) as ShiftReport,
};

/**
 * Where the report of the shift this token closed is fetched as PDF (the daemon's own route, for 30
 * minutes after the close): the closed shift's token reads that report and opens nothing else.
 */
export function closedReportPdf(token: string): string {
  return `/api/shift/closed/report?format=pdf&token=${encodeURIComponent(token)}`;
}

/** The session as server-sent events, authorised by the shift's token. */
export function subscribeDesk(onSession: (s: Session) => void): () => void {
  const token = storedToken() ?? "";
  const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
  source.addEventListener("session", (event) => {
    try {
      onSession(parseSession(JSON.parse((event as MessageEvent<string>).data)));
    } catch {
      // A malformed event is skipped; the next one carries the whole session.
    }
  });
  return () => source.close();
}
