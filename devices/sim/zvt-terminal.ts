/**
 * A ZVT payment terminal that speaks the same bytes as a real one, over TCP (raw APDUs) and over a
 * serial line (one end of a pty pair; DLE framing, CRC, ACK/NAK). It shares the kiosk's codec and
 * keeps a turnover store of what it really charged, so tests can compare it with the kiosk's database.
 * Scenarios are chosen per payment (`setNextOutcome`, `queueOutcomes`) or by a default rule: amounts
 * ending in 51 grosze are declined "insufficient funds", ending in 52 the customer aborts.
 */
import net from "node:net";
import { TypedEmitter } from "../device.ts";
import { type Apdu, controlField, decodeApdu, encodeApdu, isResponse } from "../terminal/zvt/apdu.ts";
import * as cmd from "../terminal/zvt/commands.ts";
import { type ApduLink, type SerialFaults, SerialApduLink, TcpApduLink } from "../terminal/zvt/link.ts";
import * as msg from "../terminal/zvt/messages.ts";
import { SerialTransport } from "../transport/serial.ts";
import type { DeviceLogger } from "../transport/transport.ts";
import { silentLogger } from "../transport/transport.ts";
import { type SimNeed, TERMINAL_PROFILES, type TerminalProfileName } from "./zvt/profiles.ts";
import { receiptApdus } from "./zvt/receipts.ts";
import { PAN_WITH_SEPARATOR, unknownFieldBytes } from "./zvt/status-extras.ts";
import { type SimTransaction, TurnoverStore } from "./zvt/turnover-store.ts";

export type SimOutcome =
  | { kind: "approve" }
  /** Host decline: result code (default 05) and the host's text in BMP 3C. */
  | { kind: "decline"; resultCode?: number; hostText?: string }
  /** The customer presses cancel (6C). */
  | { kind: "abort" }
  /** The card cannot be read (64). */
  | { kind: "unreadable" }
  /** A slow host: 04 FF "waiting for host" every `intervalMs`, `count` times, then approve. */
  | { kind: "slowHost"; intervalMs: number; count: number }
  /** After 80 00 the terminal says nothing more (until the kiosk aborts). */
  | { kind: "timeout" }
  /** The terminal does not even acknowledge the command. */
  | { kind: "noAnswer" }
  /** The terminal answers only after `delayMs` (past the kiosk's T3), then goes on to approve. */
  | { kind: "lateAnswer"; delayMs: number }
  /** The host is contacted (06 B0 now refused, 84 83) and stays silent for `ms`, then approves. */
  | { kind: "hostSilence"; ms: number }
  /** Approves, but the 04 0F reports another amount and/or currency than asked (a terminal or host fault). */
  | { kind: "approveOther"; amount?: number; currency?: number }
  /** Approves, but the 04 0F carries no result code (BMP 27). */
  | { kind: "noResultCode" }
  /** The connection drops after the first intermediate status; nothing is charged. */
  | { kind: "dropMidPayment" }
  /** Approve, with a long 06 D3 receipt (over 254 bytes) written in small pieces. */
  | { kind: "longReceipt"; lines?: number; chunkSize?: number }
  /** Approve, but the 04 0F ends with a truncated field no reading can parse (and carries the full test PAN). */
  | { kind: "garbledStatus" };

export type SimOutcomeName = SimOutcome["kind"];

type ApprovalVariant = "garbled" | Extract<SimOutcome, { kind: "approveOther" | "noResultCode" }>;

export interface ZvtSimulatorOptions {
  password?: string;
  terminalId?: string;
  /** Pause before each intermediate status (0 for benchmarks; default 0). */
  intermediateDelayMs?: number;
  /** Intermediate statuses of a payment (default: insert card, watch PIN pad, please wait). */
  intermediateScript?: number[];
  /** What happens to an approved payment whose 04 0F the kiosk never acknowledged (default `reverse`). */
  ackLostBehaviour?: "commit" | "reverse";
  /** How long the terminal waits for the kiosk's answer to each message (its T3; default 5000 ms). */
  answerTimeoutMs?: number;
  /** Report vending-machine mode in the registration (enables the 84 9C handshake; default false). */
  vendingMode?: boolean;
  /** Pause before repeating a 04 0F after 84 9C (spec: 2 s; default 2000 ms). */
  vendingRepeatMs?: number;
  /** Send receipts to the kiosk when it registered as the printer (default true). */
  printOnEcr?: boolean;
  /**
   * `auto`: 06 D3 text block when the kiosk permitted it, else 06 D1 lines; `lines`: always 06 D1;
   * `lines-tlv`: 06 D1 lines each ending with TLV 1F07 (receipt type).
   */
  printWith?: "auto" | "lines" | "lines-tlv";
  /** Receipt copies sent to the kiosk: the customer's alone (default) or the merchant's first, then it. */
  receiptCopies?: "customer" | "both";
  /** `own`: the registration echoes no charset, and each 06 D3 block names ISO 8859-2 in its own tag 14. */
  blockCharset?: "session" | "own";
  /** Status-Information of approvals carries fields a strict parser lacks (see `status-extras.ts`). */
  unknownFields?: boolean;
  /** Pause before each receipt APDU and before the completion (slow printing; default 0). */
  printDelayMs?: number;
  /** Serial: `implicit` leaves the ACK byte out when the terminal's own frame follows (default `always`). */
  serialAck?: "always" | "implicit";
  /** 06 B0 is accepted until the host is contacted (`host`, default) or only until the card is read (`card`). */
  abortableUntil?: "host" | "card";
  /** A documented real-terminal behaviour (`TERMINAL_PROFILES`); options given explicitly override it. */
  profile?: TerminalProfileName;
  /** Send the full test PAN 4111111111111111 in BMP 22 in the next approved payment, once. */
  sendFullPanOnce?: boolean;
  /**
   * `last`: 06 20 repeats the last status information; `none`: a bare completion; `abort`: 06 1E 83 with
   * no status information (PAX A80-like).
   */
  repeatReceipt?: "last" | "none" | "abort";
  /** Added to the end-of-day total, for reconciliation tests. */
  endOfDaySkew?: number;
  /** Terminal status code reported to 05 01 (default 00 ready). */
  terminalStatus?: number;
  /** The terminal starts out asking for this (profiles `needs-*`); see `startNeeding`. */
  startsNeeding?: SimNeed | "nothing";
  /** How many 06 93 end 06 1E 9B (host unreachable) before one works (default 0; Infinity: none ever does). */
  failingInitialisations?: number;
  log?: DeviceLogger;
  now?: () => Date;
}

