/**
 * An ESC/POS receipt printer simulator, over TCP (like a LAN printer on 9100) or over a pty (like a
 * serial printer). It prints into memory: text lines, QR payloads and cuts, and keeps the finished
 * receipts (what lies between cuts) for tests. It answers DLE EOT n at once (real-time, even while
 * the print queue is held), sends automatic status back on GS a and on every change, answers GS r in
 * stream order, and can be switched to paper near end, paper out, cover open, failure, offline
 * (silent) or slow. Like a real printer, a job interrupted by a fault resumes when the fault clears
 * unless the host cleared the buffers with DLE ENQ 2 — which is how a double print would show up.
 */
import fs from "node:fs";
import { EventEmitter } from "node:events";
import net from "node:net";
import { SerialPort } from "serialport";
import { EscPosParser, type PaperItem } from "./escpos-parser.ts";

export interface SimCondition {
  paper: "ok" | "near_end" | "out";
  coverOpen: boolean;
  /** Mechanical/cutter failure. */
  failure: boolean;
  /** Powered off or unresponsive: drops everything it receives and answers nothing. */
  offline: boolean;
}

export interface SimReceipt {
  items: PaperItem[];
  /** Text lines, with `[QR] payload` and `[IMAGE]` for the codes and pictures, as the golden tests read it. */
  lines: string[];
  qr: string[];
}

interface Link {
  write(data: Buffer): void;
  destroy(): void;
}

interface Chunk {
  link: Link;
  data: Buffer;
}

export interface EscPosPrinterSimOptions {
  /** Milliseconds spent on each printed line; 0 prints at once. */
  slowMsPerLine?: number;
  /** `false`: a printer without automatic status back (GS a is ignored; only DLE EOT answers). */
  statusBack?: boolean;
  /**
   * `false`: a printer that ignores GS r 1 (paper sensor status), as simple printers and stand-ins
   * built on DLE EOT and GS a alone do; it never confirms that a job was processed.
   */
  confirmsJobs?: boolean;
}

function itemLine(item: PaperItem): string {
  if (item.kind === "text") return item.text;
  if (item.kind === "qr") return `[QR] ${item.data}`;
  return "[IMAGE]";
}

export class EscPosPrinterSim extends EventEmitter {
  readonly receipts: SimReceipt[] = [];
  /** Pages begun and never cut (reset or cleared mid-job). */
  readonly fragments: PaperItem[][] = [];
  readonly condition: SimCondition = { paper: "ok", coverOpen: false, failure: false, offline: false };
  /** Bytes received, for tests that want to look at the wire. */
  received = Buffer.alloc(0);
  statusQueries = 0;
  clearedJobs = 0;
  /** TCP connections accepted, for tests that wait for the host to reconnect. */
  connections = 0;
  private page: PaperItem[] = [];
  private queue: Chunk[] = [];
  private asbMask = 0;
  private slowMs: number;
  private readonly supportsStatusBack: boolean;
  private readonly answersPaperStatus: boolean;
  private pumping = false;
  private slowTimer: NodeJS.Timeout | undefined;
  private readonly links = new Set<Link>();
  private readonly parser: EscPosParser;
  private currentLink: Link | undefined;
  private server: net.Server | undefined;
  private port: SerialPort | undefined;
  private rtCarry: number[] = [];

  constructor(options: EscPosPrinterSimOptions = {}) {
    super();
    this.slowMs = options.slowMsPerLine ?? 0;
    this.supportsStatusBack = options.statusBack ?? true;
    this.answersPaperStatus = options.confirmsJobs ?? true;
    this.parser = new EscPosParser({
      item: (item) => {
        this.page.push(item);
        this.emit("item", item);
      },
      cut: () => {
        const items = this.page;
        this.page = [];
        const receipt: SimReceipt = {
          items,
          lines: items.map(itemLine),
          qr: items.flatMap((i) => (i.kind === "qr" ? [i.data] : [])),
        };
        this.receipts.push(receipt);
        this.emit("receipt", receipt);
      },
      statusBack: (mask) => {
        if (!this.supportsStatusBack) return;
        this.asbMask = mask;
        if (mask !== 0 && this.currentLink) this.currentLink.write(this.asbBytes());
      },
      paperStatusRequest: () => {
        if (!this.answersPaperStatus) return;
        this.currentLink?.write(Buffer.from([this.paperByte()]));
      },
      reset: () => {
        if (this.page.length > 0) this.fragments.push(this.page);
        this.page = [];
      },
    });
  }

