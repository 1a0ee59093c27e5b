/**
 * Reads an ESC/POS byte stream back into what a person would see on paper: text lines (decoded in the
 * selected code page, placed by the absolute/relative position commands), native QR payloads, raster
 * images (only counted), and cuts. It covers the commands receiptline and our driver send; unknown
 * ESC/GS/FS commands are skipped by their documented parameter counts.
 */
import iconv from "iconv-lite";

/** ESC t n → codec, for the pages receiptline and our renderer select. */
const PAGES: Record<number, string> = {
  0: "cp437",
  16: "cp1252",
  17: "cp866",
  18: "cp852",
  19: "cp858",
  45: "cp1250",
  46: "cp1251",
};
/** Dots per character column of font A, as receiptline lays out. */
const CHAR_DOTS = 12;

export type PaperItem = { kind: "text"; text: string } | { kind: "qr"; data: string } | { kind: "image" };

export interface ParserEvents {
  /** A finished line or QR/image, in paper order. */
  item(item: PaperItem): void;
  cut(): void;
  /** GS a n: automatic status back mask changed. */
  statusBack(mask: number): void;
  /** GS r n: the host asks for the paper sensor; answered in stream order. */
  paperStatusRequest(n: number): void;
  /** ESC @. */
  reset(): void;
}

type Need = { bytes: number } | { lengthFrom: "pLpH"; extra: number } | { raster: "GS8L" | "GSv0" };

const upperHalves = new Map<string, string[]>();

/** The characters of bytes 0x80-0xFF in a code page, decoded once per page. */
function upperHalf(page: string): string[] {
  let table = upperHalves.get(page);
  if (!table) {
    table = Array.from({ length: 128 }, (_, i) => iconv.decode(Buffer.from([0x80 + i]), page));
    upperHalves.set(page, table);
  }
  return table;
}

/** A stateful byte-at-a-time ESC/POS reader. */
export class EscPosParser {
  private page = "cp852";
  private boxPage = false;
  private line: string[] = [];
  private position = 0;
  private widthScale = 1;
  private pending: number[] = [];
  private need: Need | undefined;
  private qrData: Buffer | undefined;

