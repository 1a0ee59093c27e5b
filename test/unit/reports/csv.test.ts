import { describe, expect, it } from "vitest";
import { CsvNumber, csvRow, csvStyle } from "../../../kiosk/domain/csv.ts";

describe("csvRow neutralises formula text (OWASP) and leaves numbers alone", () => {
  it("prefixes text starting with = + - @ tab or CR with a quote", () => {
    const row = csvRow(["=1+2", "+48", "-x", "@A1", "\tTAB", "\rCR", "KOM/1/2026"], ",");
    expect(row).toBe("'=1+2,'+48,'-x,'@A1,'\tTAB,\"'\rCR\",KOM/1/2026\r\n");
  });

  it("writes amounts the dialect formatted and plain numbers as they are, even when negative", () => {
    expect(csvRow([new CsvNumber("-1.00"), -3, "-1.00"], ",")).toBe("-1.00,-3,'-1.00\r\n");
    expect(csvRow([csvStyle("excel-pl").amount(-100)], ";")).toBe("-1,00\r\n");
  });
});
