/**
 * `oplatomat slip issue` (what an office system does: sign an OPL1 slip) and `oplatomat slip verify`
 * (the kiosk's checks of SPEC §1 that need neither the database nor the office system).
 */
import { createPrivateKey, type KeyObject } from "node:crypto";
import fs from "node:fs";
import QRCode from "qrcode";
import type { KioskConfig } from "../config/types.ts";
import { ed25519PublicKey, withoutLineEnd } from "../domain/signature.ts";
import { parseSlip, type Slip, signSlip, slipToday, verifySlip } from "../domain/slip.ts";
import { OutputFileError, writeCompleteFile } from "../reports/complete-file.ts";
import { addDays, businessDay, compactMinute, DEFAULT_TZ, isRealDay } from "../domain/time.ts";
import {
  CliExit,
  type CliIo,
  CONFIG_OPTIONS,
  configPathFrom,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  fileOption,
  loadConfigOrExit,
  parseCommandArgs,
  rejectPositionals,
  usageError,
} from "./cli-kit.ts";

export const SLIP_USAGE = `Usage: oplatomat slip <command>

Commands:
  issue    sign an OPL1 payment slip and print its payload
  verify   decode and check an OPL1 payload

Run oplatomat slip <command> --help for its options.`;

export const SLIP_ISSUE_USAGE = `Usage: oplatomat slip issue --key FILE --kid KID --office ID --slip ID [--case REF]
                           [--valid YYYY-MM-DD] --line CODE:GROSZE [--line CODE:GROSZE ...] [--png FILE]

Signs an OPL1 slip (SPEC §1) and prints its payload. The total is the sum of the lines; the issue
time is now (Europe/Warsaw).

Options:
  --key FILE            Ed25519 private key (PEM), e.g. from oplatomat keys generate
  --kid KID             the key id the kiosk's slips.trustedKeys knows it by
  --office ID           office id, [A-Z0-9-]{1,16}
  --slip ID             slip id, [A-Z0-9/-]{1,24}
  --case REF            case reference shown to the visitor (default: empty)
  --valid YYYY-MM-DD    last day it may be paid (default: 14 days from today)
  --line CODE:GROSZE    a fee component and its amount in grosze, e.g. DR:5400; repeatable
  --png FILE            also write the QR code as a PNG image
  -h, --help            this help`;

export const SLIP_VERIFY_USAGE = `Usage: oplatomat slip verify [--config FILE] [--data DIR] PAYLOAD

Prints the decoded slip as JSON (exit 0), or the error code (exit 1). With a configuration
(--config or OPLATOMAT_CONFIG) it runs the checks of SPEC §1 in order: syntax, trusted key,
signature, office, validity date, components, sum. The local payment record and the office
system are not consulted. Without a configuration there is no trusted key, so a well-formed slip is
SLIP_UNKNOWN_KEY (exit 1): its syntax alone never passes.

Options:
  -c, --config FILE   kiosk configuration (trusted keys, office id, components)
  --data DIR          accepted for symmetry with other commands; not used
  -h, --help          this help`;

export async function runSlipCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    io.out(`${SLIP_USAGE}\n`);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (sub === "issue") return issue(rest, io);
  if (sub === "verify") return verify(rest, io);
  throw usageError(`unknown slip command ${sub}`, SLIP_USAGE);
}