export type SimulatorEvents = {
  /** A command arrived (control field, e.g. 0x0601). */
  command: [control: number];
  /** A transaction changed state in the turnover store. */
  transaction: [tx: SimTransaction];
  /** The kiosk did not answer a 04 0F. */
  ackLost: [tx: SimTransaction];
};

const FULL_TEST_PAN = "4111111111111111";
/** How terminals usually mask: first six and last four digits in clear. The driver keeps only the last four. */
const MASKED_TEST_PAN = "476173******0010";

interface Connection {
  id: number;
  link: ApduLink;
  kind: "tcp" | "serial";
  /** Raw write, for sending one APDU in several TCP segments. */
  writeRaw(data: Buffer): Promise<void>;
  drop(): void;
  /** Waiter for the kiosk's answer to what we just sent. */
  answerWaiter: ((apdu: Apdu | undefined) => void) | undefined;
  /** Commands queued or running on this connection. */
  active: number;
  abortRequested: boolean;
  /** The running payment may still be aborted by 06 B0 (before the host is contacted). */
  abortable: boolean;
  closed: boolean;
  registration: cmd.ParsedRegistration | undefined;
  queue: Promise<void>;
}

class ConnectionClosed extends Error {}

export class ZvtTerminalSimulator extends TypedEmitter<SimulatorEvents> {
  readonly options: Required<Omit<ZvtSimulatorOptions, "log" | "now" | "profile">>;
  /** The profile the simulator plays (`repeats-last-receipt` when none was chosen). */
  readonly profile: TerminalProfileName;
  readonly store = new TurnoverStore();
  private readonly log: DeviceLogger;
  private readonly now: () => Date;
  private readonly outcomes: SimOutcome[] = [];
  private readonly connections = new Set<Connection>();
  private server: net.Server | undefined;
  private serial: SerialTransport | undefined;
  private serialLink: SerialApduLink | undefined;
  private nextId = 1;
  private unpluggedPort: number | undefined;
  /** Every command control field received, in order (for tests). */
  readonly received: number[] = [];
  /** What the terminal asks for now (until the kiosk sends the matching command). */
  private needing: SimNeed | undefined;
  private initialisationsToFail: number;

  constructor(given: ZvtSimulatorOptions = {}) {
    super();
    this.profile = given.profile ?? "repeats-last-receipt";
    const options: ZvtSimulatorOptions = { ...TERMINAL_PROFILES[this.profile].options, ...defined(given) };
    this.options = {
      password: options.password ?? "000000",
      terminalId: options.terminalId ?? "52523535",
      intermediateDelayMs: options.intermediateDelayMs ?? 0,
      intermediateScript: options.intermediateScript ?? [0x0a, 0x01, 0x17],
      ackLostBehaviour: options.ackLostBehaviour ?? "reverse",
      answerTimeoutMs: options.answerTimeoutMs ?? 5000,
      vendingMode: options.vendingMode ?? false,
      vendingRepeatMs: options.vendingRepeatMs ?? 2000,
      printOnEcr: options.printOnEcr ?? true,
      printWith: options.printWith ?? "auto",
      sendFullPanOnce: options.sendFullPanOnce ?? false,
      repeatReceipt: options.repeatReceipt ?? "last",
      endOfDaySkew: options.endOfDaySkew ?? 0,
      terminalStatus: options.terminalStatus ?? 0,
      receiptCopies: options.receiptCopies ?? "customer",
      blockCharset: options.blockCharset ?? "session",
      unknownFields: options.unknownFields ?? false,
      printDelayMs: options.printDelayMs ?? 0,
      serialAck: options.serialAck ?? "always",
      abortableUntil: options.abortableUntil ?? "host",
      startsNeeding: options.startsNeeding ?? "nothing",
      failingInitialisations: options.failingInitialisations ?? 0,
    };
    this.needing = this.options.startsNeeding === "nothing" ? undefined : this.options.startsNeeding;
    this.initialisationsToFail = this.options.failingInitialisations;
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? (() => new Date());
  }

