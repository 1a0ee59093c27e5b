/**
 * The rules of `server` (SPEC §3): the visitor UI and the visitor and service APIs listen on a
 * loopback address only, and the admin API on a network-facing management listener only over TLS.
 * A schema cannot say "an address in 127.0.0.0/8", hence this module.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import type { ConfigProblem } from "./problem.ts";

/** True for 127.0.0.0/8 and ::1, written as addresses (a name such as `localhost` is not one). */
export function isLoopbackAddress(host: string): boolean {
  if (isIPv4(host)) return host.startsWith("127.");
  const bare = listenHost(host);
  if (!isIPv6(bare)) return false;
  // The URL parser writes an IPv6 address in its shortest form, so 0:0:0:0:0:0:0:1 is ::1 too.
  return new URL(`http://[${bare}]/`).hostname === "[::1]";
}

/**
 * The address a listener binds: an IPv6 address written as in a URL (`[::1]`, `[::]`) without its
 * brackets. The rules above take both spellings, and Node's `listen` would look `[::1]` up as a host
 * name (ENOTFOUND) after `config check` had said ok.
 */
export function listenHost(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** Why the system refused to open a listener, as a technician fixes it. */
const LISTEN_FAILURES: Readonly<Record<string, { at: "host" | "port"; why: string }>> = {
  EADDRINUSE: { at: "port", why: "is in use by another program" },
  EACCES: { at: "port", why: "needs privileges the daemon does not have (a port below 1024)" },
  EADDRNOTAVAIL: { at: "host", why: "is not an address of this machine" },
  ENOTFOUND: { at: "host", why: "is not a name this machine can resolve" },
  EAI_AGAIN: { at: "host", why: "could not be resolved (no answer from the name server)" },
};

/** A listener the configuration names could not be opened; `path` is the setting to change. */
export class ListenError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = "ListenError";
  }
}

/** The settings a listener's host and port come from; `--port` on `start` overrides server.port. */
const LISTENER_SETTINGS = {
  management: { host: "/server/management/host", port: "/server/management/port" },
  visitor: { host: "/server/host", port: "/server/port" },
  "visitor --port": { host: "/server/host", port: "--port" },
} as const;

/** The visitor listener's address: a port given to `start` (`--port`) overrides server.port. */
export function visitorListener(
  host: string,
  configured: number,
  given: number | undefined,
): [keyof typeof LISTENER_SETTINGS, { host: string; port: number }] {
  if (given === undefined) return ["visitor", { host, port: configured }];
  return ["visitor --port", { host, port: given }];
}

/**
 * Opens a listener, turning the system's refusal into a `ListenError` naming the setting to change
 * and the reason, instead of a stack trace (exit 70) after `config check` had said ok: an address of
 * another machine, a port in use, a host name that does not resolve.
 */
export async function openListener(
  listener: keyof typeof LISTENER_SETTINGS,
  given: { host: string; port: number },
  server: { listen(address: { host: string; port: number }): Promise<string> },
): Promise<string> {
  const address = { host: given.host, port: given.port };
  try {
    return await server.listen(address);
  } catch (error) {
    const failure = LISTEN_FAILURES[(error as NodeJS.ErrnoException).code ?? ""];
    if (!failure) throw error;
    const shown = isIPv6(address.host) ? `[${address.host}]` : address.host;
    const what = failure.at === "host" ? address.host : `${shown}:${address.port}`;
    throw new ListenError(
      LISTENER_SETTINGS[listener][failure.at],
      `cannot listen on ${what}: it ${failure.why}`,
    );
  }
}

export interface RawManagement {
  host: string;
  port: number;
  tls?: { cert: string; key: string };
}

export interface RawServer {
  host?: string;
  port?: number;
  management?: RawManagement;
}

/**
 * Problems of `server` a schema cannot see. `adminApi` says whether an admin token is configured:
 * only then is there an admin API that a non-loopback management address must protect with TLS.
 */
export function serverProblems(server: RawServer | undefined, adminApi: boolean): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const host = server?.host ?? "127.0.0.1";
  if (!isLoopbackAddress(host)) {
    problems.push({
      path: "/server/host",
      message: `must be a loopback address (127.0.0.0/8 or ::1), not ${host}: the visitor and service APIs are never served on the network; use server.management for monitoring`,
    });
  }
  const m = server?.management;
  if (!m) return problems;
  if (m.port !== 0 && m.port === (server?.port ?? 8080)) {
    problems.push({ path: "/server/management/port", message: "must differ from /server/port" });
  }
  // `localhost` names loopback everywhere (RFC 6761); server.host takes addresses only, as SPEC §3 says.
  const loopbackManagement = isLoopbackAddress(m.host) || m.host.toLowerCase() === "localhost";
  if (adminApi && m.tls === undefined && !loopbackManagement) {
    problems.push({
      path: "/server/management/tls",
      message: `is required: the admin API (service.adminTokenFile/adminTokenEnv) is served on ${m.host}, a non-loopback address, only over TLS`,
    });
  }
  return problems;
}

/** Reads and checks the management listener's certificate and key files; problems name the path. */
export function readManagementTls(
  tls: { cert: string; key: string },
  readFile: (at: string, file: string) => string | undefined,
  problems: ConfigProblem[],
): { cert: string; key: string } | undefined {
  for (const [name, value] of Object.entries(tls)) {
    if (value.trimStart().startsWith("-----BEGIN")) {
      problems.push({
        path: `/server/management/tls/${name}`,
        message: "TLS material is never inline: name a PEM file",
      });
      return undefined;
    }
  }
  const cert = readFile("/server/management/tls/cert", tls.cert);
  const key = readFile("/server/management/tls/key", tls.key);
  if (cert === undefined || key === undefined) return undefined;
  const before = problems.length;
  try {
    new X509Certificate(cert);
  } catch {
    problems.push({ path: "/server/management/tls/cert", message: "not a PEM certificate" });
  }
  try {
    createPrivateKey(key);
  } catch {
    problems.push({ path: "/server/management/tls/key", message: "not a PEM private key" });
  }
  return problems.length === before ? { cert, key } : undefined;
}
