/**
 * `oplatomat receipt verify`: checks an OPLR1 receipt code (SPEC §2) against the kiosk's public key.
 * In receipt-only reporting this check is the clerk's only control, so a code is never passed on its
 * syntax alone: with no key at hand the answer is RECEIPT_UNVERIFIED, exit 1.
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import fs from "node:fs";
import type { KioskConfig } from "../config/types.ts";
import { parseReceiptCode, type ReceiptCode, verifyReceiptCode } from "../domain/receipt-code.ts";
import { isPrivateKeyPem, withoutLineEnd } from "../domain/signature.ts";
import {
  GENERATED_PUBLIC_KEY_FILE,
  GENERATED_SIGNING_KEY_FILE,
  receiptKid,
  receiptPublicKey,
} from "../receipt/signing-key.ts";
import {
  CliExit,
  type CliIo,
  CONFIG_OPTIONS,
  configPathFrom,
  dataDirectory,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  loadConfigOrExit,
  parseCommandArgs,
  usageError,
} from "./cli-kit.ts";

export const RECEIPT_USAGE = `Usage: oplatomat receipt verify [--config FILE] [--data DIR] [--key FILE] PAYLOAD

Prints the decoded OPLR1 receipt code as JSON (exit 0), or the error code (exit 1):
RECEIPT_UNREADABLE, RECEIPT_UNVERIFIED, RECEIPT_UNKNOWN_KEY or RECEIPT_SIGNATURE_INVALID.

The kiosk's public key comes from --key, else from the configuration's kiosk.signingKeyFile, else
from the key pair the daemon generated in its data directory (${GENERATED_PUBLIC_KEY_FILE}; --data, else
the directory of the configuration's storage.path, as oplatomat start places it). With no key at
hand the code is RECEIPT_UNVERIFIED: its syntax alone never passes. Get the public key of a kiosk
with oplatomat keys export-receipt-key.

Options:
  -c, --config FILE   kiosk configuration (OPLATOMAT_CONFIG if absent)
  --data DIR          the daemon's data directory
  --key FILE          the kiosk's PUBLIC key, PEM (a private key is refused)
  -h, --help          this help`;

export async function runReceiptCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    io.out(`${RECEIPT_USAGE}\n`);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (sub !== "verify") throw usageError(`unknown receipt command ${sub}`, RECEIPT_USAGE);
  const { values, positionals } = parseCommandArgs(
    rest,
    { ...CONFIG_OPTIONS, key: { type: "string" } },
    RECEIPT_USAGE,
  );
  if (values.help) {
    io.out(`${RECEIPT_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw usageError("expected exactly one PAYLOAD", RECEIPT_USAGE);
  const payload = withoutLineEnd(positionals[0]!);

  const parsed = parseReceiptCode(payload);
  if (!parsed.ok) return failed(io, parsed.error);

  const configFile = configPathFrom(values.config, io);
  const config = configFile ? loadConfigOrExit(configFile, io) : undefined;
  const dataDir = config ? dataDirectory(config, values.data) : values.data;
  const key = values.key ? publicKeyFile(values.key) : kioskPublicKey(config, dataDir);
  if (key === undefined) {
    io.err("no kiosk public key at hand (--key, --config or --data): the code cannot be verified\n");
    return failed(io, "RECEIPT_UNVERIFIED");
  }
  // A key given by file carries no kid: it vouches for whatever kid the code names.
  const kid = values.key || !config ? parsed.code.kid : receiptKid(config);
  const result = verifyReceiptCode(payload, new Map<string, KeyObject>([[kid, key]]));
  if (!result.ok) return failed(io, result.error);
  io.out(`${JSON.stringify(receiptJson(result.code), null, 2)}\n`);
  return EXIT_OK;
}

function failed(io: CliIo, code: string): number {
  io.out(`${code}\n`);
  return EXIT_FAILED;
}

/** `--key FILE`: an Ed25519 public key; a private key is refused so it does not travel to clerks. */
function publicKeyFile(file: string): KeyObject {
  const pem = readPem(file);
  if (isPrivateKeyPem(pem)) {
    throw new CliExit(
      EXIT_FAILED,
      `${file} holds a PRIVATE key: give the kiosk's public key (oplatomat keys export-receipt-key), and keep the private key on the kiosk`,
    );
  }
  return ed25519(pem, file);
}

function kioskPublicKey(config: KioskConfig | undefined, dataDir: string | undefined): KeyObject | undefined {
  try {
    return receiptPublicKey(config, dataDir);
  } catch {
    throw usageError(`the kiosk's receipt key (${GENERATED_SIGNING_KEY_FILE}) is not a PEM key`);
  }
}

function readPem(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function ed25519(pem: string, file: string): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType === "ed25519") return key;
  } catch {
    // fall through to the usage error
  }
  throw usageError(`${file} is not an Ed25519 public key (PEM)`);
}

function receiptJson(code: ReceiptCode) {
  return {
    kiosk: code.kiosk,
    payment: code.payment,
    office: code.office,
    slip: code.slip,
    total: code.total,
    paidAt: code.paidAt,
    kid: code.kid,
  };
}
