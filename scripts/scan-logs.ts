/**
 * Scans every file under a log directory (default `test-results/logs/`, where the test daemons
 * write) for data that must never be logged, and exits 1 when it finds any:
 * - a card number: 13–19 Luhn-valid digits, contiguous or grouped by one or two spaces, dashes or
 *   dots (kiosk/domain/pan.ts; see kiosk/domain/sensitive-text.ts, which the logger uses to mask the same thing);
 * - a token: one our auth issues (`opl_` + 20 or more base64url characters), a `Bearer <credential>`
 *   of 8 or more characters that is not `[redacted]`, or a PEM private key.
 * Findings are printed with file, line and a masked excerpt — never the secret itself.
 * A PDF (reports written next to the logs) is not text: its cross-reference table ("0000012345 00000
 * n") and compressed streams read as digit groups that look like card numbers. For a PDF the scan
 * reads what a person or a program can take out of it instead: its literal strings — metadata and
 * the text drawn by every content stream, inflated when compressed — not its numbers (offsets, font
 * widths, coordinates).
 *
 *   node --import tsx scripts/scan-logs.ts [DIR]
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";
import { plausiblePan } from "../kiosk/domain/pan.ts";
import { findCardNumbers, findTokens, maskSensitiveText } from "../kiosk/domain/sensitive-text.ts";

export interface Finding {
  file: string;
  line: number;
  kind: "card_number" | "token";
  /** The line around the finding, with the finding masked. */
  excerpt: string;
}

export function scanText(text: string, file = "-"): Finding[] {
  const findings: Finding[] = [];
  const lines = text.split("\n");
  lines.forEach((content, index) => {
    const hits = [
      // A finding is what could be a card (Luhn, a scheme's prefix and length): a PDF's creation time
      // or a receipt code's YYYYMMDDhhmmss passes Luhn one time in ten and is none.
      ...findCardNumbers(content)
        .filter((h) => plausiblePan(h.text.replace(/[^0-9]/g, "")))
        .map((h) => ({ ...h, kind: "card_number" as const })),
      ...findTokens(content).map((h) => ({ ...h, kind: "token" as const })),
    ];
    for (const hit of hits) {
      const start = Math.max(0, hit.index - 40);
      const around = content.slice(start, hit.index + hit.text.length + 40);
      findings.push({ file, line: index + 1, kind: hit.kind, excerpt: maskSensitiveText(around) });
    }
  });
  return findings;
}

const STREAM = /stream\r?\n([\s\S]*?)\r?\nendstream/g;
const LITERAL = /\(((?:\\.|[^\\)])*)\)/g;

function literals(text: string): string[] {
  return [...text.matchAll(LITERAL)].map((m) => m[1] ?? "");
}

/** The readable text of a PDF: every literal string, in the dictionaries and in the (inflated) streams. */
export function pdfText(bytes: Buffer): string {
  const latin = bytes.toString("latin1");
  const parts = literals(latin.replace(STREAM, "stream endstream"));
  for (const m of latin.matchAll(STREAM)) {
    const raw = Buffer.from(m[1] ?? "", "latin1");
    let body = raw;
    try {
      body = zlib.inflateSync(raw);
    } catch {
      // Not compressed (or not Flate): taken as it is.
    }
    parts.push(...literals(body.toString("latin1")));
  }
  return parts.join("\n");
}

function fileText(file: string): string {
  const bytes = fs.readFileSync(file);
  return bytes.subarray(0, 5).toString("latin1") === "%PDF-" ? pdfText(bytes) : bytes.toString("utf8");
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() ? [full] : [];
  });
}

export function scanDirectory(dir: string): { files: number; findings: Finding[] } {
  if (!fs.existsSync(dir)) return { files: 0, findings: [] };
  const files = filesUnder(dir);
  return {
    files: files.length,
    findings: files.flatMap((file) => scanText(fileText(file), file)),
  };
}

function main(argv: string[]): number {
  const dir = argv[0] ?? path.join("test-results", "logs");
  const { files, findings } = scanDirectory(dir);
  if (files === 0) {
    process.stdout.write(`scan-logs: no log files under ${dir}\n`);
    return 0;
  }
  for (const f of findings) process.stderr.write(`${f.file}:${f.line}: ${f.kind}: ${f.excerpt}\n`);
  process.stdout.write(`scan-logs: ${files} file(s), ${findings.length} finding(s)\n`);
  return findings.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
