/**
 * `oplatomat keys generate`: an Ed25519 key pair for signing slips (office systems, tests) or receipts.
 * `oplatomat keys export-receipt-key`: the kiosk's receipt public key, for clerks' workstations and the hub.
 */
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { receiptPublicKey } from "../receipt/signing-key.ts";
import {
  CliExit,
  type CliIo,
  CONFIG_OPTIONS,
  configPathFrom,
  dataDirectory,
  EXIT_OK,
  EXIT_USAGE,
  loadConfigOrExit,
  parseCommandArgs,
  rejectPositionals,
  usageError,
} from "./cli-kit.ts";

export const KEYS_USAGE = `Usage: oplatomat keys generate --out DIR [--name NAME] [--force]
       oplatomat keys export-receipt-key [--config FILE] [--data DIR]

Writes an Ed25519 key pair as PEM: DIR/NAME.pem (private, PKCS#8, mode 0600) and DIR/NAME.pub.pem
(public, SPKI). The public key goes into slips.trustedKeys; the private key stays with the signer.

Options:
  --out DIR     directory to write to (created if missing)
  --name NAME   file name stem (default: ed25519)
  --force       overwrite an existing private key
  -h, --help    this help`;

export const EXPORT_RECEIPT_KEY_USAGE = `Usage: oplatomat keys export-receipt-key [--config FILE] [--data DIR]

Prints the kiosk's receipt public key (PEM, SPKI) on standard output, for the clerks' workstations
(oplatomat receipt verify --key FILE) and the hub. The key is the configuration's kiosk.signingKeyFile,
else the pair the daemon generated in its data directory (--data, else the directory of the
configuration's storage.path, as oplatomat start places it). Nothing secret is printed.

Options:
  -c, --config FILE   kiosk configuration (OPLATOMAT_CONFIG if absent)
  --data DIR          the daemon's data directory
  -h, --help          this help`;

export async function runKeysCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    io.out(`${KEYS_USAGE}\n`);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (sub === "export-receipt-key") return exportReceiptKey(rest, io);
  if (sub !== "generate") throw usageError(`unknown keys command ${sub}`, KEYS_USAGE);
  const { values, positionals } = parseCommandArgs(
    rest,
    { out: { type: "string" }, name: { type: "string" }, force: { type: "boolean" } },
    KEYS_USAGE,
  );
  if (values.help) {
    io.out(`${KEYS_USAGE}\n`);
    return EXIT_OK;
  }
  rejectPositionals(positionals, KEYS_USAGE);
  if (!values.out) throw usageError("--out DIR is required", KEYS_USAGE);
  const name = values.name ?? "ed25519";
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw usageError("--name may hold letters, digits, . _ - only");

  const dir = path.resolve(values.out);
  const privatePath = path.join(dir, `${name}.pem`);
  const publicPath = path.join(dir, `${name}.pub.pem`);
  fs.mkdirSync(dir, { recursive: true });
  if (!values.force && fs.existsSync(privatePath)) {
    throw usageError(`${privatePath} exists; pass --force to replace it`);
  }
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  // Write with 0600 from the start, so the key is never readable by others even briefly.
  fs.rmSync(privatePath, { force: true });
  fs.writeFileSync(privatePath, privateKey.export({ type: "pkcs8", format: "pem" }), {
    mode: 0o600,
    flag: "wx",
  });
  fs.writeFileSync(publicPath, publicKey.export({ type: "spki", format: "pem" }), { mode: 0o644 });
  io.out(`private key: ${privatePath}\npublic key: ${publicPath}\n`);
  return EXIT_OK;
}

function exportReceiptKey(argv: string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(argv, CONFIG_OPTIONS, EXPORT_RECEIPT_KEY_USAGE);
  if (values.help) {
    io.out(`${EXPORT_RECEIPT_KEY_USAGE}\n`);
    return EXIT_OK;
  }
  rejectPositionals(positionals, EXPORT_RECEIPT_KEY_USAGE);
  const configFile = configPathFrom(values.config, io);
  const config = configFile ? loadConfigOrExit(configFile, io) : undefined;
  if (!config && !values.data) {
    throw usageError("pass the kiosk's --config FILE or --data DIR", EXPORT_RECEIPT_KEY_USAGE);
  }
  const dataDir = config ? dataDirectory(config, values.data) : values.data;
  const key = receiptPublicKey(config, dataDir);
  if (!key) {
    throw new CliExit(
      EXIT_USAGE,
      `this kiosk has no receipt key yet: the configuration names no kiosk.signingKeyFile and the daemon has not generated one in ${dataDir}`,
    );
  }
  io.out(String(key.export({ type: "spki", format: "pem" })));
  return EXIT_OK;
}
