/**
 * A serial line paced like a UART: two socat pty pairs joined by a relay process that lets each byte
 * through only after the time the wire needs for it (11 bits a byte at 9600 baud for ZVT's 8N2). The
 * driver opens `pathA` and the simulator `pathB` exactly as with a bare `PtyPair`, but every byte now
 * costs its wire time, so a measured exchange includes the line and every wait the driver adds.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPtyPair, type PtyPair } from "./pty-pair.ts";

export interface PacedLineOptions {
  baudRate: number;
  /** Start + data + parity + stop bits of one byte: 11 for 8N2 (ZVT), 10 for 8N1. */
  bitsPerByte: number;
}

export interface PacedLine {
  /** The kiosk side (the driver opens this one). */
  pathA: string;
  /** The device side (the simulator opens this one). */
  pathB: string;
  /** How long one byte takes on this line, in milliseconds. */
  byteMs: number;
  close(): Promise<void>;
}

const COMPILED = import.meta.url.endsWith(".js");

function startRelay(a: string, b: string, byteMicros: number): Promise<ChildProcess> {
  const entry = new URL(COMPILED ? "./paced-relay.js" : "./paced-relay.ts", import.meta.url);
  const loader = COMPILED ? [] : ["--import", "tsx"];
  const child = spawn(process.execPath, [...loader, entry.pathname, a, b, String(byteMicros)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("READY")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`paced relay exited with ${code}: ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export async function createPacedLine(options: PacedLineOptions): Promise<PacedLine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oplatomat-paced-"));
  const pairs: PtyPair[] = [];
  try {
    pairs.push(await createPtyPair({ dir, nameA: "kiosk", nameB: "relay-a" }));
    pairs.push(await createPtyPair({ dir, nameA: "relay-b", nameB: "device" }));
    const [kioskSide, deviceSide] = pairs as [PtyPair, PtyPair];
    const byteMs = (options.bitsPerByte * 1000) / options.baudRate;
    const relay = await startRelay(kioskSide.pathB, deviceSide.pathA, Math.round(byteMs * 1000));
    return {
      pathA: kioskSide.pathA,
      pathB: deviceSide.pathB,
      byteMs,
      async close() {
        await stop(relay);
        for (const pair of pairs) await pair.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const pair of pairs) await pair.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
