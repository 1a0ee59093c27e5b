/**
 * The staff API of the hub (SPEC §9) as the page calls it: same origin, the session cookie sent by the
 * browser, and the session's CSRF token on every state-changing request.
 */
import { isObject, str } from "./json.ts";
import { decodeSession, type StaffSession } from "./model.ts";

/** A refused request: the HTTP status and the problem's `code` (RFC 9457 + `code`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    /** The problem's `errors` member, when it lists them (e.g. a statement's import errors). */
    readonly errors: unknown = undefined,
  ) {
    super(detail);
  }
}

/** The connection itself failed (hub down, network gone). */
export class NetworkError extends Error {}

async function problemOf(response: Response): Promise<ApiError> {
  let code = "";
  let detail = response.statusText;
  let errors: unknown;
  try {
    const body: unknown = await response.json();
    if (isObject(body)) {
      code = str(body["code"]);
      detail = str(body["detail"], str(body["title"], detail));
      errors = body["errors"];
    }
  } catch {
    // not JSON: the status says enough
  }
  return new ApiError(response.status, code, detail, errors);
}

export type Download = "csv" | "pdf" | "json" | "elixir" | "payouts-json";

export class HubApi {
  private csrf = "";

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("accept", "application/json");
    if (init.method && init.method !== "GET") headers.set("x-csrf-token", this.csrf);
    let response: Response;
    try {
      response = await fetch(path, { ...init, headers, credentials: "same-origin" });
    } catch (error) {
      throw new NetworkError(String(error));
    }
    if (!response.ok) throw await problemOf(response);
    return response;
  }

  private remember(body: unknown): StaffSession {
    const session = decodeSession(body);
    if (!session) throw new ApiError(500, "", "unexpected session answer");
    this.csrf = session.csrfToken;
    return session;
  }

  /** The current session, or null when nobody is logged in (the hub answers 204, not a 401). */
  async session(): Promise<StaffSession | null> {
    const response = await this.call("/api/session");
    if (response.status === 204) return null;
    return this.remember(await response.json());
  }

  async login(login: string, password: string): Promise<StaffSession> {
    const response = await this.call("/api/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login, password }),
    });
    return this.remember(await response.json());
  }

  async logout(): Promise<void> {
    await this.call("/api/logout", { method: "POST" });
    this.csrf = "";
  }

  async settlement(office: string, date: string): Promise<unknown> {
    return (await this.call(downloadUrl(office, date, "json"))).json();
  }

  /** The offices this login may see, with their configured devices and recipients. */
  async offices(): Promise<unknown> {
    return (await this.call("/api/offices")).json();
  }

  async fleet(): Promise<unknown> {
    return (await this.call("/api/fleet")).json();
  }

  /** Uploads an MT940 file as it is (bytes, not re-encoded) and returns the matching result. */
  async uploadStatement(office: string, file: Blob): Promise<unknown> {
    const response = await this.call(`/api/offices/${encodeURIComponent(office)}/statements`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: file,
    });
    return response.json();
  }
}

/** Where each download of the day lives; plain links, so the browser saves the file itself. */
export function downloadUrl(office: string, date: string, kind: Download): string {
  const base = `/api/offices/${encodeURIComponent(office)}`;
  const day = `date=${encodeURIComponent(date)}`;
  switch (kind) {
    case "elixir":
      return `${base}/payouts?${day}&format=elixir`;
    case "payouts-json":
      return `${base}/payouts?${day}&format=json`;
    default:
      return `${base}/settlement?${day}&format=${kind}`;
  }
}
