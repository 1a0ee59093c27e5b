/**
 * The serial link's timers and retries, driven byte by byte. The "wire" is an in-memory function here
 * because T1/T2 behaviour needs exact control over what arrives when; the real serialport path is
 * covered by the integration tests over socat ptys.
 */
import { describe, expect, it } from "vitest";
import { ACK, encodeFrame, NAK } from "../../../devices/terminal/zvt/framing.ts";
import { SerialApduLink, TransmissionError } from "../../../devices/terminal/zvt/link.ts";

const apdu = Buffer.from([0x06, 0x01, 0x03, 0x10, 0x03, 0x10]);

describe("serial link", () => {
  it("repeats a frame on NAK and succeeds on the ACK that follows", async () => {
    const sent: Buffer[] = [];
    const link = new SerialApduLink(async (b) => void sent.push(b), { t2Ms: 1000 });
    const done = link.send(apdu);
    await new Promise((r) => setImmediate(r));
    link.receive(Buffer.from([NAK]));
    await new Promise((r) => setImmediate(r));
    link.receive(Buffer.from([ACK]));
    await done;
    expect(sent).toEqual([encodeFrame(apdu), encodeFrame(apdu)]);
  });

  it("gives up after two repeats without ACK (T2) with a transmission error", async () => {
    const sent: Buffer[] = [];
    const faults: string[] = [];
    const link = new SerialApduLink(async (b) => void sent.push(b), { t2Ms: 20 });
    link.onFault = (f) => faults.push(f);
    await expect(link.send(apdu)).rejects.toBeInstanceOf(TransmissionError);
    expect(sent).toHaveLength(3);
    expect(faults.at(-1)).toBe("frame not acknowledged");
  });

  it("answers a good frame with ACK before handing the APDU on, and a bad CRC with NAK", () => {
    const sent: Buffer[] = [];
    const got: Buffer[] = [];
    const link = new SerialApduLink(async (b) => void sent.push(b));
    link.onApdu = (a) => {
      got.push(a);
      expect(sent.at(-1)).toEqual(Buffer.from([ACK]));
    };
    link.receive(encodeFrame(apdu));
    const bad = Buffer.from(encodeFrame(apdu));
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    link.receive(bad);
    expect(got).toEqual([apdu]);
    expect(sent).toEqual([Buffer.from([ACK]), Buffer.from([NAK])]);
  });

  it("NAKs a frame whose bytes stop arriving for longer than T1, and reads the repeat", async () => {
    const sent: Buffer[] = [];
    const got: Buffer[] = [];
    const link = new SerialApduLink(async (b) => void sent.push(b), { t1Ms: 20 });
    link.onApdu = (a) => got.push(a);
    const frame = encodeFrame(apdu);
    link.receive(frame.subarray(0, 5));
    await new Promise((r) => setTimeout(r, 60));
    expect(sent).toEqual([Buffer.from([NAK])]);
    link.receive(frame);
    expect(got).toEqual([apdu]);
  });
});
