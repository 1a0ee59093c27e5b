/**
 * HID-POS report reassembly, from recorded report bytes. Virtual HID (uhid) is not available on these
 * machines, so these replayed reports stand in for node-hid's `data` events; the driver test below
 * feeds them through the driver itself via a backend that replaces node-hid (and says so).
 */
import { describe, expect, it } from "vitest";
import { HidPosReassembler, hidPosReports, selectHidPos } from "../../../devices/scanner/index.ts";

/** A short QR code as one 64-byte report: ID 2, length 9, `]Q1`, data, padding. */
function recordedShort(): Buffer {
  const r = Buffer.alloc(64);
  Buffer.from([0x02, 0x09, 0x5d, 0x51, 0x31]).copy(r, 0);
  Buffer.from("OPL1|PZ14", "latin1").copy(r, 5);
  return r;
}

const slip =
  "OPL1|PZ1465|S/2026/000123|KOM/123/2026|202611251030|20261209|16000|DR:5400;TAB:8000;NAL:1250;PC:1350|pik2026|" +
  "Xy0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_0123456789abcdefghijklmnopqrstuv";

describe("HID-POS reports", () => {
  it("reads a code carried by one report", () => {
    expect(new HidPosReassembler().push(recordedShort())).toBe("OPL1|PZ14");
  });

  it("joins a long code split across reports and only then delivers it", () => {
    const reports = hidPosReports(slip);
    expect(reports.length).toBeGreaterThan(3);
    const r = new HidPosReassembler();
    const results = reports.map((report) => r.push(report));
    expect(results.slice(0, -1).every((x) => x === undefined)).toBe(true);
    expect(results.at(-1)).toBe(slip);
  });

  it("keeps Polish letters split in the middle of a character across reports", () => {
    const code = `${"x".repeat(55)}ł${"ż".repeat(30)}`;
    const r = new HidPosReassembler();
    let out: string | undefined;
    for (const report of hidPosReports(code)) out = r.push(report);
    expect(out).toBe(code);
  });

  it("reads two codes in a row and ignores reports of another report ID", () => {
    const r = new HidPosReassembler();
    const other = Buffer.alloc(64, 0);
    other[0] = 0x04;
    expect(r.push(other)).toBeUndefined();
    expect(r.malformed).toBe(1);
    const out = [...hidPosReports("A1"), ...hidPosReports("B2")].map((x) => r.push(x)).filter(Boolean);
    expect(out).toEqual(["A1", "B2"]);
  });

  it("drops a report whose length byte lies", () => {
    const bad = recordedShort();
    bad[1] = 200;
    const r = new HidPosReassembler();
    expect(r.push(bad)).toBeUndefined();
    expect(r.push(recordedShort())).toBe("OPL1|PZ14");
  });

  it("finds the reader by vendor, product and serial, preferring its HID-POS interface", () => {
    const devices = [
      { path: "/dev/hidraw0", vendorId: 0x0c2e, productId: 0x0b61, serialNumber: "A", usagePage: 0x01 },
      { path: "/dev/hidraw1", vendorId: 0x0c2e, productId: 0x0b61, serialNumber: "A", usagePage: 0x8c },
      { path: "/dev/hidraw2", vendorId: 0x0c2e, productId: 0x0b61, serialNumber: "B", usagePage: 0x8c },
    ];
    expect(selectHidPos(devices, { vendorId: 0x0c2e, productId: 0x0b61, serialNumber: "B" })?.path).toBe(
      "/dev/hidraw2",
    );
    expect(selectHidPos(devices, { vendorId: 0x0c2e, productId: 0x0b61, serialNumber: "A" })?.path).toBe(
      "/dev/hidraw1",
    );
    expect(selectHidPos(devices, { vendorId: 0x0c2e, productId: 0x0b62 })).toBeUndefined();
  });
});
