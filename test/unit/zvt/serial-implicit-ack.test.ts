/**
 * Issue 12 defect 3: on serial, the ACK byte is often missing or late (Ingenico: "acknowledge often
 * empty", wirelane/ecrterm); the terminal's next frame (80 00 …) arrives instead. That frame proves our
 * frame arrived: it is an implicit ACK, and the command must never be sent again. Bytes are fed the way a
 * serial port delivers them: in arbitrary chunks, one byte at a time, or several frames in one read.
 */
import { describe, expect, it } from "vitest";
import { ACK, encodeFrame } from "../../../devices/terminal/zvt/framing.ts";
import { SerialApduLink } from "../../../devices/terminal/zvt/link.ts";

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ""), "hex");
/** 06 01 for 12,34 PLN (research report §5.3) and its frame. */
const AUTH = h("06 01 0A 04 00 00 00 00 12 34 49 09 85");
const AUTH_FRAME = h("10 02 06 01 0A 04 00 00 00 00 12 34 49 09 85 10 03 C0 5D");
/** The terminal's positive answer as a recorded frame (mathiasfrey/ecrterm issue #2). */
const ACK_APDU_FRAME = h("10 02 80 00 00 10 03 F5 1F");
/** 04 FF 01 0A "insert card" (research report §5.3). */
const INSERT_CARD_FRAME = h("10 02 04 FF 01 0A 10 03 F5 7D");

function wire(t2Ms = 50) {
  const sent: Buffer[] = [];
  const got: string[] = [];
  const faults: string[] = [];
  const link = new SerialApduLink(async (b) => void sent.push(Buffer.from(b)), { t2Ms, t1Ms: 1000 });
  link.onApdu = (a) => got.push(a.toString("hex"));
  link.onFault = (f) => faults.push(f);
  return { link, sent, got, faults };
}

function chunks(bytes: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  for (const size of sizes) {
    if (i >= bytes.length) break;
    out.push(bytes.subarray(i, i + size));
    i += size;
  }
  if (i < bytes.length) out.push(bytes.subarray(i));
  return out;
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("serial link: a frame from the terminal while a send waits for the ACK byte", () => {
  it("encodes the command frame byte for byte", () => {
    expect(encodeFrame(AUTH)).toEqual(AUTH_FRAME);
  });

  it.each([
    ["in one read", [64]],
    ["one byte at a time", Array(16).fill(1)],
    ["split inside DLE ETX and the CRC", [3, 2, 2, 1, 1]],
  ])("takes 80 00 arriving %s as the ACK and never re-sends the command", async (_name, sizes) => {
    const w = wire();
    const done = w.link.send(AUTH);
    await tick();
    for (const piece of chunks(ACK_APDU_FRAME, sizes)) w.link.receive(piece);
    await done;
    await new Promise((r) => setTimeout(r, 120));
    // Exactly one command frame, then our ACK of the terminal's frame: nothing re-sent after T2.
    expect(w.sent).toEqual([AUTH_FRAME, Buffer.from([ACK])]);
    expect(w.got).toEqual(["800000"]);
    expect(w.faults).not.toContain("frame not acknowledged, repeating");
  });

  it("takes two frames in one read (80 00 then 04 FF) as the ACK, delivering both in order", async () => {
    const w = wire();
    const done = w.link.send(AUTH);
    await tick();
    w.link.receive(Buffer.concat([ACK_APDU_FRAME, INSERT_CARD_FRAME]));
    await done;
    await new Promise((r) => setTimeout(r, 120));
    expect(w.sent).toEqual([AUTH_FRAME, Buffer.from([ACK]), Buffer.from([ACK])]);
    expect(w.got).toEqual(["800000", "04ff010a"]);
  });

  it("a late ACK byte after the implicit one is ignored, and the next send waits for its own ACK", async () => {
    const w = wire();
    const first = w.link.send(AUTH);
    await tick();
    w.link.receive(ACK_APDU_FRAME);
    await first;
    w.link.receive(Buffer.from([ACK]));
    const answer = w.link.send(h("80 00 00"));
    await tick();
    w.link.receive(Buffer.from([ACK]));
    await answer;
    expect(w.sent.filter((b) => b.length > 1)).toEqual([AUTH_FRAME, h("10 02 80 00 00 10 03 F5 1F")]);
  });

  it("a frame with a bad CRC is no acknowledgement: NAKed, and the command is repeated after T2", async () => {
    const w = wire(30);
    const done = w.link.send(AUTH);
    await tick();
    const bad = Buffer.from(ACK_APDU_FRAME);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    w.link.receive(bad);
    await new Promise((r) => setTimeout(r, 45));
    w.link.receive(Buffer.from([ACK]));
    await done;
    expect(w.sent.filter((b) => b.equals(AUTH_FRAME))).toHaveLength(2);
  });
});
