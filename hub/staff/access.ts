/**
 * Who a staff request is: a session cookie from the page's login (state-changing requests then also
 * need the session's CSRF token in `X-CSRF-Token`) or a system's `Authorization: Bearer` token.
 * Offices are checked per route: a login sees only the offices it lists (or `all`).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { HubConfig, HubStaff } from "../config/types.ts";
import { problem } from "../http/problem.ts";
import type { HubDb } from "../store/db.ts";
import { findSession } from "../store/staff-store.ts";

export const SESSION_COOKIE = "hub_session";

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

declare module "fastify" {
  interface FastifyRequest {
    staff?: HubStaff;
    staffCsrf?: string;
  }
}

export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function mayAccess(staff: HubStaff, office: string): boolean {
  return staff.offices === "all" || staff.offices.includes(office);
}

export function visibleOffices(config: HubConfig, staff: HubStaff): string[] {
  return Object.keys(config.offices).filter((o) => mayAccess(staff, o));
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** The staff member and CSRF token of the request's session cookie; undefined without a live session. */
export function cookieSession(config: HubConfig, db: HubDb) {
  const byLogin = new Map(config.staff.map((s) => [s.login, s]));
  return async (request: FastifyRequest): Promise<{ staff: HubStaff; csrf: string } | undefined> => {
    const token = cookieValue(request, SESSION_COOKIE);
    const session = token ? await findSession(db, sha256(token)) : undefined;
    // A session of a login since removed from the configuration is no session.
    const staff = session ? byLogin.get(session.login) : undefined;
    return session && staff ? { staff, csrf: session.csrf } : undefined;
  };
}

/** A preHandler: 401 without a valid session or token, 403 on a cookie request without its CSRF token. */
export function staffAuth(config: HubConfig, db: HubDb) {
  const byToken = new Map<string, HubStaff>();
  for (const s of config.staff) if (s.token) byToken.set(sha256(s.token), s);
  const sessionOf = cookieSession(config, db);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const staff = m ? byToken.get(sha256(m[1]!)) : undefined;
      if (!staff) return problem(reply, "UNAUTHORIZED", { title: "Unknown token" });
      request.staff = staff;
      return;
    }
    const found = await sessionOf(request);
    if (!found) return problem(reply, "UNAUTHORIZED", { title: "Log in first" });
    if (!SAFE.has(request.method)) {
      const sent = request.headers["x-csrf-token"];
      if (typeof sent !== "string" || !sameText(sent, found.csrf))
        return problem(reply, "CSRF", { title: "The request lacks this session's CSRF token" });
    }
    request.staff = found.staff;
    request.staffCsrf = found.csrf;
  };
}

/** 403 unless the staff member may see the office; 404 when no such office is configured. */
export function officeGuard(
  config: HubConfig,
  request: FastifyRequest,
  reply: FastifyReply,
  office: string,
): boolean {
  if (!config.offices[office]) {
    problem(reply, "NOT_FOUND", { title: "No such office" });
    return false;
  }
  if (!request.staff || !mayAccess(request.staff, office)) {
    problem(reply, "FORBIDDEN", { title: "This login may not see this office" });
    return false;
  }
  return true;
}
