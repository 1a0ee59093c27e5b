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
import type { ClosedShiftPage } from "../../../contracts/desk-shifts.ts";
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

/** A refusal's problem+json as the page's ApiProblem. */
async function refusal(response: Response): Promise<ApiProblem> {
  let json: unknown = null;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  const p = isObject(json) ? json : {};
  return new ApiProblem({
    status: response.status,
    code: str(p.code, "UNKNOWN"),
    title: str(p.title),
    detail: str(p.detail),
    // SPEC §1a: a slip paid before carries `paid`; one already in the basket does not.
    paid: isObject(p.paid) ? (p.paid as unknown as PaidSlip) : null,
    errors: parseFieldProblems(p.errors),
  });
}

/** One request with the token in its header (never in the URL); a refusal throws ApiProblem. */
async function send(
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  token = storedToken(),
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw await refusal(response);
  return response;
}

async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
  const text = await (await send(method, path, body)).text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
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
 * A shift report's PDF fetched with the token in the header and handed to the browser as a file: a
 * link carrying the token would leave it in the browser's history and in logs along the way.
 */
async function downloadPdf(path: string, filename: string, token = storedToken()): Promise<void> {
  const blob = await (await send("GET", path, undefined, token)).blob();
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.click();
  } finally {
    // The click has handed the file over; revoking after the task lets the download start first.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

export const reportPdfs = {
  /** The report of the shift `token` closed (the daemon's own route, for 30 minutes after the close). */
  closed: (token: string, shiftId: string) =>
    downloadPdf("/api/shift/closed/report?format=pdf", `shift-${shiftId}.pdf`, token),
  /** One of the cashier's own closed shifts, with the open shift's token. */
  ofShift: (shiftId: string) =>
    downloadPdf(
      `/api/shift/history/${encodeURIComponent(shiftId)}/report?format=pdf`,
      `shift-${shiftId}.pdf`,
    ),
};

/** The cashier's own closed shifts, newest first. */
export async function closedShifts(offset: number, limit: number): Promise<ClosedShiftPage> {
  return (await call("GET", `/api/shift/history?limit=${limit}&offset=${offset}`)) as ClosedShiftPage;
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
