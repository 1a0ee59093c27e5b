/**
 * The commands a terminal asks for (06 93 Initialisation, 06 70 Diagnosis), byte for byte against other
 * implementations, and what each terminal status or registration status byte asks for. Expected bytes
 * come from:
 * - wirelane/ecrterm (LGPL-3.0) `ecrterm/packets/base_packets.py`: `Initialisation(CommandWithPassword)`,
 *   06 93 followed by the 3-byte BCD password; `Diagnosis`, 06 70 with no fields;
 * - EVerest/zvt (MIT OR Apache-2.0) `zvt/src/packets.rs`: `Initialization { password: Fixed<3> BCD }` at
 *   06 93, `Diagnosis { tlv: Option }` at 06 70; `zvt/src/sequences.rs`: 06 93 streams 04 FF, 06 D1/06 D3
 *   and ends with 06 0F or 06 1E; recorded blobs `zvt/data/1680761818.641601000_pt_ecr.blob` (registration
 *   completion with status byte 10), `1680728165.827009000_pt_ecr.blob` (06 0F 00),
 *   `1680728162.647465000_pt_ecr.blob` (04 FF 01 17);
 * - Portalum/Portalum.Zvt (MIT) `src/Portalum.Zvt/ZvtClient.cs` `DiagnosisAsync`: 06 70 with an empty package;
 * - mpaland/decom `test/test_prot_zvt.h` (no licence file seen; bytes used as a fact only): the serial
 *   frame of 06 93 with password 123456, `10 02 06 93 03 12 34 56 10 03 CA A4`.
 * No code of theirs is copied; only the bytes are compared.
 */
import { describe, expect, it } from "vitest";
import { decodeApdu } from "../../../devices/terminal/zvt/apdu.ts";
import * as cmd from "../../../devices/terminal/zvt/commands.ts";
import { encodeFrame } from "../../../devices/terminal/zvt/framing.ts";
import {
  parseCompletion,
  parseIntermediateStatus,
  parsePtAbort,
} from "../../../devices/terminal/zvt/messages.ts";
import {
  CareAttempts,
  careCommand,
  needOfStatusByte,
  needOfTerminalStatus,
} from "../../../devices/terminal/zvt/self-care.ts";

const h = (s: string): Buffer => Buffer.from(s.replace(/[\s-]+/g, ""), "hex");

describe("06 93 Initialisation and 06 70 Diagnosis, byte for byte", () => {
  it("06 93 is the password alone, 3 bytes BCD (ecrterm Initialisation, EVerest Initialization)", () => {
    expect(cmd.initialisation({ password: "123456" })).toEqual(h("06 93 03 12 34 56"));
    expect(cmd.initialisation({ password: "000000" })).toEqual(h("06 93 03 00 00 00"));
  });

  it("06 93 framed for the serial line as decom's recorded frame (CRC-16/KERMIT CA A4)", () => {
    expect(encodeFrame(cmd.initialisation({ password: "123456" }))).toEqual(
      h("10 02 06 93 03 12 34 56 10 03 CA A4"),
    );
  });

  it("06 70 without data (Portalum DiagnosisAsync, ecrterm Diagnosis)", () => {
    expect(cmd.diagnosis()).toEqual(h("06 70 00"));
    expect(careCommand("diagnosis", "000000").bytes).toEqual(h("06 70 00"));
    expect(careCommand("initialisation", "123456").bytes).toEqual(h("06 93 03 12 34 56"));
  });

  it("reads the terminal's messages of the sequence as they come (EVerest blobs, PA00P015 §2.18)", () => {
    const status = decodeApdu(h("04 FF 01 17"));
    expect(parseIntermediateStatus(status.data).code).toBe(0x17);
    expect(decodeApdu(h("06 0F 00")).data).toHaveLength(0);
    expect(parsePtAbort(decodeApdu(h("06 1E 01 9B")).data).resultCode).toBe(0x9b);
  });
});

describe("what the terminal asks for", () => {
  it("terminal status after 05 01 (PA00P015 §11): 51 → initialisation, C2 and 62 → diagnosis, F0/B1 → end-of-day", () => {
    expect(needOfTerminalStatus(0x51)).toMatchObject({ action: "initialisation", code: 0x51 });
    expect(needOfTerminalStatus(0xc2)).toMatchObject({ action: "diagnosis", code: 0xc2 });
    // 06 91's layout is confirmed by no implementation we read: a diagnosis sets the date from the host.
    expect(needOfTerminalStatus(0x62)).toMatchObject({ action: "diagnosis", code: 0x62 });
    expect(needOfTerminalStatus(0xf0)).toMatchObject({ action: "end_of_day", code: 0xf0 });
    expect(needOfTerminalStatus(0xb1)).toMatchObject({ action: "end_of_day", code: 0xb1 });
    expect(needOfTerminalStatus(0x51)?.reason).toBe("terminal status 51 (initialisation required)");
  });

  it("ready clears; busy or card-inserted says nothing about it", () => {
    expect(needOfTerminalStatus(0x00)).toBeNull();
    expect(needOfTerminalStatus(0x9c)).toBeUndefined();
    expect(needOfTerminalStatus(0xdc)).toBeUndefined();
    expect(needOfTerminalStatus(undefined)).toBeUndefined();
  });

  it("registration status byte: 01 initialisation, 02 diagnosis; a vending terminal's 10 asks nothing (EVerest blob)", () => {
    const completion = parseCompletion(decodeApdu(h("06 0F 0A 19 10 29 52 52 35 35 49 09 78")).data);
    expect(completion.statusByte).toBe(0x10);
    expect(needOfStatusByte(completion.statusByte)).toBeUndefined();
    expect(needOfStatusByte(0x11)).toMatchObject({ action: "initialisation", code: 0x11 });
    expect(needOfStatusByte(0x02)).toMatchObject({ action: "diagnosis" });
    expect(needOfStatusByte(0x03)).toMatchObject({ action: "initialisation" });
  });
});

describe("the driver's tries at one need", () => {
  it("at most N tries, each later one after a doubled back-off", () => {
    const tries = new CareAttempts(3, 1000);
    expect(tries.due(0)).toBe(true);
    tries.start(0);
    expect(tries.due(999)).toBe(false);
    expect(tries.due(1000)).toBe(true);
    tries.start(1000);
    expect(tries.due(2999)).toBe(false);
    expect(tries.due(3000)).toBe(true);
    tries.start(3000);
    expect(tries.exhausted).toBe(true);
    expect(tries.due(1_000_000)).toBe(false);
    tries.reset();
    expect(tries.due(0)).toBe(true);
  });
});
