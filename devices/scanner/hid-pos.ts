/**
 * HID-POS (usage page 0x8C, bar code scanner) input reports, as pure code. The common layout
 * (device-layer reference §4.2): report ID, a length byte, a 3-byte AIM symbology identifier
 * (`]Q1` for QR), up to 56 data bytes, vendor bytes, and in the last byte bit 0 = "more data
 * follows". A QR code longer than one report comes in several; they are joined here.
 */
export const HID_POS_USAGE_PAGE = 0x8c;

export interface HidPosLayout {
  /** The report ID the scanner sends decoded data with (node-hid passes it as byte 0). */
  reportId: number;
  /** Total report length including the ID byte. */
  reportSize: number;
  /** Offset of the first data byte (after ID, length and the AIM identifier). */
  dataOffset: number;
  /** The most data bytes one report carries. */
  maxData: number;
}

export const DEFAULT_LAYOUT: HidPosLayout = { reportId: 0x02, reportSize: 64, dataOffset: 5, maxData: 56 };

/** The largest code we accept; anything longer is noise or a stuck "more data" bit. */
const MAX_CODE_BYTES = 8192;

export class HidPosReassembler {
  private parts: Buffer[] = [];
  private size = 0;
  /** Reports that did not fit the layout, for statistics. */
  malformed = 0;

  constructor(private readonly layout: HidPosLayout = DEFAULT_LAYOUT) {}

  /** Feeds one input report; returns the code it completes, if any. */
  push(report: Uint8Array): string | undefined {
    const l = this.layout;
    if (report.length < l.dataOffset + 1 || report[0] !== l.reportId) {
      this.malformed++;
      return undefined;
    }
    const length = report[1]!;
    if (length > l.maxData || l.dataOffset + length > report.length) {
      this.malformed++;
      this.reset();
      return undefined;
    }
    const more = (report[report.length - 1]! & 0x01) === 1 && report.length >= l.reportSize;
    this.parts.push(Buffer.from(report.subarray(l.dataOffset, l.dataOffset + length)));
    this.size += length;
    if (this.size > MAX_CODE_BYTES) {
      this.malformed++;
      this.reset();
      return undefined;
    }
    if (more) return undefined;
    const code = Buffer.concat(this.parts)
      .toString("utf8")
      .replace(/[\r\n]+$/, "");
    this.reset();
    return code.length > 0 ? code : undefined;
  }

  reset(): void {
    this.parts = [];
    this.size = 0;
  }
}

/** Builds the reports a scanner sends for one code (used by the simulator and replay tests). */
export function hidPosReports(
  code: string,
  layout: HidPosLayout = DEFAULT_LAYOUT,
  symbology = "]Q1",
): Buffer[] {
  const data = Buffer.from(code, "utf8");
  const reports: Buffer[] = [];
  for (let offset = 0; offset < data.length || reports.length === 0; offset += layout.maxData) {
    const chunk = data.subarray(offset, offset + layout.maxData);
    const report = Buffer.alloc(layout.reportSize);
    report[0] = layout.reportId;
    report[1] = chunk.length;
    report.write(symbology.slice(0, 3), 2, "latin1");
    chunk.copy(report, layout.dataOffset);
    if (offset + layout.maxData < data.length) report[layout.reportSize - 1] = 0x01;
    reports.push(report);
  }
  return reports;
}