  /** The TCP port it listens on, once `listenTcp` resolved. */
  get tcpPort(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === "object" ? address.port : undefined;
  }

  /** Lines printed on the current, not yet cut page. */
  get currentPage(): string[] {
    return this.page.map(itemLine);
  }

  get faulted(): boolean {
    const c = this.condition;
    return c.offline || c.coverOpen || c.failure || c.paper === "out";
  }

  /** Changes the printer's condition; sends automatic status back when enabled. */
  set(change: Partial<SimCondition>): void {
    const before = JSON.stringify(this.condition);
    const poweringOff = change.offline === true && !this.condition.offline;
    Object.assign(this.condition, change);
    if (JSON.stringify(this.condition) === before) return;
    if (poweringOff) {
      // Switched off: whatever it held is gone, and it forgets automatic status back.
      this.queue = [];
      if (this.page.length > 0) this.fragments.push(this.page);
      this.page = [];
      this.asbMask = 0;
      this.rtCarry = [];
    }
    if (this.asbMask !== 0 && !this.condition.offline) {
      const asb = this.asbBytes();
      for (const link of this.links) link.write(asb);
    }
    this.emit("condition", { ...this.condition });
    this.pump();
  }

  setSlow(msPerLine: number): void {
    this.slowMs = msPerLine;
  }

  /**
   * Drops every connection (a reset link or pulled cable). Bytes not yet taken from the connection
   * are lost with it; what the printer already took keeps printing, as on a real printer.
   */
  dropConnections(): void {
    const dropped = new Set(this.links);
    for (const link of dropped) link.destroy();
    this.links.clear();
    this.queue = this.queue.filter((chunk) => !dropped.has(chunk.link));
  }

