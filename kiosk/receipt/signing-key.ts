/**
 * The kiosk's own Ed25519 key for OPLR1 receipt codes (SPEC §2): configured (`kiosk.signingKeyFile`),
 * or generated once under the data directory. The daemon signs with the private half; clerks'
 * workstations and the hub get only the public half (`oplatomat keys export-receipt-key`).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { KioskConfig } from "../config/types.ts";

/** Where the daemon keeps the key pair it generated when the configuration names none. */
export const GENERATED_SIGNING_KEY_FILE = "receipt-signing-key.pem";
export const GENERATED_PUBLIC_KEY_FILE = "receipt-signing-key.pub.pem";

/** The kid printed in OPLR1 codes: configured, else the kiosk id reduced to the kid syntax. */
export function receiptKid(config: KioskConfig): string {
  return config.kiosk.signingKid ?? config.kiosk.id.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 16);
}

/** The signing key, generating and storing a pair under `dataDir` the first time one is needed. */
export function loadReceiptKey(config: KioskConfig, dataDir: string): { kid: string; privateKey: KeyObject } {
  const kid = receiptKid(config);
  if (config.kiosk.signingKey) return { kid, privateKey: createPrivateKey(config.kiosk.signingKey) };
  const file = path.join(dataDir, GENERATED_SIGNING_KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o750 });
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    fs.writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    fs.writeFileSync(
      path.join(dataDir, GENERATED_PUBLIC_KEY_FILE),
      publicKey.export({ type: "spki", format: "pem" }),
    );
  }
  return { kid, privateKey: createPrivateKey(fs.readFileSync(file, "utf8")) };
}

/**
 * The public key of a kiosk, read without creating anything: from its configuration's signing key,
 * else from the pair the daemon generated under `dataDir`. Undefined when neither is at hand.
 */
export function receiptPublicKey(
  config: KioskConfig | undefined,
  dataDir: string | undefined,
): KeyObject | undefined {
  if (config?.kiosk.signingKey) return createPublicKey(config.kiosk.signingKey);
  if (dataDir === undefined) return undefined;
  const publicFile = path.join(dataDir, GENERATED_PUBLIC_KEY_FILE);
  if (fs.existsSync(publicFile)) return createPublicKey(fs.readFileSync(publicFile, "utf8"));
  const privateFile = path.join(dataDir, GENERATED_SIGNING_KEY_FILE);
  if (fs.existsSync(privateFile)) return createPublicKey(fs.readFileSync(privateFile, "utf8"));
  return undefined;
}
