/**
 * The printer simulator reads a TCP byte stream: what it prints and what it answers must not depend
 * on how the stream was cut into segments. It takes a job's bytes in bulk (a QR's data, a chunk with
 * no real-time command) and answers the real-time questions of one read in one write, so these
 * check that a receipt cut at every size reads back the same as the whole, and that DLE EOT
 * questions split anywhere, or sent with a job, get their answers in order.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { keepStatusBack, renderEscPos } from "../../../devices/printer/render.ts";
import { EscPosParser, type PaperItem } from "../../../devices/sim/escpos-parser.ts";
import { EscPosPrinterSim } from "../../../devices/sim/escpos-printer.ts";
import { receiptDocument } from "../../../kiosk/receipt/document.ts";
import { fixedReceipt } from "../../fixtures/receipt/model.ts";

const job = keepStatusBack(
  renderEscPos(receiptDocument(fixedReceipt, 48), { columns: 48, codePage: "cp1250" }),
  0x0f,
);

function read(chunks: Buffer[]): { items: PaperItem[]; cuts: number } {
  const items: PaperItem[] = [];
  let cuts = 0;
  const parser = new EscPosParser({
    item: (i) => items.push(i),
    cut: () => cuts++,
    statusBack: () => {},
    paperStatusRequest: () => {},
    reset: () => {},
  });
  for (const c of chunks) parser.push(c);
  return { items, cuts };
}

function cut(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

describe("printer simulator, the byte stream", () => {
  let sim: EscPosPrinterSim | undefined;
  let socket: net.Socket | undefined;

  afterEach(async () => {
    socket?.destroy();
    await sim?.close();
  });

  it("reads a receipt the same whole, byte by byte and in chunks of every size up to 64", () => {
    const whole = read([job]);
    expect(whole.cuts).toBe(1);
    expect(whole.items.some((i) => i.kind === "qr" && i.data === fixedReceipt.verificationCode)).toBe(true);
    expect(whole.items.some((i) => i.kind === "text" && i.text.includes("Łęczyc"))).toBe(true);
    for (let size = 1; size <= 64; size++) expect(read(cut(job, size))).toEqual(whole);
  });

  it("answers DLE EOT 1-4 in order, sent together, one byte at a time or inside a job", async () => {
    sim = new EscPosPrinterSim();
    const port = await sim.listenTcp(0);
    const s = net.connect(port, "127.0.0.1");
    socket = s;
    s.setNoDelay(true);
    await new Promise<void>((resolve) => s.once("connect", () => resolve()));
    const answers: number[] = [];
    s.on("data", (d: Buffer) => answers.push(...d));
    const until = async (n: number) => {
      while (answers.length < n) await new Promise((r) => setTimeout(r, 2));
    };
    const questions = Buffer.from([0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4]);
    s.write(questions);
    await until(4);
    for (const b of questions) {
      s.write(Buffer.from([b]));
      await new Promise((r) => setTimeout(r, 1));
    }
    await until(8);
    expect(answers).toEqual([0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12]);
    // With a job in the same write: the answers first (real-time, ahead of the queue), then the
    // automatic status back the job's GS a switches on, then the answer to its closing GS r 1.
    sim.set({ paper: "near_end" });
    const printed = new Promise((resolve) => sim?.once("receipt", resolve));
    s.write(Buffer.concat([questions, job]));
    await printed;
    await until(17);
    expect(answers.slice(8)).toEqual([0x12, 0x12, 0x12, 0x1e, 0x10, 0x00, 0x03, 0x00, 0x03]);
    expect(sim.receipts[0]?.qr).toEqual([fixedReceipt.verificationCode]);
  });
});
