/**
 * Staff login for the back-office page: `POST /api/login` checks the scrypt hash and sets the session
 * cookie (HttpOnly, SameSite=Strict, Secure over TLS); the answer and `GET /api/session` carry the
 * CSRF token the page sends back on every state-changing request (`GET /api/session` answers 204
 * when the browser has no live session). `POST /api/logout` ends it.
 * Logins are limited per client address (10 a minute) and per account name (login-limit.ts): 429.
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { HubConfig, HubStaff } from "../config/types.ts";
import { problem } from "../http/problem.ts";
import type { HubDb } from "../store/db.ts";
import { audit } from "../store/ingest-store.ts";
import { createSession, deleteSession } from "../store/staff-store.ts";
import { cookieSession, cookieValue, SESSION_COOKIE, sha256, staffAuth, visibleOffices } from "./access.ts";
import { LoginLimit, type LoginLimitOptions } from "./login-limit.ts";
import { verifyPassword } from "./password.ts";

const SESSION_SECONDS = 8 * 3600;
/** A hash to compare against when the login is unknown, so both take the same time. */
const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export function sessionView(config: HubConfig, staff: HubStaff, csrf?: string) {
  return {
    login: staff.login,
    name: staff.name,
    offices: visibleOffices(config, staff).map((id) => ({ id, name: config.offices[id]!.name })),
    ...(csrf ? { csrfToken: csrf } : {}),
  };
}

export async function loginRoutes(
  app: FastifyInstance,
  deps: { config: HubConfig; db: HubDb; secure: boolean; loginLimit?: LoginLimitOptions },
) {
  const { config, db, secure } = deps;
  // Per account name, beside the per-address limit below (login-limit.ts).
  const limit = new LoginLimit(deps.loginLimit);
  const byLogin = new Map(config.staff.map((s) => [s.login, s]));
  const cookie = (value: string, maxAge: number) =>
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;

  app.post(
    "/api/login",
    {
      config: { rateLimit: { max: 10, timeWindow: "1 minute" } },
      schema: {
        body: {
          type: "object",
          properties: {
            login: { type: "string", maxLength: 64 },
            password: { type: "string", maxLength: 1024 },
          },
          required: ["login", "password"],
        },
      },
    },
    async (request, reply) => {
      const { login, password } = request.body as { login: string; password: string };
      // Known and unknown names are limited alike, before any hash is computed.
      const gate = limit.attempt(login);
      if (!gate.allowed) {
        reply.header("retry-after", String(gate.retryAfterSeconds));
        return problem(reply, "RATE_LIMITED", {
          title: "Too many failed logins for this name; try again later",
        });
      }
      const staff = byLogin.get(login);
      const ok = await verifyPassword(password, staff?.passwordHash ?? DUMMY_HASH).catch(() => false);
      if (!staff?.passwordHash || !ok) {
        await audit(
          db,
          `login:${login.slice(0, 64)}`,
          "login_failed",
          null,
          gate.locks ? { locked: true } : {},
        );
        return problem(reply, "UNAUTHORIZED", { title: "Wrong login or password" });
      }
      limit.succeeded(login);
      const token = randomBytes(32).toString("base64url");
      const csrf = randomBytes(32).toString("base64url");
      await createSession(db, { tokenSha256: sha256(token), login, csrf, ttlSeconds: SESSION_SECONDS });
      await audit(db, `staff:${login}`, "login", null, {});
      return reply
        .header("set-cookie", cookie(token, SESSION_SECONDS))
        .send(sessionView(config, staff, csrf));
    },
  );

  const auth = staffAuth(config, db);
  const sessionOf = cookieSession(config, db);
  // The page asks this at every load to learn whether someone is signed in. For a browser nobody
  // signed in is an answer, not a refusal: 204 (a 401 is a failed load, an error on the console of
  // every healthy page). A bearer token is a system's, checked as on every staff route (401 unknown).
  const probe = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.headers.authorization !== undefined) return auth(request, reply);
    const found = await sessionOf(request);
    if (found) {
      request.staff = found.staff;
      request.staffCsrf = found.csrf;
      return;
    }
    // A cookie whose session ended (logout, expiry) is dropped, so the browser stops sending it.
    if (cookieValue(request, SESSION_COOKIE) !== undefined) reply.header("set-cookie", cookie("", 0));
    return reply.code(204).send();
  };
  app.get("/api/session", { preHandler: probe }, async (request) =>
    sessionView(config, request.staff!, request.staffCsrf),
  );
  app.post("/api/logout", { preHandler: auth }, async (request, reply) => {
    const token = cookieValue(request, SESSION_COOKIE);
    if (token) await deleteSession(db, sha256(token));
    return reply.header("set-cookie", cookie("", 0)).code(204).send();
  });
}
