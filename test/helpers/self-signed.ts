/** A throwaway self-signed TLS certificate for an IP address, made by the openssl command. */
import { execFileSync } from "node:child_process";
import path from "node:path";

/** Writes management.crt and management.key into `dir`; returns their paths. */
export function selfSignedCertificate(dir: string, address: string): { cert: string; key: string } {
  const cert = path.join(dir, "management.crt");
  const key = path.join(dir, "management.key");
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
      ...["-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=oplatomat-management"],
      ...["-addext", `subjectAltName=IP:${address}`],
    ],
    { stdio: "ignore" },
  );
  return { cert, key };
}
