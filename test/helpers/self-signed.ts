/** Throwaway TLS certificates made by the openssl command: self-signed, or a test CA and leaves it signs. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
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

const P256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/**
 * A CA (`ca.pem`, `ca.key`) and one certificate per leaf signed by it (`<name>.pem`, `<name>.key`)
 * in `dir`; `ext` is the leaf's X.509 extension line (`subjectAltName=IP:127.0.0.1`,
 * `extendedKeyUsage=clientAuth`).
 */
export function testCertificateAuthority(
  dir: string,
  leaves: ReadonlyArray<{ name: string; ext: string }>,
): void {
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  ssl("req", "-x509", ...P256, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=test-ca");
  for (const { name, ext } of leaves) {
    ssl("req", ...P256, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`);
    fs.writeFileSync(path.join(dir, `${name}.ext`), `${ext}\n`);
    ssl(
      ...["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial"],
      ...["-out", `${name}.pem`, "-days", "2", "-extfile", `${name}.ext`],
    );
  }
}