  async listenTcp(port = 0, host = "127.0.0.1"): Promise<number> {
    const server = net.createServer((socket) => {
      socket.setNoDelay(true);
      const link: Link = {
        write: (data) => {
          if (!socket.destroyed) socket.write(data);
        },
        destroy: () => socket.destroy(),
      };
      this.links.add(link);
      this.connections++;
      socket.on("data", (data) => this.receive(link, data));
      socket.on("error", () => {});
      socket.on("close", () => this.links.delete(link));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("no TCP address");
    return address.port;
  }

  /** Opens the device end of a pty pair (the kiosk opens the other end as a serial line). */
  async attachPty(path: string): Promise<void> {
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    this.port = port;
    const link: Link = {
      write: (data) => {
        if (port.isOpen) port.write(data);
      },
      destroy: () => {
        if (port.isOpen) port.close(() => {});
      },
    };
    this.links.add(link);
    port.on("data", (data: Buffer) => this.receive(link, data));
    port.on("error", () => {});
    port.on("close", () => this.links.delete(link));
  }

  async close(): Promise<void> {
    if (this.slowTimer) clearTimeout(this.slowTimer);
    this.dropConnections();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private receive(link: Link, data: Buffer): void {
    if (this.condition.offline) return;
    this.received = Buffer.concat([this.received, data]);
    // Real-time commands are acted on as they arrive, ahead of the print queue. A chunk with no DLE
    // in it (most of a job) goes to the queue as it came, without a byte-by-byte copy.
    if (this.rtCarry.length === 0 && !data.includes(0x10)) {
      if (data.length > 0) this.queue.push({ link, data });
      this.pump();
      return;
    }
    const rest: number[] = [];
    // The answers to the real-time questions in this chunk, sent together in their order (the host
    // asks DLE EOT 1-4 in one write): one write, not one per byte, as the bytes are the same.
    const answers: number[] = [];
    for (const b of data) {
      const carry = this.rtCarry;
      if (carry.length === 0) {
        if (b === 0x10) carry.push(b);
        else rest.push(b);
      } else if (carry.length === 1) {
        if (b === 0x04 || b === 0x05) carry.push(b);
        else {
          rest.push(0x10, b);
          this.rtCarry = [];
        }
      } else {
        if (carry[1] === 0x04) {
          this.statusQueries++;
          answers.push(this.realtimeByte(b));
        } else {
          // What was answered so far leaves before anything a clear sets off.
          if (answers.length > 0) link.write(Buffer.from(answers.splice(0)));
          this.realtimeEnquiry(b);
        }
        this.rtCarry = [];
      }
    }
    if (answers.length > 0) link.write(Buffer.from(answers));
    if (rest.length > 0) this.queue.push({ link, data: Buffer.from(rest) });
    this.pump();
  }

  /** DLE ENQ n: n = 2 recovers and clears the receive and print buffers. */
  private realtimeEnquiry(n: number): void {
    if (n === 2) {
      if (this.queue.length > 0 || this.page.length > 0) this.clearedJobs++;
      this.queue = [];
      if (this.page.length > 0) this.fragments.push(this.page);
      this.page = [];
      this.emit("cleared");
    }
  }

  private pump(): void {
    if (this.pumping || this.slowTimer) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.faulted) {
        const chunk = this.queue[0]!;
        this.currentLink = chunk.link;
        if (this.slowMs > 0) {
          const lf = chunk.data.indexOf(0x0a);
          if (lf >= 0 && lf < chunk.data.length - 1) {
            this.parser.push(chunk.data.subarray(0, lf + 1));
            chunk.data = chunk.data.subarray(lf + 1);
          } else {
            this.parser.push(chunk.data);
            this.queue.shift();
          }
          if (lf >= 0) {
            this.slowTimer = setTimeout(() => {
              this.slowTimer = undefined;
              this.pump();
            }, this.slowMs);
            return;
          }
        } else {
          this.parser.push(chunk.data);
          this.queue.shift();
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private realtimeByte(n: number): number {
    const c = this.condition;
    const stopped = c.coverOpen || c.paper === "out" || c.failure;
    switch (n) {
      case 1:
        return 0x12 | (stopped ? 0x08 : 0);
      case 2:
        return 0x12 | (c.coverOpen ? 0x04 : 0) | (c.paper === "out" ? 0x20 : 0) | (c.failure ? 0x40 : 0);
      case 3:
        return 0x12 | (c.failure ? 0x08 : 0);
      case 4:
        return 0x12 | (c.paper === "near_end" ? 0x0c : 0) | (c.paper === "out" ? 0x6c : 0);
      default:
        return 0x12;
    }
  }

  private asbBytes(): Buffer {
    const c = this.condition;
    const stopped = c.coverOpen || c.paper === "out" || c.failure;
    return Buffer.from([
      0x10 | (stopped ? 0x08 : 0) | (c.coverOpen ? 0x20 : 0),
      c.failure ? 0x08 : 0,
      (c.paper === "near_end" ? 0x03 : 0) | (c.paper === "out" ? 0x0f : 0),
      0,
    ]);
  }

  private paperByte(): number {
    const c = this.condition;
    return (c.paper === "near_end" ? 0x03 : 0) | (c.paper === "out" ? 0x0f : 0);
  }
}

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** `oplatomat sim printer --tcp PORT | --pty PATH [--slow MS]`: prints each receipt to stdout. */
export async function runPrinterSimCli(argv: string[]): Promise<EscPosPrinterSim> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(
      "usage: oplatomat sim printer (--tcp PORT | --pty PATH) [--slow MS]\n" +
        "  An ESC/POS receipt printer: prints received receipts as text, answers DLE EOT and GS a.\n" +
        "  --pty PATH attaches to one end of an existing pty pair; the simulator does not create it.\n" +
        "  Make a pair first, e.g.: socat -d -d pty,raw,echo=0,link=/tmp/printer pty,raw,echo=0,link=/tmp/kiosk-printer\n" +
        "  then run --pty /tmp/printer and configure the kiosk's printer on /tmp/kiosk-printer.\n",
    );
    return new EscPosPrinterSim();
  }
  const slow = Number(argValue(argv, "--slow") ?? "0");
  const sim = new EscPosPrinterSim({ slowMsPerLine: Number.isFinite(slow) ? slow : 0 });
  const tcp = argValue(argv, "--tcp");
  const pty = argValue(argv, "--pty");
  if (tcp !== undefined) {
    const port = await sim.listenTcp(Number(tcp));
    process.stdout.write(`printer simulator listening on tcp://127.0.0.1:${port}\n`);
  } else if (pty !== undefined) {
    if (!fs.existsSync(pty))
      throw new Error(
        `sim printer: ${pty} does not exist; --pty needs an existing pty (make a pair with socat, see --help)`,
      );
    await sim.attachPty(pty);
    process.stdout.write(`printer simulator on ${pty}\n`);
  } else {
    throw new Error("sim printer: give --tcp PORT or --pty PATH");
  }
  sim.on("receipt", (r: SimReceipt) => {
    process.stdout.write(`${"=".repeat(20)} receipt ${sim.receipts.length}\n${r.lines.join("\n")}\n`);
  });
  return sim;
}