  constructor(private readonly on: ParserEvents) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      const total = this.need ? this.needTotal() : undefined;
      if (total === undefined) {
        this.byte(chunk[i++]!);
        continue;
      }
      // A command whose length is known takes its remaining bytes at once (a QR's data, an image).
      const end = Math.min(chunk.length, i + total - this.pending.length);
      while (i < end) this.pending.push(chunk[i++]!);
      this.completeNeed();
    }
  }

  private byte(b: number): void {
    if (this.need || this.pending.length > 0) {
      this.pending.push(b);
      this.tryComplete();
      return;
    }
    if (b === 0x1b || b === 0x1d || b === 0x1c || b === 0x10) {
      this.pending.push(b);
      return;
    }
    if (b === 0x0a) {
      this.flushLine();
      return;
    }
    if (b < 0x20 || b === 0x7f) return;
    this.printChar(b);
  }

  private printChar(b: number): void {
    let ch: string;
    if (this.boxPage && b >= 0x80) ch = "-";
    else if (b < 0x80) ch = String.fromCharCode(b);
    else ch = upperHalf(this.page)[b - 0x80]!;
    const col = Math.floor(this.position / CHAR_DOTS);
    while (this.line.length < col) this.line.push(" ");
    this.line[col] = ch;
    this.position += CHAR_DOTS * this.widthScale;
  }

  private flushLine(): void {
    const text = this.line.join("").trimEnd();
    this.on.item({ kind: "text", text });
    this.line = [];
    this.position = 0;
  }

  /** Called with `pending` holding a command prefix; completes it when enough bytes arrived. */
  private tryComplete(): void {
    const p = this.pending;
    if (this.need) {
      this.completeNeed();
      return;
    }
    if (p.length < 2) return;
    const a = p[0]!;
    const c = p[1]!;
    if (a === 0x10) {
      // DLE EOT n / DLE ENQ n / DLE DC4 fn m t are real-time: the printer owner answers them before
      // they reach this parser; here they are only skipped.
      if (c === 0x14) this.need = { bytes: 5 };
      else this.need = { bytes: 3 };
      this.completeNeed();
      return;
    }
    if (a === 0x1b) {
      switch (c) {
        case 0x40: // ESC @
          this.pending = [];
          this.page = "cp852";
          this.boxPage = false;
          this.widthScale = 1;
          this.on.reset();
          return;
        case 0x32: // ESC 2
        case 0x3c:
          this.pending = [];
          return;
        case 0x24: // ESC $ nL nH
        case 0x5c: // ESC \ nL nH
          this.need = { bytes: 4 };
          break;
        default: // ESC x n (t, M, SP, 3, {, a, E, -, d, J, R, !, …)
          this.need = { bytes: 3 };
      }
      this.completeNeed();
      return;
    }
    if (a === 0x1c) {
      switch (c) {
        case 0x28: // FS ( x pL pH …
          this.need = { lengthFrom: "pLpH", extra: 0 };
          break;
        case 0x53: // FS S n1 n2
          this.need = { bytes: 4 };
          break;
        case 0x2e: // FS .
        case 0x26: // FS &
          this.pending = [];
          return;
        default: // FS C n, FS - n, …
          this.need = { bytes: 3 };
      }
      this.completeNeed();
      return;
    }
    // GS
    switch (c) {
      case 0x28: // GS ( x pL pH …
        this.need = { lengthFrom: "pLpH", extra: 0 };
        break;
      case 0x38: // GS 8 L p1 p2 p3 p4 …
        this.need = { raster: "GS8L" };
        break;
      case 0x76: // GS v 0 m xL xH yL yH …
        this.need = { raster: "GSv0" };
        break;
      case 0x4c: // GS L nL nH
      case 0x57: // GS W nL nH
        this.need = { bytes: 4 };
        break;
      case 0x56: // GS V m [n]
        if (p.length < 3) return;
        this.need = { bytes: p[2] === 0x41 || p[2] === 0x42 || p[2] === 0x61 || p[2] === 0x62 ? 4 : 3 };
        break;
      case 0x6b: // GS k m n d… (function B only, as receiptline sends)
        if (p.length < 4) return;
        this.need = { bytes: 4 + p[3]! };
        break;
      default: // GS a n, GS !, GS B, GS r, GS w, GS h, GS H, GS I …
        this.need = { bytes: 3 };
    }
    this.completeNeed();
  }

  /** The whole length of the pending command, once its header says it; undefined before. */
  private needTotal(): number | undefined {
    const need = this.need!;
    const p = this.pending;
    if ("bytes" in need) return need.bytes;
    if ("lengthFrom" in need) return p.length < 5 ? undefined : 5 + p[3]! + p[4]! * 256;
    if (need.raster === "GS8L")
      return p.length < 7 ? undefined : 7 + p[3]! + p[4]! * 256 + p[5]! * 65536 + p[6]! * 16777216;
    return p.length < 8 ? undefined : 8 + (p[4]! + p[5]! * 256) * (p[6]! + p[7]! * 256);
  }

  private completeNeed(): void {
    const p = this.pending;
    const total = this.needTotal();
    if (total === undefined || p.length < total) return;
    const cmd = Buffer.from(p.slice(0, total));
    this.pending = [];
    this.need = undefined;
    this.execute(cmd);
  }

  private execute(cmd: Buffer): void {
    const a = cmd[0]!;
    const c = cmd[1]!;
    if (a === 0x1b) {
      if (c === 0x74) {
        const n = cmd[2]!;
        this.boxPage = n === 1;
        this.page = PAGES[n] ?? this.page;
      } else if (c === 0x24) this.position = cmd[2]! + cmd[3]! * 256;
      else if (c === 0x5c) this.position += ((cmd[2]! + cmd[3]! * 256) << 16) >> 16;
      return;
    }
    if (a !== 0x1d) return;
    switch (c) {
      case 0x61:
        this.on.statusBack(cmd[2]!);
        return;
      case 0x72:
        this.on.paperStatusRequest(cmd[2]!);
        return;
      case 0x21:
        this.widthScale = ((cmd[2]! >> 4) & 0x07) + 1;
        return;
      case 0x56:
        if (this.line.length > 0) this.flushLine();
        this.on.cut();
        return;
      case 0x38:
      case 0x76:
        this.on.item({ kind: "image" });
        return;
      case 0x28:
        if (cmd[2] === 0x6b) this.qrFunction(cmd);
        return;
    }
  }

  /** GS ( k cn=49: fn 80 stores data, fn 81 prints what was stored. */
  private qrFunction(cmd: Buffer): void {
    const cn = cmd[5];
    const fn = cmd[6];
    if (cn !== 0x31) return;
    if (fn === 0x50) this.qrData = cmd.subarray(8);
    else if (fn === 0x51 && this.qrData) {
      this.on.item({ kind: "qr", data: this.qrData.toString("utf8") });
    }
  }
}
