import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { encodeText, keepStatusBack, nativeQr } from "../../../devices/printer/render.ts";

describe("ESC/POS rendering", () => {
  it("selects code page 852 and encodes every Polish letter in it", () => {
    const polish = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ";
    const out = Buffer.from(encodeText(polish, "cp852"), "binary");
    expect([...out.subarray(0, 3)]).toEqual([0x1b, 0x74, 18]);
    expect(iconv.decode(out.subarray(3), "cp852")).toBe(polish);
  });

  it("selects Windows-1250 (ESC t 45) when configured", () => {
    const out = Buffer.from(encodeText("Łódź – 5 zł", "cp1250"), "binary");
    expect([...out.subarray(0, 3)]).toEqual([0x1b, 0x74, 45]);
    expect(iconv.decode(out.subarray(3), "cp1250")).toBe("Łódź – 5 zł");
  });

  it("switches to Windows-1251 for Ukrainian and back for Polish", () => {
    const out = Buffer.from(encodeText("Київ Łódź", "cp852"), "binary");
    const pages = [...out.entries()]
      .filter(([i, b]) => b === 0x1b && out[i + 1] === 0x74)
      .map(([i]) => out[i + 2]);
    expect(pages).toEqual([46, 18]);
  });

  it("emits native QR commands carrying the payload bytes", () => {
    const data = "OPLR1|K01|P-1|PZ1465|-|16200|20261125103105|k|sig";
    const out = Buffer.from(nativeQr({ data, cell: 4, level: "m" }), "binary");
    expect(out.includes(Buffer.from(data))).toBe(true);
    expect(out.includes(Buffer.from([0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]))).toBe(true);
  });

  it("turns automatic status back on where receiptline's reset turns it off", () => {
    const job = Buffer.from([0x1b, 0x40, 0x1d, 0x61, 0x00, 0x41]);
    expect([...keepStatusBack(job, 0x0f)]).toEqual([0x1b, 0x40, 0x1d, 0x61, 0x0f, 0x41]);
  });
});