async function issue(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      key: { type: "string" },
      kid: { type: "string" },
      office: { type: "string" },
      slip: { type: "string" },
      case: { type: "string" },
      valid: { type: "string" },
      line: { type: "string", multiple: true },
      png: { type: "string" },
    },
    SLIP_ISSUE_USAGE,
  );
  if (values.help) {
    io.out(`${SLIP_ISSUE_USAGE}\n`);
    return EXIT_OK;
  }
  rejectPositionals(positionals, SLIP_ISSUE_USAGE);
  for (const name of ["key", "kid", "office", "slip"] as const) {
    if (!values[name]) throw usageError(`--${name} is required`, SLIP_ISSUE_USAGE);
  }
  const lines = (values.line ?? []).map((text) => {
    const m = /^([A-Z0-9_]{1,16}):([1-9][0-9]{0,8})$/.exec(text);
    if (!m) throw usageError(`--line ${text}: expected CODE:GROSZE, e.g. DR:5400`);
    return { code: m[1]!, amount: Number(m[2]) };
  });
  if (lines.length === 0) throw usageError("at least one --line CODE:GROSZE is required", SLIP_ISSUE_USAGE);
  if (lines.length > 20) throw usageError("a slip holds at most 20 lines");

  const now = io.now();
  const validDay = values.valid ?? addDays(businessDay(now, DEFAULT_TZ), 14);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(validDay) || !isRealDay(validDay)) {
    throw usageError(`--valid ${validDay}: expected a real day as YYYY-MM-DD`);
  }
  const key = readPrivateKey(values.key!);
  const total = lines.reduce((acc, l) => acc + l.amount, 0);
  let payload: string;
  try {
    payload = signSlip(
      {
        office: values.office!,
        slip: values.slip!,
        caseRef: values.case ?? "",
        issued: compactMinute(now, DEFAULT_TZ),
        valid: validDay.replaceAll("-", ""),
        total,
        lines,
        kid: values.kid!,
      },
      key,
    );
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.png !== undefined) {
    fileOption("png", values.png, SLIP_ISSUE_USAGE);
    const png = await QRCode.toBuffer(payload, {
      type: "png",
      errorCorrectionLevel: "M",
      margin: 4,
      scale: 6,
    });
    try {
      await writeCompleteFile(values.png, async (out) => void out.write(png), 0o644);
    } catch (error) {
      if (error instanceof OutputFileError) throw new CliExit(EXIT_USAGE, error.message);
      throw error;
    }
  }
  io.out(`${payload}\n`);
  return EXIT_OK;
}

function readPrivateKey(file: string): KeyObject {
  let pem: string;
  try {
    pem = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== "ed25519") throw new Error("not Ed25519");
    return key;
  } catch {
    throw usageError(`${file} is not an Ed25519 private key (PEM)`);
  }
}

async function verify(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, CONFIG_OPTIONS, SLIP_VERIFY_USAGE);
  if (values.help) {
    io.out(`${SLIP_VERIFY_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw usageError("expected exactly one PAYLOAD", SLIP_VERIFY_USAGE);
  const payload = withoutLineEnd(positionals[0]!);
  const configFile = configPathFrom(values.config, io);
  if (!configFile) {
    const parsed = parseSlip(payload);
    if (!parsed.ok) return failed(io, parsed.code, parsed.detail);
    return failed(
      io,
      "SLIP_UNKNOWN_KEY",
      "no configuration, so no trusted key: the signature cannot be checked",
    );
  }
  const config = loadConfigOrExit(configFile, io);
  const result = verifySlip(payload, {
    trustedKeys: trustedKeyMap(config),
    officeId: config.office.id,
    today: slipToday(io.now()),
    components: new Set(Object.keys(config.components)),
  });
  if (!result.ok) return failed(io, result.code, result.detail);
  io.out(`${JSON.stringify(slipJson(result.slip), null, 2)}\n`);
  return EXIT_OK;
}

function failed(io: CliIo, code: string, detail: string | undefined): number {
  io.out(`${code}\n`);
  if (detail) io.err(`${code}: ${detail}\n`);
  return EXIT_FAILED;
}

/** The slip in SPEC §1's field names. */
function slipJson(slip: Slip) {
  return {
    office: slip.office,
    slip: slip.slip,
    case: slip.caseRef,
    issued: slip.issued,
    valid: slip.valid,
    total: slip.total,
    lines: slip.lines,
    kid: slip.kid,
  };
}

export function trustedKeyMap(config: KioskConfig): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const k of config.slips.trustedKeys) {
    try {
      keys.set(k.kid, ed25519PublicKey(k.publicKey));
    } catch {
      // The loader already refused keys that are not Ed25519; nothing else can reach here.
      throw new CliExit(EXIT_USAGE, `slips.trustedKeys ${k.kid}: not an Ed25519 public key`);
    }
  }
  return keys;
}
