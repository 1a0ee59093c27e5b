/** `oplatomat receipt verify`: checks an OPLR1 receipt code (SPEC §2) against the kiosk's public key. */
import { createPublicKey, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseReceiptCode, type ReceiptCode, verifyReceiptCode } from "../domain/receipt-code.ts";
import {
  type CliIo,
  CONFIG_OPTIONS,
  configPathFrom,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  loadConfigOrExit,
  parseCommandArgs,
  usageError,
} from "./cli-kit.ts";

/** Where kiosk/main.ts keeps the receipt signing key it generated when the config names none. */
export const GENERATED_SIGNING_KEY_FILE = "receipt-signing-key.pem";

export const RECEIPT_USAGE = `Usage: oplatomat receipt verify [--config FILE] [--data DIR] [--key FILE] PAYLOAD

Prints the decoded OPLR1 receipt code as JSON (exit 0), or the error code (exit 1):
RECEIPT_UNREADABLE, RECEIPT_UNKNOWN_KEY or RECEIPT_SIGNATURE_INVALID.

The kiosk's key comes from --key, else from the configuration's kiosk.signingKeyFile, else from
the key the daemon generated under --data (${GENERATED_SIGNING_KEY_FILE}). With none, only the
syntax is checked.

Options:
  -c, --config FILE   kiosk configuration (OPLATOMAT_CONFIG if absent)
  --data DIR          the daemon's data directory
  --key FILE          the kiosk's public (or private) key, PEM
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
  const payload = positionals[0]!;

  const parsed = parseReceiptCode(payload);
  if (!parsed.ok) return failed(io, parsed.error);

  let pem: string | undefined;
  let kid: string | undefined;
  if (values.key) pem = readPem(values.key);
  const configFile = configPathFrom(values.config, io);
  if (configFile) {
    const config = loadConfigOrExit(configFile, io);
    kid = config.kiosk.signingKid;
    pem ??= config.kiosk.signingKey;
  }
  if (pem === undefined && values.data) {
    const generated = path.join(values.data, GENERATED_SIGNING_KEY_FILE);
    if (fs.existsSync(generated)) pem = readPem(generated);
  }
  if (pem === undefined) {
    io.err("note: no kiosk key, so only the syntax was checked (not the signature)\n");
    io.out(`${JSON.stringify(receiptJson(parsed.code), null, 2)}\n`);
    return EXIT_OK;
  }
  const trusted = new Map<string, KeyObject>([[kid ?? parsed.code.kid, publicKeyOf(pem)]]);
  const result = verifyReceiptCode(payload, trusted);
  if (!result.ok) return failed(io, result.error);
  io.out(`${JSON.stringify(receiptJson(result.code), null, 2)}\n`);
  return EXIT_OK;
}

function failed(io: CliIo, code: string): number {
  io.out(`${code}\n`);
  return EXIT_FAILED;
}

function readPem(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** A public key from either PEM form: the kiosk's private key file serves as well. */
function publicKeyOf(pem: string): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType === "ed25519") return key;
  } catch {
    // fall through to the usage error
  }
  throw usageError("the kiosk key is not an Ed25519 key (PEM)");
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
