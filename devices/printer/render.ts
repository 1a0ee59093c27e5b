/**
 * Renders a receiptline document to ESC/POS bytes. We start from receiptline's `escpos` command set
 * and change two things: text goes out in the configured Polish code page (852 or 1250; receiptline
 * knows no 1250), falling back to Windows-1251 for Cyrillic so a Ukrainian visitor's lines print too;
 * and QR codes use the printer's native GS ( k commands instead of raster images, so the payload is
 * data the printer (and our simulator) can read back rather than pixels.
 */
import iconv from "iconv-lite";
import { type Receiptline, receiptline } from "./receiptline.ts";

export type PolishCodePage = "cp852" | "cp1250";

/** ESC t n page numbers (Epson numbering, followed by most ESC/POS clones). */
export const CODE_PAGE_NUMBER: Record<string, number> = {
  cp437: 0,
  cp1252: 16,
  cp866: 17,
  cp852: 18,
  cp858: 19,
  cp1250: 45,
  cp1251: 46,
};

/** Characters none of our pages has, replaced by what a reader expects rather than by `?`. */
const SUBSTITUTES: Record<string, string> = {
  "–": "-",
  "—": "-",
  "„": '"',
  "“": '"',
  "”": '"',
  "‘": "'",
  "’": "'",
  "…": "...",
  "×": "x",
  "\u00a0": " ",
};

/** Whether each character seen so far survives a round trip through each page (a receipt repeats them). */
const encodableIn = new Map<string, boolean>();

function encodable(ch: string, page: string): boolean {
  const key = `${page} ${ch}`;
  let known = encodableIn.get(key);
  if (known === undefined) {
    known = iconv.decode(iconv.encode(ch, page), page) === ch;
    // A bound on what is kept, whatever text comes: the Polish, Ukrainian and English alphabets fit.
    if (encodableIn.size < 4096) encodableIn.set(key, known);
  }
  return known;
}

/** Text as ESC t n switches plus bytes, as a binary string (receiptline's command currency). */
export function encodeText(text: string, primary: PolishCodePage): string {
  let out = "";
  let current: string | undefined;
  const select = (page: string) => {
    if (current !== page) {
      out += `\x1bt${String.fromCharCode(CODE_PAGE_NUMBER[page]!)}`;
      current = page;
    }
  };
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) {
      select(current ?? primary);
      out += ch;
      continue;
    }
    const cyrillic = /[\u0400-\u04ff]/.test(ch);
    const page = encodable(ch, primary)
      ? primary
      : cyrillic && encodable(ch, "cp1251")
        ? "cp1251"
        : undefined;
    if (page) {
      select(page);
      out += iconv.encode(ch, page).toString("binary");
    } else {
      const sub = SUBSTITUTES[ch] ?? (encodable(ch, "cp437") ? ch : "?");
      select(current ?? primary);
      out += /^[\x20-\x7e]+$/.test(sub) ? sub : iconv.encode(sub, primary).toString("binary");
    }
  }
  return out;
}

type QrSymbol = { data: string; cell: number; level: "l" | "m" | "q" | "h" };

/** GS ( k: model 2, cell size, error correction, store data, print. */
export function nativeQr(symbol: QrSymbol): string {
  if (symbol.data.length === 0) return "";
  const data = Buffer.from(symbol.data, "utf8");
  const gsk = (...body: number[]) =>
    Buffer.from([0x1d, 0x28, 0x6b, body.length & 0xff, body.length >> 8, ...body]);
  const store = Buffer.concat([
    Buffer.from([0x1d, 0x28, 0x6b, (data.length + 3) & 0xff, (data.length + 3) >> 8, 0x31, 0x50, 0x30]),
    data,
  ]);
  const level = { l: 48, m: 49, q: 50, h: 51 }[symbol.level];
  return Buffer.concat([
    gsk(0x31, 0x41, 0x32, 0x00),
    gsk(0x31, 0x43, Math.min(16, Math.max(1, symbol.cell))),
    gsk(0x31, 0x45, level),
    store,
    gsk(0x31, 0x51, 0x30),
  ]).toString("binary");
}

/** Made once per page: receiptline copies the set it is given before keeping any state in it. */
const commandSets = new Map<PolishCodePage, Receiptline.BaseCommand>();

function commandSet(codePage: PolishCodePage): Receiptline.BaseCommand {
  let set = commandSets.get(codePage);
  if (!set) {
    set = Object.assign({}, receiptline().commands.escpos, {
      text: (text: string) => encodeText(text, codePage),
      qrcode: (symbol: QrSymbol) => nativeQr(symbol),
    });
    commandSets.set(codePage, set);
  }
  return set;
}

export interface RenderOptions {
  columns: number;
  codePage: PolishCodePage;
}

/** The document as receiptline's ESC/POS output, with our text and QR commands. */
export function renderEscPos(document: string, options: RenderOptions): Buffer {
  // `cp852` only tells receiptline's layout that every character is one column wide; the bytes
  // themselves come from our `text`.
  const out = receiptline().transform(document, {
    cpl: options.columns,
    encoding: "cp852",
    command: commandSet(options.codePage),
  });
  return Buffer.from(out, "binary");
}

const RESET_AND_ASB_OFF = Buffer.from([0x1b, 0x40, 0x1d, 0x61, 0x00]);

/**
 * receiptline opens every job with ESC @ GS a 0 (reset and switch automatic status back off); we
 * keep the reset and switch it back on, so the printer keeps telling us about paper and cover.
 */
export function keepStatusBack(job: Buffer, asb: number): Buffer {
  if (job.subarray(0, RESET_AND_ASB_OFF.length).equals(RESET_AND_ASB_OFF)) {
    return Buffer.concat([
      Buffer.from([0x1b, 0x40, 0x1d, 0x61, asb]),
      job.subarray(RESET_AND_ASB_OFF.length),
    ]);
  }
  return Buffer.concat([Buffer.from([0x1d, 0x61, asb]), job]);
}