  // ───────────── control API ─────────────

  setNextOutcome(outcome: SimOutcome | SimOutcomeName): void {
    this.outcomes.unshift(typeof outcome === "string" ? toOutcome(outcome) : outcome);
  }

  queueOutcomes(...outcomes: Array<SimOutcome | SimOutcomeName>): void {
    for (const o of outcomes) this.outcomes.push(typeof o === "string" ? toOutcome(o) : o);
  }

  clearOutcomes(): void {
    this.outcomes.length = 0;
  }

  /** From now on the terminal asks for `need` (its 05 01 status, registration status byte, payments refused). */
  startNeeding(need: SimNeed): void {
    this.needing = need;
  }

  /** What the terminal asks for now, if anything. */
  get needs(): SimNeed | undefined {
    return this.needing;
  }

  /** The money really taken: charged transactions minus reversals, across all batches. */
  turnover(): SimTransaction[] {
    return this.store.charged();
  }

  /** Serial fault injection (NAK, bad CRC, missing ACK) on the pty side. */
  get serialFaults(): SerialFaults | undefined {
    return this.serialLink?.faults;
  }

  /** TCP: stops listening and drops every connection, as if the terminal were switched off. */
  async unplug(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.unpluggedPort = (server.address() as net.AddressInfo).port;
    this.server = undefined;
    this.dropConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** TCP: listens again on the port it had before `unplug()`. */
  async replug(): Promise<void> {
    if (this.unpluggedPort === undefined) return;
    await this.listenTcp(this.unpluggedPort);
    this.unpluggedPort = undefined;
  }

  /** Drops every TCP connection (like a pulled network cable at the terminal). */
  dropConnections(): void {
    for (const c of this.connections) if (c.kind === "tcp") c.drop();
  }

  /** Serves ZVT over TCP; resolves with the port (0 = ephemeral). */
  async listenTcp(port = 0, host = "127.0.0.1"): Promise<number> {
    const server = net.createServer((socket) => this.acceptSocket(socket));
    server.on("error", (error) => this.log.error({ err: error.message }, "zvt sim: server error"));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    return (server.address() as net.AddressInfo).port;
  }

  /** Serves ZVT on a serial device (e.g. the device end of a pty pair); reopens it after an unplug. */
  async attachSerial(path: string, baudRate = 9600): Promise<void> {
    const transport = new SerialTransport(
      { path, baudRate, stopBits: 2, initialDelayMs: 20, maxDelayMs: 200 },
      this.log,
    );
    this.serial = transport;
    const link = new SerialApduLink((data) => transport.write(data));
    link.faults.implicitAck = this.options.serialAck === "implicit";
    this.serialLink = link;
    let current: Connection | undefined;
    transport.on("open", () => {
      current = this.addConnection(
        "serial",
        link,
        (d) => transport.write(d),
        () => {
          transport.close().catch(() => {});
        },
      );
    });
    transport.on("close", () => {
      link.reset(new ConnectionClosed("serial line closed"));
      if (current) this.removeConnection(current);
      current = undefined;
    });
    transport.on("data", (chunk) => link.receive(chunk));
    await transport.open();
  }

  async stop(): Promise<void> {
    for (const c of [...this.connections]) c.drop();
    if (this.serial) await this.serial.close();
    this.serial = undefined;
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ───────────── connections ─────────────

  private acceptSocket(socket: net.Socket): void {
    socket.setNoDelay(true);
    socket.on("error", () => {});
    const write = (data: Buffer): Promise<void> =>
      new Promise((resolve, reject) => {
        if (socket.destroyed) {
          reject(new ConnectionClosed("socket closed"));
          return;
        }
        socket.write(data, (error) => (error ? reject(error) : resolve()));
      });
    const link = new TcpApduLink(write);
    const conn = this.addConnection("tcp", link, write, () => socket.destroy());
    socket.on("data", (chunk: Buffer) => link.receive(chunk));
    socket.on("close", () => this.removeConnection(conn));
  }

  private addConnection(
    kind: "tcp" | "serial",
    link: ApduLink,
    writeRaw: (d: Buffer) => Promise<void>,
    drop: () => void,
  ): Connection {
    const conn: Connection = {
      id: this.nextId++,
      link,
      kind,
      writeRaw,
      drop,
      answerWaiter: undefined,
      active: 0,
      abortRequested: false,
      abortable: false,
      closed: false,
      registration: undefined,
      queue: Promise.resolve(),
    };
    link.onApdu = (raw) => this.onApdu(conn, raw);
    link.onFault = (fault) => this.log.debug({ fault }, "zvt sim: link fault");
    this.connections.add(conn);
    return conn;
  }

  private removeConnection(conn: Connection): void {
    conn.closed = true;
    conn.answerWaiter?.(undefined);
    this.connections.delete(conn);
  }

  private onApdu(conn: Connection, raw: Buffer): void {
    let apdu: Apdu;
    try {
      apdu = decodeApdu(raw);
    } catch {
      return;
    }
    if (isResponse(apdu)) {
      conn.answerWaiter?.(apdu);
      return;
    }
    const control = controlField(apdu);
    this.received.push(control);
    if (this.received.length > 1000) this.received.splice(0, this.received.length - 1000);
    this.emit("command", control);
    if (conn.active > 0 && control === cmd.CMD.abort) {
      const accepted = conn.abortable;
      if (accepted) conn.abortRequested = true;
      this.reply(conn, accepted ? cmd.positiveAck() : cmd.negativeAck(0x83));
      return;
    }
    // Counted now, not when the queue gets to it: an abort may follow the command within one read.
    conn.active++;
    if (control === cmd.CMD.authorization) conn.abortable = true;
    // Commands wait for the running one: its last answer and the next command may share one read.
    conn.queue = conn.queue
      .then(() => this.dispatch(conn, apdu))
      .catch((error: unknown) => {
        if (!(error instanceof ConnectionClosed)) {
          this.log.warn(
            { err: error instanceof Error ? error.message : String(error) },
            "zvt sim: command failed",
          );
        }
      })
      .finally(() => {
        conn.active--;
        if (conn.active === 0) {
          conn.abortRequested = false;
          conn.abortable = false;
        }
      });
  }

  private reply(conn: Connection, bytes: Buffer): void {
    conn.link.send(bytes).catch(() => {});
  }

  /** Sends a message as master and waits for the kiosk's answer (undefined = none within T3). */
  private async exchange(conn: Connection, bytes: Buffer): Promise<Apdu | undefined> {
    if (conn.closed) throw new ConnectionClosed("connection closed");
    const answer = new Promise<Apdu | undefined>((resolve) => {
      const timer = setTimeout(() => {
        conn.answerWaiter = undefined;
        resolve(undefined);
      }, this.options.answerTimeoutMs);
      conn.answerWaiter = (apdu) => {
        clearTimeout(timer);
        conn.answerWaiter = undefined;
        resolve(apdu);
      };
    });
    try {
      await conn.link.send(bytes);
    } catch {
      conn.answerWaiter?.(undefined);
    }
    const apdu = await answer;
    if (!apdu && conn.closed) throw new ConnectionClosed("connection closed while waiting for the answer");
    return apdu;
  }

  private async send(conn: Connection, bytes: Buffer): Promise<void> {
    await this.exchange(conn, bytes);
  }

  private charsetFor(conn: Connection): msg.TerminalCharset {
    return conn.registration?.charset === 0x02 ? "iso-8859-2" : "cp437";
  }

  // ───────────── commands ─────────────

  private async dispatch(conn: Connection, apdu: Apdu): Promise<void> {
    switch (controlField(apdu)) {
      case cmd.CMD.registration:
        return this.registration(conn, apdu.data);
      case cmd.CMD.authorization:
        conn.abortable = true;
        try {
          return await this.authorization(conn, apdu.data);
        } finally {
          conn.abortable = false;
          conn.abortRequested = false;
        }
      case cmd.CMD.statusEnquiry: {
        await conn.link.send(cmd.positiveAck());
        const status = this.needing ? NEED_STATUS[this.needing] : this.options.terminalStatus;
        await this.send(conn, msg.statusEnquiryCompletion("OPLSIM-ZVT 1.0", status));
        return;
      }
      case cmd.CMD.initialisation:
        return this.initialisation(conn, apdu.data);
      case cmd.CMD.repeatReceipt:
        return this.repeatReceipt(conn, apdu.data);
      case cmd.CMD.reversal:
        return this.reversal(conn, apdu.data);
      case cmd.CMD.endOfDay:
        return this.endOfDay(conn, apdu.data);
      case cmd.CMD.diagnosis:
        await conn.link.send(cmd.positiveAck());
        await this.send(conn, msg.intermediateStatus(0x0e));
        if (this.needing === "diagnosis") this.needing = undefined;
        await this.send(conn, msg.completion());
        return;
      case cmd.CMD.abort:
      case cmd.CMD.logOff:
        await conn.link.send(cmd.positiveAck());
        return;
      default:
        await conn.link.send(cmd.negativeAck(0x83));
    }
  }

  private passwordOk(password: string | undefined): boolean {
    return password === this.options.password;
  }

  /** A command that starts with the password (06 20, 06 50, 06 93): 84 83 when wrong, else 80 00 00 (true). */
  private async acceptWithPassword(conn: Connection, data: Buffer): Promise<boolean> {
    const { password } = cmd.parsePasswordCommand(data);
    if (!this.passwordOk(password)) {
      await conn.link.send(cmd.negativeAck(0x83));
      return false;
    }
    await conn.link.send(cmd.positiveAck());
    return true;
  }

  private async registration(conn: Connection, data: Buffer): Promise<void> {
    let reg: cmd.ParsedRegistration;
    try {
      reg = cmd.parseRegistration(data);
    } catch {
      await conn.link.send(cmd.negativeAck(0x9a));
      return;
    }
    if (!this.passwordOk(reg.password)) {
      await conn.link.send(cmd.negativeAck(0x83));
      return;
    }
    await conn.link.send(cmd.positiveAck());
    if (reg.currency !== undefined && reg.currency !== cmd.PLN && reg.currency !== 978) {
      await this.send(conn, msg.ptAbort(0x6f));
      return;
    }
    conn.registration = reg;
    // Profile text-block-charset: the terminal keeps CP437 for the session, its blocks name their own.
    const tlv =
      reg.charset === 0x02 && this.options.blockCharset !== "own"
        ? [{ tag: 0x27, value: Buffer.alloc(0), children: [{ tag: 0x14, value: Buffer.from([0x02]) }] }]
        : [];
    await this.send(
      conn,
      msg.completion({
        // Status byte: 10 vending mode; 01 initialisation, 02 diagnosis necessary (PA00P015 §2.1).
        statusByte:
          (this.options.vendingMode ? 0x10 : 0x00) |
          (this.needing === "initialisation" ? 0x01 : this.needing === "diagnosis" ? 0x02 : 0x00),
        terminalId: this.options.terminalId,
        currency: reg.currency ?? cmd.PLN,
        tlv,
      }),
    );
  }

  private nextOutcome(amount: number): SimOutcome {
    const queued = this.outcomes.shift();
    if (queued) return queued;
    if (amount % 100 === 51)
      return { kind: "decline", resultCode: 0x51, hostText: "BRAK SRODKOW / INSUFFICIENT FUNDS" };
    if (amount % 100 === 52) return { kind: "abort" };
    return { kind: "approve" };
  }

  /** A terminal that asks for something refuses payments with its own answer until it is done. */
  private refusal(): SimOutcome | undefined {
    if (this.needing === "initialisation")
      return { kind: "decline", resultCode: 0xdf, hostText: "Terminal ist blockiert" };
    if (this.needing === "diagnosis")
      return { kind: "decline", resultCode: 0xc2, hostText: "Diagnose erforderlich" };
    if (this.needing === "end_of_day")
      return { kind: "decline", resultCode: 0x6a, hostText: "Kassenschnitt erforderlich" };
    return undefined;
  }

  /** 06 93: 04 FF "please wait", the result as print lines (when the kiosk prints), 06 0F or 06 1E 9B. */
  private async initialisation(conn: Connection, data: Buffer): Promise<void> {
    if (!(await this.acceptWithPassword(conn, data))) return;
    await this.send(conn, msg.intermediateStatus(0x17));
    const fails = this.initialisationsToFail > 0;
    if (fails) this.initialisationsToFail -= 1;
    const reg = conn.registration;
    if (reg && (reg.configByte & 0x84) === 0x84 && this.options.printOnEcr) {
      const lines = ["NETZINITIALISIERUNG", fails ? "FEHLGESCHLAGEN" : "ERFOLGREICH"];
      for (const [i, line] of lines.entries()) {
        await this.send(
          conn,
          msg.printLine(i === lines.length - 1 ? 0x81 : 0x00, line, this.charsetFor(conn)),
        );
      }
    }
    if (fails) {
      await this.send(conn, msg.ptAbort(0x9b));
      return;
    }
    if (this.needing === "initialisation") this.needing = undefined;
    await this.send(conn, msg.completion());
  }

  private async pause(ms: number): Promise<void> {
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }

  private async authorization(conn: Connection, data: Buffer): Promise<void> {
    let request: cmd.ParsedAuthorization;
    try {
      request = cmd.parseAuthorization(data);
    } catch {
      await conn.link.send(cmd.negativeAck(0x9a));
      return;
    }
    const outcome = this.refusal() ?? this.nextOutcome(request.amount);
    if (outcome.kind === "noAnswer") return;
    if (outcome.kind === "lateAnswer") await this.pause(outcome.delayMs);
    if (request.currency !== undefined && request.currency !== cmd.PLN && request.currency !== 978) {
      await conn.link.send(cmd.positiveAck());
      await this.send(conn, msg.ptAbort(0x6f));
      return;
    }
    await conn.link.send(cmd.positiveAck());
    if (outcome.kind === "timeout") {
      // Silent until the kiosk gives up and sends 06 B0.
      while (!conn.abortRequested && !conn.closed) await this.pause(10);
      if (conn.closed) return;
      return this.customerAbort(conn, request.amount);
    }
    const script = this.options.intermediateScript;
    for (let i = 0; i < script.length; i++) {
      await this.pause(this.options.intermediateDelayMs);
      if (conn.abortRequested) return this.customerAbort(conn, request.amount);
      await this.send(conn, msg.intermediateStatus(script[i]!));
      // The card is read after the first status: a terminal of profile late-abort refuses 06 B0 from now.
      if (this.options.abortableUntil === "card") conn.abortable = false;
      if (outcome.kind === "dropMidPayment") {
        conn.drop();
        return;
      }
    }
    if (conn.abortRequested) return this.customerAbort(conn, request.amount);
    switch (outcome.kind) {
      case "abort":
        return this.customerAbort(conn, request.amount);
      case "unreadable": {
        await this.send(conn, msg.intermediateStatus(0x0c));
        const tx = this.record(request.amount, "declined", 0x64);
        await this.send(conn, msg.statusInformation(this.statusFields(tx), this.charsetFor(conn)));
        await this.send(conn, msg.ptAbort(0x64));
        return;
      }
      case "decline": {
        const code = outcome.resultCode ?? 0x05;
        conn.abortable = false;
        await this.send(conn, msg.intermediateStatus(0x04));
        const tx = this.record(request.amount, "declined", code);
        const fields = {
          ...this.statusFields(tx),
          additionalText: outcome.hostText ?? "ODMOWA / DECLINED",
        };
        await this.send(conn, msg.statusInformation(fields, this.charsetFor(conn)));
        await this.send(conn, msg.ptAbort(code));
        return;
      }
      case "slowHost":
        conn.abortable = false;
        for (let i = 0; i < outcome.count; i++) {
          await this.pause(outcome.intervalMs);
          await this.send(conn, msg.intermediateStatus(0x04));
        }
        return this.approve(conn, request);
      case "longReceipt":
        return this.approve(conn, request, outcome);
      case "garbledStatus":
        return this.approve(conn, request, undefined, "garbled");
      case "approveOther":
      case "noResultCode":
        return this.approve(conn, request, undefined, outcome);
      case "hostSilence":
        conn.abortable = false;
        await this.send(conn, msg.intermediateStatus(0x04));
        await this.pause(outcome.ms);
        return this.approve(conn, request);
      default:
        return this.approve(conn, request);
    }
  }

  private record(amount: number, state: SimTransaction["state"], resultCode: number): SimTransaction {
    const tx = this.store.add({ amount, at: this.now(), state, resultCode });
    this.emit("transaction", { ...tx });
    return tx;
  }

  private statusFields(tx: SimTransaction): msg.StatusInformationFields {
    const fields: msg.StatusInformationFields = {
      resultCode: tx.resultCode,
      amount: tx.amount,
      currency: cmd.PLN,
      traceNumber: tx.traceNumber,
      at: tx.at,
      terminalId: this.options.terminalId,
      receiptNumber: tx.receiptNumber,
    };
    if (tx.originalTrace !== undefined) {
      // A reversal's status information: no card data, BMP 37 names the payment reversed.
      fields.originalTrace = tx.originalTrace;
      return fields;
    }
    if (tx.resultCode === 0) {
      Object.assign(fields, {
        pan: MASKED_TEST_PAN,
        expiry: "2812",
        authCode: String(100000 + tx.traceNumber).slice(-6),
        turnoverNumber: tx.traceNumber,
        paymentType: 0x60,
        cardType: 0x0a,
        cardName: "VISA",
        vuNumber: "OPLSIM000000001",
      });
    }
    return fields;
  }

  private async customerAbort(conn: Connection, amount: number): Promise<void> {
    this.record(amount, "aborted", 0x6c);
    await this.send(conn, msg.statusInformation({ resultCode: 0x6c, terminalId: this.options.terminalId }));
    await this.send(conn, msg.ptAbort(0x6c));
  }

  private async approve(
    conn: Connection,
    request: cmd.ParsedAuthorization,
    long?: { lines?: number; chunkSize?: number },
    variant?: ApprovalVariant,
  ): Promise<void> {
    conn.abortable = false;
    await this.send(conn, msg.intermediateStatus(0x04));
    // Until acknowledged, the terminal holds the transaction: not yet in its turnover.
    const tx = this.record(request.amount, "pending", 0x00);
    const answer = await this.offerStatusInformation(
      conn,
      request,
      tx,
      this.approvalBytes(conn, tx, variant),
    );
    if (!answer) return;
    const positive = answer.cls === 0x80 || answer.instr === 0x00;
    if (!positive) {
      // Goods not issued: the terminal reverses by itself.
      this.setState(tx, "auto_reversed");
      await this.send(conn, msg.intermediateStatus(0x05));
      await this.send(conn, msg.ptAbort(0x6c));
      return;
    }
    tx.acknowledged = true;
    this.setState(tx, "charged");
    await this.printReceipts(conn, tx, long);
    await this.pause(this.options.printDelayMs);
    await this.send(conn, msg.completion());
  }

  /** The 04 0F of an approval, with the profile's extra fields or the scenario's garbage. */
  private approvalBytes(conn: Connection, tx: SimTransaction, variant?: ApprovalVariant): Buffer {
    const garbled = variant === "garbled";
    const fields = this.statusFields(tx);
    if (typeof variant === "object" && variant.kind === "approveOther") {
      if (variant.amount !== undefined) fields.amount = variant.amount;
      if (variant.currency !== undefined) fields.currency = variant.currency;
    }
    if (this.options.sendFullPanOnce) {
      this.options.sendFullPanOnce = false;
      fields.pan = FULL_TEST_PAN;
    }
    if (garbled) fields.pan = FULL_TEST_PAN;
    else if (this.options.unknownFields) fields.pan = PAN_WITH_SEPARATOR;
    let data = msg.statusInformationData(fields, this.charsetFor(conn));
    if (this.options.unknownFields) data = Buffer.concat([data, unknownFieldBytes()]);
    // BMP 3C announces 999 bytes of text and brings one: no reading of the message parses to its end.
    if (garbled) data = Buffer.concat([data, Buffer.from([0x3c, 0xf9, 0xf9, 0xf9, 0x41])]);
    // statusInformationData starts with 27 <code>: leaving out those two bytes leaves out BMP 27.
    if (typeof variant === "object" && variant.kind === "noResultCode") data = data.subarray(2);
    return encodeApdu({ cls: 0x04, instr: 0x0f, data });
  }

  /**
   * Sends the 04 0F until the kiosk answers other than 84 9C (vending handshake). Undefined when the
   * answer never came or the terminal gave up and reversed by itself.
   */
  private async offerStatusInformation(
    conn: Connection,
    request: cmd.ParsedAuthorization,
    tx: SimTransaction,
    info: Buffer,
  ): Promise<Apdu | undefined> {
    const started = Date.now();
    const maxWaitMs = (request.vendingTimeoutSeconds ?? 30) * 1000;
    for (let repeats = 1; ; repeats++) {
      let answer: Apdu | undefined;
      try {
        answer = await this.exchange(conn, info);
      } catch (error) {
        if (!(error instanceof ConnectionClosed)) throw error;
      }
      if (!answer) {
        this.ackLost(tx);
        return undefined;
      }
      if (!(answer.cls === 0x84 && answer.instr === 0x9c)) return answer;
      const limit = request.maxStatusInfos;
      if ((limit !== undefined && repeats >= limit) || Date.now() - started > maxWaitMs) {
        this.setState(tx, "auto_reversed");
        await this.send(
          conn,
          msg.statusInformation({ resultCode: 0x6c, terminalId: this.options.terminalId }),
        );
        await this.send(conn, msg.ptAbort(0x6c));
        return undefined;
      }
      await this.pause(this.options.vendingRepeatMs);
    }
  }

  /** The print phase, when the kiosk registered as the printer (or a long receipt is the scenario). */
  private async printReceipts(
    conn: Connection,
    tx: SimTransaction,
    long?: { lines?: number; chunkSize?: number },
  ): Promise<void> {
    const reg = conn.registration;
    const ecrPrints = reg !== undefined && (reg.configByte & 0x82) === 0x82 && this.options.printOnEcr;
    if (!ecrPrints && !long) return;
    const lines = this.receiptLines(tx, long?.lines);
    if (long) {
      const block = msg.printTextBlock(lines, 0x02, this.charsetFor(conn));
      if (conn.kind === "tcp") await this.sendInPieces(conn, block, long.chunkSize ?? 100);
      else await this.send(conn, block);
      return;
    }
    const blocksAllowed = reg?.permittedCommands.includes(cmd.CMD.printTextBlock) ?? false;
    const mode =
      this.options.printWith === "auto" ? (blocksAllowed ? "block" : "lines") : this.options.printWith;
    const apdus = receiptApdus(lines, {
      mode,
      copies: this.options.receiptCopies,
      charset: this.charsetFor(conn),
      ownBlockCharset: this.options.blockCharset === "own",
    });
    for (const apdu of apdus) {
      await this.pause(this.options.printDelayMs);
      await this.send(conn, apdu);
    }
  }

  private async sendInPieces(conn: Connection, apdu: Buffer, chunkSize: number): Promise<void> {
    const answer = new Promise<Apdu | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), this.options.answerTimeoutMs);
      conn.answerWaiter = (a) => {
        clearTimeout(timer);
        conn.answerWaiter = undefined;
        resolve(a);
      };
    });
    for (let i = 0; i < apdu.length; i += chunkSize) {
      await conn.writeRaw(apdu.subarray(i, i + chunkSize));
      await new Promise((r) => setTimeout(r, 2));
    }
    await answer;
  }

  private receiptLines(tx: SimTransaction, extra = 0): string[] {
    const amount = `${Math.floor(tx.amount / 100)},${String(tx.amount % 100).padStart(2, "0")} PLN`;
    const lines = [
      "** POTWIERDZENIE DLA KLIENTA **",
      "SPRZEDAŻ",
      `Terminal: ${this.options.terminalId}`,
      `Nr paragonu: ${String(tx.receiptNumber).padStart(4, "0")}`,
      `Nr trace: ${String(tx.traceNumber).padStart(6, "0")}`,
      "VISA ************5678",
      `KWOTA: ${amount}`,
      "ZAAKCEPTOWANO",
    ];
    for (let i = 0; i < extra; i++) lines.push(`Linia dodatkowa ${i + 1} ........................`);
    return lines;
  }

  private ackLost(tx: SimTransaction): void {
    this.setState(tx, this.options.ackLostBehaviour === "commit" ? "charged" : "auto_reversed");
    this.emit("ackLost", { ...tx });
    this.log.info(
      { receipt: tx.receiptNumber, behaviour: this.options.ackLostBehaviour },
      "zvt sim: acknowledgement lost",
    );
  }

  private setState(tx: SimTransaction, state: SimTransaction["state"]): void {
    tx.state = state;
    this.emit("transaction", { ...tx });
  }

  private statusForRepeat(tx: SimTransaction): msg.StatusInformationFields {
    const fields = this.statusFields(tx);
    // A transaction that did not stay charged is reported as such (auto-reversal = aborted).
    if (tx.state === "auto_reversed" || tx.state === "pending" || tx.state === "aborted")
      fields.resultCode = 0x6c;
    return fields;
  }

  private async repeatReceipt(conn: Connection, data: Buffer): Promise<void> {
    if (!(await this.acceptWithPassword(conn, data))) return;
    const last = this.store.last();
    if (this.options.repeatReceipt === "abort") {
      await this.send(conn, msg.ptAbort(0x83));
      return;
    }
    if (this.options.repeatReceipt === "last" && last) {
      await this.send(conn, msg.statusInformation(this.statusForRepeat(last), this.charsetFor(conn)));
    }
    await this.send(conn, msg.completion());
  }

  private async reversal(conn: Connection, data: Buffer): Promise<void> {
    let parsed: ReturnType<typeof cmd.parsePasswordCommand>;
    try {
      parsed = cmd.parsePasswordCommand(data);
    } catch {
      await conn.link.send(cmd.negativeAck(0x9a));
      return;
    }
    if (!this.passwordOk(parsed.password)) {
      await conn.link.send(cmd.negativeAck(0x83));
      return;
    }
    await conn.link.send(cmd.positiveAck());
    const receiptField = parsed.fields.get(0x87);
    const receipt = receiptField ? Number(receiptField.value.toString("hex")) : Number.NaN;
    const tx = this.store.findOpen(receipt);
    const amountField = parsed.fields.get(0x04);
    const amount = amountField ? Number(amountField.value.toString("hex")) : undefined;
    if (tx?.state === "reversed" || tx?.state === "auto_reversed") {
      await this.send(conn, msg.ptAbort(0xb4));
      return;
    }
    if (tx?.state !== "charged" || (amount !== undefined && amount !== tx.amount)) {
      await this.send(conn, msg.ptAbort(0xb5));
      return;
    }
    await this.send(conn, msg.intermediateStatus(0x05));
    // A reversal is a transaction of its own: new receipt and trace numbers, BMP 37 = the original's trace.
    const reversal = this.store.add({
      amount: tx.amount,
      at: this.now(),
      state: "pending",
      resultCode: 0,
      originalTrace: tx.traceNumber,
    });
    const answer = await this.exchange(
      conn,
      msg.statusInformation(this.statusFields(reversal), this.charsetFor(conn)),
    );
    if (answer?.cls !== 0x80) {
      // Without the kiosk's acknowledgement the reversal is not booked.
      this.setState(reversal, "aborted");
      await this.send(conn, msg.ptAbort(0x6c));
      return;
    }
    this.setState(reversal, "reversal");
    this.setState(tx, "reversed");
    await this.send(conn, msg.completion());
  }

  private async endOfDay(conn: Connection, data: Buffer): Promise<void> {
    if (!(await this.acceptWithPassword(conn, data))) return;
    await this.send(conn, msg.intermediateStatus(0x0e));
    if (this.needing === "end_of_day") this.needing = undefined;
    const batch = this.store.closeBatch();
    const total = batch.transactions.reduce((sum, t) => sum + t.amount, 0);
    const visa = { family: "Visa", count: batch.transactions.length, total };
    await this.send(
      conn,
      msg.statusInformation({
        resultCode: 0,
        amount: Math.max(0, total + this.options.endOfDaySkew),
        traceNumber: this.store.nextTrace(),
        at: this.now(),
        terminalId: this.options.terminalId,
        singleTotals: {
          receiptFrom: String(batch.receiptFrom),
          receiptTo: String(batch.receiptTo),
          entries: [{ ...visa, total: Math.max(0, total + this.options.endOfDaySkew) }],
        },
      }),
    );
    await this.send(conn, msg.completion());
  }
}

/** The terminal status a need shows in the completion of 05 01 (PA00P015 §11). */
const NEED_STATUS: Readonly<Record<SimNeed, number>> = {
  initialisation: 0x51,
  diagnosis: 0xc2,
  end_of_day: 0xf0,
};

/** The options actually given (an explicit `undefined` must not hide a profile's value). */
function defined(options: ZvtSimulatorOptions): ZvtSimulatorOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as ZvtSimulatorOptions;
}

function toOutcome(name: SimOutcomeName): SimOutcome {
  switch (name) {
    case "slowHost":
      return { kind: "slowHost", intervalMs: 50, count: 3 };
    case "longReceipt":
      return { kind: "longReceipt", lines: 40, chunkSize: 100 };
    case "lateAnswer":
      return { kind: "lateAnswer", delayMs: 1500 };
    case "hostSilence":
      return { kind: "hostSilence", ms: 1500 };
    default:
      return { kind: name } as SimOutcome;
  }
}

export {
  isTerminalProfileName,
  type SimNeed,
  TERMINAL_CONDITION_NAMES,
  TERMINAL_PROFILE_NAMES,
  TERMINAL_PROFILES,
  type TerminalProfile,
  type TerminalProfileName,
} from "./zvt/profiles.ts";
