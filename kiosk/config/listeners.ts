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
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (!isIPv6(bare)) return false;
  // The URL parser writes an IPv6 address in its shortest form, so 0:0:0:0:0:0:0:1 is ::1 too.
  return new URL(`http://[${bare}]/`).hostname === "[::1]";
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
