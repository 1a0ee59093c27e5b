/**
 * The ZVT payment terminal driver: registration at open and after every reconnect, status polling
 * while idle, and the commands the payment flow needs. A 04 0F is handed to the caller's `persist`
 * and acknowledged only afterwards, because that acknowledgement is the terminal's commit point.
 */
import {
  type AbortAnswer,
  type AuthorizationRequest,
  BaseDevice,
  type HealthResult,
  type LastTransactionAnswer,
  type PaymentTerminal,
  type ReceiptCopy,
  type TerminalEndOfDay,
  type TerminalEvents,
  type TerminalNeed,
  TerminalCommandError,
  TerminalOutcomeUnknownError,
  type TerminalTransaction,
} from "../../device.ts";
import { createTransport } from "../../transport/create.ts";
import type { ByteTransport, DeviceLogger, TransportConfig } from "../../transport/transport.ts";
import { silentLogger } from "../../transport/transport.ts";
import { intermediateMessage, RESULT_ABORTED, resultMessage, terminalStatusText } from "./codes.ts";
import * as cmd from "./commands.ts";
import { type ApduLink, SerialApduLink, TcpApduLink } from "./link.ts";
import {
  acceptedCharset,
  type Completion,
  parseStatusInformation,
  receiptCopy,
  type TerminalCharset,
} from "./messages.ts";
import {
  type CommandResult,
  type SessionHandlers,
  ZvtLinkLostError,
  ZvtRefusedError,
  ZvtSession,
  ZvtTimeoutError,
} from "./session.ts";
import { PaymentExchange } from "./payment-exchange.ts";
import {
  CareAttempts,
  careCommand,
  type FoundNeed,
  needOfStatusByte,
  needOfTerminalStatus,
} from "./self-care.ts";
import { lacksResultCode, scrubbedHex, toTransaction } from "./transaction.ts";

export interface ZvtTimeouts {
  /** Answer to a command (T3, default 5000 ms). */
  t3Ms?: number;
  /** Completion of a command with customer interaction (T4, default 180 000 ms). */
  t4Ms?: number;
  /** Serial: inter-byte gap (T1, default 200 ms) and ACK wait (T2, default 5000 ms). */
  t1Ms?: number;
  t2Ms?: number;
  /** Status enquiry while idle (default 60 000 ms). */
  pollIntervalMs?: number;
  /** Retry of a failed registration (default 2000 ms). */
  registerRetryMs?: number;
  /** Vending handshake: how long to wait for `persist` before answering 84 9C "ask again" (default 1000 ms). */
  vendingHoldMs?: number;
  /**
   * TCP: how long an idle terminal that closed its socket (VX820 and others do) has to be connected and
   * registered again before the kiosk calls it offline (default 3000 ms). A payment asked for meanwhile
   * waits for it.
   */
  reconnectGraceMs?: number;
  /** Recovery: how long `lastTransaction` waits for the terminal to be registered and ready (default 30 000 ms). */
  readyWaitMs?: number;
  /**
   * Self-care (initialisation, diagnosis the terminal asked for): the wait after the first try before the
   * second, doubled for each further one (default 60 000 ms; the idle poll looks again meanwhile).
   */
  selfCareBackoffMs?: number;
}

export interface ZvtTerminalOptions {
  transport: ByteTransport;
  /** Six digits. */
  password: string;
  log?: DeviceLogger;
  timeouts?: ZvtTimeouts;
  /** `serial` frames APDUs (DLE STX … ETX CRC, ACK/NAK); `tcp` sends them raw. Default: from the transport. */
  framing?: "serial" | "tcp";
  /** Characters per receipt line (registration tag 12, default 40). */
  printerWidth?: number;
  /** Use the 84 9C vending handshake when the terminal reports vending mode (default true). */
  vendingHandshake?: boolean;
  /** How often the driver sends an initialisation or diagnosis the terminal asks for before it leaves it to a technician (default 3). */
  selfCareAttempts?: number;
}

const KIOSK_SERVICE_BYTE = 0x01;
const ISO_8859_2 = 0x02;
/** How often the terminal must repeat "no transaction" before the kiosk believes it. */
const REPEAT_ATTEMPTS = 3;

export class ZvtTerminal extends BaseDevice<TerminalEvents> implements PaymentTerminal {
  readonly kind = "terminal" as const;
  private readonly transport: ByteTransport;
  private readonly link: ApduLink;
  private readonly session: ZvtSession;
  private readonly log: DeviceLogger;
  private readonly password: string;
  private readonly t: Required<ZvtTimeouts>;
  private readonly printerWidth: number;
  private readonly vendingHandshake: boolean;
  private registered = false;
  private opened = false;
  private vendingMode = false;
  private charset: TerminalCharset = "cp437";
  private terminalId: string | undefined;
  private lastTerminalStatus: number | undefined;
  private softwareVersion: string | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  private userCommand = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private registering: Promise<void> | undefined;
  /** A payment waiting for the terminal (behind another command); an abort now cancels it unsent. */
  private waitingPayment: { abortRequested: boolean } | undefined;
  /** The payment whose command runs. */
  private runningPayment: PaymentExchange | undefined;
  private readonly framing: "serial" | "tcp";
  /**
   * When the terminal last sent a byte (serial: the line must be quiet before a reset command).
   * Every time this driver keeps (last data, the reconnect grace, the T3 quiet after a reset, the wait
   * for a ready terminal) measures a duration: `performance.now()`, the monotonic clock, so NTP stepping
   * the wall clock an hour back during a payment does not hold the terminal for that hour, nor a step
   * forward end a wait at once.
   */
  private lastDataAt = 0;
  /** An authorization ended with its outcome unknown and nobody has asked the terminal since. */
  private unresolved = false;
  /**
   * The terminal answered the registration with a refusal (84 xx): the line works, the terminal is
   * reachable, but it will not serve this kiosk as configured (e.g. ZVT switched off after a firmware
   * update: "command not supported" to everything). Reported as a configuration error (state `error`),
   * not as a network fault; cleared by the next registration the terminal accepts or by a lost link.
   */
  private refusal: { code: number; text: string } | undefined;
  /** What the terminal needs before it serves payments again (terminal status, registration status byte). */
  private currentNeed: TerminalNeed | undefined;
  /** How many times the terminal asked anew: each need's `request`. */
  private needRequests = 0;
  private readonly care: CareAttempts;
  /** An idle TCP link dropped: until then it may come back quietly (see `reconnectGraceMs`). */
  private quietUntil = 0;
  private quietTimer: NodeJS.Timeout | undefined;

  constructor(options: ZvtTerminalOptions) {
    super("terminal");
    this.transport = options.transport;
    this.password = options.password;
    cmd.passwordBytes(options.password);
    this.log = options.log ?? silentLogger;
    this.t = {
      t3Ms: options.timeouts?.t3Ms ?? 5000,
      t4Ms: options.timeouts?.t4Ms ?? 180_000,
      t1Ms: options.timeouts?.t1Ms ?? 200,
      t2Ms: options.timeouts?.t2Ms ?? 5000,
      pollIntervalMs: options.timeouts?.pollIntervalMs ?? 60_000,
      registerRetryMs: options.timeouts?.registerRetryMs ?? 2000,
      vendingHoldMs: options.timeouts?.vendingHoldMs ?? 1000,
      readyWaitMs: options.timeouts?.readyWaitMs ?? 30_000,
      reconnectGraceMs: options.timeouts?.reconnectGraceMs ?? 3000,
      selfCareBackoffMs: options.timeouts?.selfCareBackoffMs ?? 60_000,
    };
    this.care = new CareAttempts(options.selfCareAttempts ?? 3, this.t.selfCareBackoffMs);
    this.printerWidth = options.printerWidth ?? 40;
    this.vendingHandshake = options.vendingHandshake ?? true;
    const framing = options.framing ?? (this.transport.description.startsWith("serial:") ? "serial" : "tcp");
    this.framing = framing;
    const write = (data: Buffer): Promise<void> => this.transport.write(data);
    this.link =
      framing === "serial"
        ? new SerialApduLink(write, { t1Ms: this.t.t1Ms, t2Ms: this.t.t2Ms })
        : new TcpApduLink(write);
    this.link.onFault = (fault) => {
      this.count("link_faults");
      this.log.debug({ fault }, "zvt: link fault");
    };
    this.session = new ZvtSession(this.link, {
      t3Ms: this.t.t3Ms,
      t4Ms: this.t.t4Ms,
      log: this.log,
      charset: () => this.charset,
    });
    this.session.onUnsolicited = () => this.count("unsolicited_messages");
    this.transport.on("data", (chunk) => {
      this.lastDataAt = performance.now();
      this.link.receive(chunk);
    });
    this.transport.on("open", () => this.onLinkUp());
    this.transport.on("close", (error) => this.onLinkDown(error));
  }

  /** What the terminal needs now (see `TerminalNeed`), or undefined when nothing. */
  get need(): TerminalNeed | undefined {
    return this.currentNeed;
  }

  /** Bytes exchanged on the wire so far (for the benchmark). */
  get wireBytes(): { written: number; read: number } {
    return { ...this.link.bytes };
  }

  async open(): Promise<void> {
    if (this.opened) return;
    this.opened = true;
    this.setState("offline");
    try {
      await this.transport.open();
    } catch (error) {
      this.recordError(
        "offline",
        `terminal link ${this.transport.description} unavailable: ${message(error)}`,
      );
    }
    // A silent terminal on an open serial line must not hold up the daemon's start for long.
    if (this.registering) await Promise.race([this.registering, delay(this.t.t3Ms)]);
    this.schedulePoll();
  }

  async close(): Promise<void> {
    this.opened = false;
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    await this.transport.close();
    this.session.linkLost(new Error("closed"));
    this.setState("closed");
  }

  private onLinkUp(): void {
    this.count("connects");
    this.registered = false;
    // Recovery may already hold the lock and register by itself (waitUntilReady): then skip.
    this.registering = this.exclusive(async () => {
      if (!this.registered) await this.register();
      await this.selfCare();
    }, false)
      .catch((error: unknown) => this.registrationFailed(error))
      .finally(() => {
        this.registering = undefined;
      });
  }

  private onLinkDown(error?: Error): void {
    const wasIdle = this.registered && !this.session.busy && !this.userCommand && this.state === "idle";
    this.registered = false;
    this.refusal = undefined;
    this.link.reset(error ?? new Error("link closed"));
    this.session.linkLost(error);
    if (!this.opened) return;
    this.count("disconnects");
    if (wasIdle && this.framing === "tcp" && this.t.reconnectGraceMs > 0) {
      // Terminals close an idle socket by themselves: reconnected and registered within the grace,
      // nobody needs to hear of it (a visitor at the summary would otherwise lose the visit).
      this.quietUntil = performance.now() + this.t.reconnectGraceMs;
      if (this.quietTimer) clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => {
        this.quietTimer = undefined;
        this.quietUntil = 0;
        if (this.opened && !(this.transport.isOpen && this.registered) && this.state !== "error") {
          this.recordError("offline", `terminal link lost${error ? `: ${error.message}` : ""}`);
          this.setState("offline");
        }
      }, this.t.reconnectGraceMs);
      this.quietTimer.unref?.();
      this.log.info({ err: error?.message }, "zvt: idle link closed by the terminal; reconnecting");
      return;
    }
    this.recordError("offline", `terminal link lost${error ? `: ${error.message}` : ""}`);
    this.setState("offline");
  }

  /** A registration that failed: a refusal was recorded by `register`; anything else is a lost line. */
  private registrationFailed(error: unknown): void {
    if (error instanceof TerminalConfigurationError) return;
    this.recordError("registration_failed", message(error));
  }

  /** What an unusable terminal is: `error` when it refuses the kiosk's registration, else `offline`. */
  private unusableState(): "error" | "offline" {
    return this.refusal && this.transport.isOpen ? "error" : "offline";
  }

  private async register(): Promise<void> {
    let result: CommandResult;
    try {
      result = await this.runRegistration();
    } catch (error) {
      if (!(error instanceof ZvtRefusedError) || error.code === 0x9c) throw error;
      // 84 xx: the terminal is there and answers, but refuses. 84 83 "function not possible" to a
      // registration means its ECR interface (ZVT) is off or not set up for this kiosk.
      const code = error.code.toString(16).padStart(2, "0");
      const text =
        error.code === 0x83
          ? `the terminal refuses ZVT commands (84 83, command not supported): its cash-register interface (ZVT) is switched off or not configured; enable it in the terminal's settings`
          : `the terminal refuses the kiosk's registration (84 ${code}: ${resultMessage(error.code).en}); check its configuration and the configured password`;
      this.refusal = { code: error.code, text };
      this.recordError("terminal_configuration", text);
      if (this.opened) this.setState("error");
      throw new TerminalConfigurationError(text, error.code);
    }
    this.refusal = undefined;
    this.applyRegistration(result);
  }

  private runRegistration(): Promise<CommandResult> {
    return this.session.run(
      cmd.registration({
        password: this.password,
        configByte: cmd.KIOSK_CONFIG_BYTE,
        currency: cmd.PLN,
        serviceByte: KIOSK_SERVICE_BYTE,
        permittedCommands: [cmd.CMD.printTextBlock],
        printerWidth: this.printerWidth,
        charset: ISO_8859_2,
      }),
      { expectCompletion: true, t4Ms: Math.max(this.t.t3Ms * 6, 30_000) },
    );
  }

  private applyRegistration(result: CommandResult): void {
    if (result.kind === "abort") throw new TerminalCommandError(`registration aborted`, result.resultCode);
    const completion = result.kind === "completion" ? result.completion : ({} as Completion);
    this.vendingMode = ((completion.statusByte ?? 0) & 0x10) !== 0;
    if (completion.terminalId) this.terminalId = completion.terminalId;
    this.charset = acceptedCharset(completion.tlv, ISO_8859_2);
    this.registered = true;
    this.count("registrations");
    // Initialisation (01) or diagnosis (02) necessary: payments fail until it is done (selfCare).
    const need = needOfStatusByte(completion.statusByte);
    if (need) this.noteNeed(need);
    this.log.info(
      {
        terminalId: this.terminalId,
        vendingMode: this.vendingMode,
        charset: this.charset,
        statusByte: completion.statusByte,
      },
      "zvt: registered",
    );
    this.setState(this.userCommand ? "busy" : "idle");
  }

  /** Runs `fn` alone; `user` marks commands of the flow (state `busy`) as opposed to housekeeping. */
  private exclusive<T>(fn: () => Promise<T>, user: boolean): Promise<T> {
    const run = this.lock.then(async () => {
      if (user) {
        this.userCommand = true;
        // A command waiting for a lost line (recovery) must not make the terminal look usable.
        const usable = (this.registered && this.transport.isOpen) || performance.now() < this.quietUntil;
        this.setState(usable ? "busy" : this.unusableState());
      }
      try {
        return await fn();
      } finally {
        if (user) {
          this.userCommand = false;
          if (this.opened)
            this.setState(this.registered && this.transport.isOpen ? "idle" : this.unusableState());
        }
      }
    });
    this.lock = run.catch(() => {});
    return run;
  }

  private schedulePoll(delay?: number): void {
    if (!this.opened) return;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    const ms = delay ?? (this.registered ? this.t.pollIntervalMs : this.t.registerRetryMs);
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      this.housekeeping()
        .catch(() => {})
        .finally(() => this.schedulePoll());
    }, ms);
    this.pollTimer.unref?.();
  }

  /** Idle work: re-register when needed, otherwise a Status-Enquiry (time-controlled PT events need it). */
  private async housekeeping(): Promise<void> {
    if (!this.transport.isOpen || this.userCommand || this.session.busy) return;
    await this.exclusive(async () => {
      if (!this.registered) {
        await this.register().catch((error: unknown) => {
          this.registrationFailed(error);
          this.setState(this.unusableState());
        });
        if (this.registered) await this.selfCare();
        return;
      }
      try {
        await this.statusEnquiry();
        await this.selfCare();
      } catch (error) {
        this.recordError("status_enquiry_failed", message(error));
        await this.afterTimeout(error);
        if (error instanceof ZvtTimeoutError || error instanceof ZvtLinkLostError || isTransmission(error)) {
          // The line is there but the terminal is not: treat like unplugged and register again later.
          this.registered = false;
          this.setState("offline");
        }
      }
    }, false);
  }

  private async statusEnquiry(): Promise<Completion> {
    const result = await this.session.run(cmd.statusEnquiry({ password: this.password }), {
      expectCompletion: true,
      t4Ms: this.t.t3Ms * 4,
    });
    if (result.kind === "abort") throw new TerminalCommandError("status enquiry aborted", result.resultCode);
    if (result.kind !== "completion") throw new TerminalCommandError("status enquiry not completed", 0);
    this.lastTerminalStatus = result.completion.terminalStatus;
    const status = result.completion.terminalStatus;
    const need = needOfTerminalStatus(status);
    if (need === null) this.noteNeed(undefined);
    else if (need) this.noteNeed(need);
    else if (status !== undefined && status !== 0x9c && status !== 0xdc) {
      this.recordError("terminal_status", terminalStatusText(status));
    }
    if (result.completion.softwareVersion) this.softwareVersion = result.completion.softwareVersion;
    this.count("status_enquiries");
    return result.completion;
  }

  /**
   * Records what the terminal needs (undefined: it is ready) and tells the listeners. A need already
   * known keeps its request number and who sees to it; it is told again, so a request the flow put off
   * is looked at again at each poll.
   */
  private noteNeed(found: FoundNeed | undefined): void {
    const previous = this.currentNeed;
    if (!found) {
      if (!previous) return;
      this.currentNeed = undefined;
      this.care.reset();
      this.log.info({ need: previous.action, request: previous.request }, "zvt: the terminal is ready again");
      this.emit("need", null);
      return;
    }
    const same = previous?.action === found.action;
    if (same && previous) {
      this.emit("need", previous);
      return;
    }
    this.care.reset();
    this.needRequests += 1;
    const need: TerminalNeed = {
      ...found,
      by: found.action === "end_of_day" ? "flow" : "driver",
      request: this.needRequests,
    };
    this.currentNeed = need;
    this.count(found.action === "end_of_day" ? "end_of_day_requests" : "service_requests");
    this.log.warn(
      { need: need.action, code: need.code, request: need.request, by: need.by },
      `zvt: the terminal asks for ${need.action.replace(/_/g, "-")}: ${need.reason}`,
    );
    this.emit("need", need);
  }

  /**
   * Sends the initialisation (06 93) or diagnosis (06 70) the terminal asked for, then asks its status
   * again. Idle only, under the command lock (housekeeping, or right after registering); bounded by
   * `CareAttempts`; once they are spent and the terminal still asks, the need is a technician's
   * (`terminal_needs_service`) and the driver sends nothing more until the terminal is ready again.
   */
  private async selfCare(): Promise<void> {
    const need = this.currentNeed;
    if (need?.by !== "driver" || need.action === "end_of_day") return;
    if (!this.registered || !this.transport.isOpen || !this.opened) return;
    // As an end-of-day: the terminal's memory of a lost payment is all recovery has, and an
    // initialisation changes the terminal's state (some close the batch first). It waits for staff.
    if (this.unresolved) return;
    if (this.care.exhausted) return this.leaveToTechnician(need, "");
    if (!this.care.due(performance.now())) return;
    this.care.start(performance.now());
    const command = careCommand(need.action, this.password);
    this.count(need.action === "initialisation" ? "self_care_initialisations" : "self_care_diagnoses");
    this.log.warn(
      { need: need.action, code: need.code, attempt: this.care.count },
      `zvt: sending ${command.name} the terminal asked for`,
    );
    let outcome: string;
    try {
      const result = await this.session.run(command.bytes, {
        expectCompletion: true,
        handlers: this.careHandlers(),
      });
      outcome =
        result.kind === "abort"
          ? `answered 06 1E ${result.resultCode.toString(16).padStart(2, "0").toUpperCase()} (${resultMessage(result.resultCode).en})`
          : "completed";
    } catch (error) {
      outcome = `failed: ${message(error)}`;
      await this.afterTimeout(error);
    }
    this.log.info(
      { need: need.action, attempt: this.care.count, outcome },
      `zvt: ${command.name} ${outcome}`,
    );
    if (!this.registered || !this.transport.isOpen) return;
    if (!(await this.statusAfter(command.name))) return;
    const still = this.currentNeed;
    if (!still) {
      this.count("self_care_recovered");
      this.log.info(
        { need: need.action, attempts: this.care.count },
        `zvt: ${command.name} made the terminal ready`,
      );
      return;
    }
    if (still.action === need.action && still.by === "driver" && this.care.exhausted) {
      this.leaveToTechnician(still, `; the last ${outcome}`);
    }
  }

  /** A status enquiry after a command that may have changed what the terminal needs; false when unanswered. */
  private async statusAfter(what: string): Promise<boolean> {
    try {
      await this.statusEnquiry();
      return true;
    } catch (error) {
      this.recordError("status_enquiry_failed", `after ${what}: ${message(error)}`);
      await this.afterTimeout(error);
      return false;
    }
  }

  /** The driver's tries are spent: the need is a technician's, with the existing device error. */
  private leaveToTechnician(need: TerminalNeed, lastOutcome: string): void {
    if (need.by === "technician") return;
    const command = careCommand(need.action === "diagnosis" ? "diagnosis" : "initialisation", this.password);
    const reason = `${need.reason}: still so after the kiosk sent ${command.name} ${this.care.count} time(s)${lastOutcome}; a technician must see to the terminal`;
    this.currentNeed = { ...need, by: "technician", reason };
    this.count("self_care_failures");
    this.recordError("terminal_needs_service", reason);
    this.log.error({ need: need.action, code: need.code, attempts: this.care.count }, `zvt: ${reason}`);
    this.emit("need", this.currentNeed);
  }

  /** A self-care command's messages: acknowledged, never the visitor's (no prompts, no receipts). */
  private careHandlers(): SessionHandlers {
    return {
      intermediate: (status) => this.log.debug({ code: status.code }, "zvt: self-care intermediate status"),
      printLine: () => {},
      printTextBlock: () => {},
    };
  }

  /** Within the grace after an idle link dropped: waits for it to be back and registered. */
  private async quietReconnect(): Promise<void> {
    while (
      this.opened &&
      performance.now() < this.quietUntil &&
      !(this.transport.isOpen && this.registered)
    ) {
      if (this.transport.isOpen) {
        // The registration queued by the reconnect waits behind this command's lock: do it here.
        await this.register().catch((error: unknown) => this.registrationFailed(error));
        if (this.registered || this.refusal) return;
      }
      await delay(20);
    }
  }

  private ensureReady(): void {
    if (!this.opened) throw new TerminalCommandError("terminal is closed", 0);
    if (this.refusal && this.transport.isOpen)
      throw new TerminalCommandError(this.refusal.text, this.refusal.code);
    if (!this.transport.isOpen || !this.registered) throw new TerminalCommandError("terminal is offline", 0);
  }

  private baseHandlers(): SessionHandlers {
    // 06 D1 comes line by line; the kiosk gets whole receipts (cut at the "last line" attribute, or
    // where the receipt type of a line's TLV changes: merchant and customer copies are separate receipts).
    let lines: string[] = [];
    let copy: ReceiptCopy = "unknown";
    const flush = (): void => {
      if (lines.length) this.emit("receiptText", lines, copy);
      lines = [];
      copy = "unknown";
    };
    return {
      finished: flush,
      intermediate: (status) => {
        this.emit("intermediate", {
          code: status.code,
          message: intermediateMessage(status.code, status.displayTexts[0]),
        });
      },
      printLine: (line) => {
        const lineCopy = receiptCopy(line.receiptType);
        if (lines.length && lineCopy !== copy) flush();
        copy = lineCopy;
        if (line.attribute === 0xff) {
          // Attribute FF: paper feed; the text byte is the number of empty lines.
          const feed = line.text.length ? line.text.charCodeAt(0) : 1;
          for (let i = 0; i < Math.min(feed, 20); i++) lines.push("");
        } else {
          lines.push(line.text);
        }
        if (line.last) flush();
      },
      printTextBlock: (block) => this.emit("receiptText", block.lines, receiptCopy(block.receiptType)),
    };
  }

  /**
   * One payment at a time: refused while another waits for the terminal or has no result on record
   * yet. Once the running one's result is persisted (a decline the visitor already sees), the next one
   * waits for the terminal to finish it instead of being refused as unavailable.
   */
  async authorize(request: AuthorizationRequest): Promise<TerminalTransaction> {
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
      throw new TerminalCommandError(`invalid amount ${request.amount}`, 0);
    }
    if (this.waitingPayment || (this.runningPayment && !this.runningPayment.decided)) {
      throw new TerminalCommandError("terminal busy with another payment", 0x9c);
    }
    const ticket = { abortRequested: false };
    this.waitingPayment = ticket;
    return this.exclusive(async () => {
      this.waitingPayment = undefined;
      await this.quietReconnect();
      this.ensureReady();
      if (ticket.abortRequested) {
        // Cancelled while it waited for the terminal (e.g. behind a status enquiry): never sent.
        this.count("aborted_before_start");
        const aborted = { kind: "payment", outcome: "aborted", resultCode: RESULT_ABORTED } as const;
        return { ...aborted, message: resultMessage(RESULT_ABORTED), amount: request.amount };
      }
      this.count("authorizations");
      const vending = this.vendingHandshake && this.vendingMode;
      const exchange = new PaymentExchange({
        request,
        currency: cmd.PLN,
        charset: () => this.charset,
        vending,
        vendingHoldMs: this.t.vendingHoldMs,
        recordError: (code, text) => this.recordError(code, text),
        log: this.log,
      });
      this.runningPayment = exchange;
      let outcome: CommandResult;
      try {
        outcome = await this.session.run(
          cmd.authorization({
            amount: request.amount,
            currency: cmd.PLN,
            ...(vending ? { vendingTimeoutSeconds: 120 } : {}),
          }),
          {
            expectCompletion: true,
            handlers: exchange.handlers(this.baseHandlers()),
            abortOnT4: cmd.abort(),
          },
        );
      } catch (error) {
        await this.afterTimeout(error);
        return this.authorizationFailed(error, exchange.result, exchange.committed);
      } finally {
        if (this.runningPayment === exchange) this.runningPayment = undefined;
      }
      let result: TerminalTransaction;
      try {
        result = exchange.finalResult(outcome);
      } catch (error) {
        return this.authorizationFailed(error, undefined, false);
      }
      this.countOutcome(result);
      return result;
    }, true).finally(() => {
      if (this.waitingPayment === ticket) this.waitingPayment = undefined;
    });
  }

  private countOutcome(tx: TerminalTransaction): void {
    this.count(`transactions_${tx.outcome}`);
  }

  private authorizationFailed(
    error: unknown,
    result: TerminalTransaction | undefined,
    committed: boolean,
  ): never | TerminalTransaction {
    if (error instanceof ZvtRefusedError) {
      throw new TerminalCommandError(
        `terminal refused the payment: ${resultMessage(error.code).en}`,
        error.code,
      );
    }
    if (result && committed) {
      // The result was persisted and acknowledged: the commit point passed, only the completion was lost.
      this.countOutcome(result);
      return result;
    }
    this.count("outcome_unknown");
    this.unresolved = true;
    throw new TerminalOutcomeUnknownError(`authorization outcome unknown: ${message(error)}`);
  }

  /**
   * Asks the terminal to abort the payment. A payment still waiting for the terminal is cancelled
   * before it is sent; a running one gets 06 B0, and `too_late` (84 83: the host is contacted) means the
   * payment goes on to its result.
   */
  async abort(): Promise<AbortAnswer> {
    if (this.waitingPayment) {
      this.waitingPayment.abortRequested = true;
      return "accepted";
    }
    if (this.session.busy) {
      if (!this.runningPayment) return "idle";
      const code = await this.session.abortRunning(cmd.abort()).catch(() => undefined);
      this.log.info({ answer: code }, "zvt: abort requested during a payment");
      if (code === undefined) return "no_answer";
      return code === 0 ? "accepted" : "too_late";
    }
    if (!this.transport.isOpen) return "idle";
    await this.exclusive(async () => {
      try {
        // A payment a killed process left running on the terminal: harmless when there is none.
        await this.session.run(cmd.abort(), { expectCompletion: false });
      } catch (error) {
        this.log.debug({ err: message(error) }, "zvt: abort while idle not accepted");
      }
    }, false);
    return "idle";
  }

  /**
   * After T3/T4 the command is over for the kiosk, not necessarily for the terminal: a late answer must
   * never be taken for the next command's. TCP: the socket is closed (PA00P016 §5.2.5) and a new one
   * opened; serial: the link forgets its state and the terminal is registered again before the next use.
   */
  private async afterTimeout(error: unknown): Promise<void> {
    if (!(error instanceof ZvtTimeoutError)) return;
    this.count("timeout_resets");
    this.registered = false;
    this.log.warn({ timer: error.timer }, "zvt: timeout; resetting the link");
    if (this.framing === "tcp") {
      await this.transport.close();
      if (this.opened) this.transport.open().catch(() => {});
      return;
    }
    this.link.reset(new Error("reset after a timeout"));
    // One serial line, no correlation ids: the next command waits until the terminal has finished
    // talking about the old one (answered as unsolicited meanwhile), then registers afresh.
    this.exclusive(() => this.quietThenRegister(), false).catch((e: unknown) => this.registrationFailed(e));
  }

  /** Waits until the line was silent for T3 since the reset (at most T4), then registers. */
  private async quietThenRegister(): Promise<void> {
    const resetAt = performance.now();
    const deadline = resetAt + this.t.t4Ms;
    const quietSince = (): number => Math.max(this.lastDataAt, resetAt);
    // A line that dropped meanwhile needs no quiet: its reconnection registers afresh by itself.
    while (
      performance.now() - quietSince() < this.t.t3Ms &&
      performance.now() < deadline &&
      this.transport.isOpen
    ) {
      await delay(Math.min(100, this.t.t3Ms));
    }
    if (this.opened && this.transport.isOpen && !this.registered) await this.register();
  }

  /**
   * Recovery's first step: wait until the driver is registered, then Status-Enquiry until the terminal
   * is ready (not "please wait" or "card inserted"), bounded by `readyWaitMs`; a terminal that does
   * not support Status Enquiry (84 83) is taken as it comes.
   */
  private async waitUntilReady(): Promise<void> {
    const deadline = performance.now() + this.t.readyWaitMs;
    while (!this.registered || !this.transport.isOpen) {
      if (!this.opened) throw new TerminalCommandError("terminal is closed", 0);
      if (performance.now() > deadline) throw new TerminalCommandError("terminal is offline", 0);
      if (this.transport.isOpen) {
        // The registration queued by the reconnect waits behind this command's lock: do it here.
        await this.register().catch((error: unknown) => this.registrationFailed(error));
        if (this.registered) break;
        await delay(500);
        continue;
      }
      await delay(50);
    }
    for (;;) {
      let status: number | undefined;
      try {
        status = (await this.statusEnquiry()).terminalStatus;
      } catch (error) {
        if (error instanceof ZvtRefusedError && error.code === 0x9c && performance.now() < deadline) {
          await delay(500);
          continue;
        }
        if (error instanceof ZvtRefusedError && error.code === 0x83) {
          // A terminal without Status Enquiry ("command not supported") says nothing about being
          // busy: the repeat is asked anyway, and a busy terminal refuses that in turn (no answer,
          // asked again). Stopping here left every unresolved payment unknown for good.
          this.log.info({}, "zvt: status enquiry not supported; asking for the last transaction anyway");
          return;
        }
        throw new TerminalOutcomeUnknownError(`terminal not ready: ${message(error)}`);
      }
      const busy = status === 0x9c || status === 0xdc || status === 0xe1;
      if (!busy || performance.now() > deadline) return;
      await delay(500);
    }
  }

  /**
   * The terminal's last transaction (06 20). "Nothing" lets nobody conclude anything by itself, and is
   * only reported when the terminal says it again: a terminal still finishing the transaction of a
   * killed process (one serial line, no correlation ids) can end our 06 20 with that transaction's stale
   * completion or abort. Never rejects: a lost answer is `no_answer`.
   */
  async lastTransaction(): Promise<LastTransactionAnswer> {
    try {
      return await this.exclusive(() => this.askLastTransaction(), true);
    } catch (error) {
      this.log.warn({ err: message(error) }, "zvt: no answer to the repeat receipt");
      return { kind: "no_answer", detail: message(error) };
    }
  }

  private async askLastTransaction(): Promise<LastTransactionAnswer> {
    for (let attempt = 1; ; attempt++) {
      await this.waitUntilReady();
      const answer = await this.repeatLastOnce();
      if (answer.kind === "transaction") this.unresolved = false;
      if (answer.kind !== "nothing" || attempt >= REPEAT_ATTEMPTS) return answer;
      this.log.warn({ attempt }, "zvt: the terminal repeated no transaction; asking again");
      await delay(this.t.t3Ms);
    }
  }

  private async repeatLastOnce(): Promise<LastTransactionAnswer> {
    const collect = this.transactionCollector();
    // A repeat receipt must not print: the kiosk prints its own.
    const handlers: SessionHandlers = { ...collect.handlers, printLine: () => {}, printTextBlock: () => {} };
    const result = await this.runUser(
      cmd.repeatReceipt({ password: this.password, serviceByte: 0x03 }),
      handlers,
    );
    if (result.kind === "abort") return { kind: "nothing" };
    const seen = collect.seen();
    if (seen.kind === "transaction" && lacksResultCode(seen.tx)) {
      return { kind: "unreadable", detail: "status information without a result code (BMP 27)" };
    }
    return seen;
  }

  /** Handlers that keep the transaction a command's Status-Information reports. */
  private transactionCollector(): { handlers: SessionHandlers; seen(): LastTransactionAnswer } {
    let seen: LastTransactionAnswer = { kind: "nothing" };
    return {
      handlers: {
        ...this.baseHandlers(),
        statusInformation: (data) => {
          try {
            seen = { kind: "transaction", tx: toTransaction(parseStatusInformation(data, this.charset)) };
          } catch (error) {
            this.recordError("unparseable_status_information", message(error));
            seen = { kind: "unreadable", detail: `${message(error)}: ${scrubbedHex(data)}` };
          }
          return cmd.positiveAck();
        },
      },
      seen: () => seen,
    };
  }

  async reverse(receiptNumber: string, amount?: number): Promise<TerminalTransaction> {
    if (!/^[0-9]{1,4}$/.test(receiptNumber))
      throw new TerminalCommandError(`invalid receipt number ${receiptNumber}`, 0);
    return this.exclusive(async () => {
      this.ensureReady();
      this.count("reversals");
      const collect = this.transactionCollector();
      const command = cmd.reversal({
        password: this.password,
        receiptNumber,
        ...(amount !== undefined ? { amount } : {}),
      });
      const result = await this.runUser(command, collect.handlers);
      if (result.kind === "abort") {
        return {
          kind: "reversal",
          outcome: "declined",
          resultCode: result.resultCode,
          message: resultMessage(result.resultCode),
          receiptNumber,
        };
      }
      const seen = collect.seen();
      if (seen.kind !== "transaction")
        throw new TerminalOutcomeUnknownError("the reversal completed without a readable status information");
      // The reversal's own receipt and trace numbers; BMP 37 names the original.
      return { ...seen.tx, kind: "reversal" };
    }, true);
  }

  /** Staff recorded what the terminal's journal shows for every lost payment: end-of-day may run. */
  lostOutcomesSettled(): void {
    this.unresolved = false;
  }

  async endOfDay(): Promise<TerminalEndOfDay> {
    return this.exclusive(async () => {
      this.ensureReady();
      if (this.unresolved) {
        // After end-of-day a reversal is impossible: resolve the lost payment first (lastTransaction).
        throw new TerminalCommandError("a payment's outcome is unresolved; no end-of-day until it is", 0);
      }
      let totals: TerminalEndOfDay | undefined;
      const handlers: SessionHandlers = {
        ...this.baseHandlers(),
        statusInformation: (data) => {
          try {
            const info = parseStatusInformation(data, this.charset);
            const eod: TerminalEndOfDay = { total: info.amount ?? 0, count: 0 };
            if (info.singleTotals) {
              const perBrand: Record<string, { count: number; total: number }> = {};
              for (const entry of info.singleTotals.entries) {
                eod.count += entry.count;
                if (entry.count || entry.total)
                  perBrand[entry.family] = { count: entry.count, total: entry.total };
              }
              eod.perBrand = perBrand;
            }
            if (info.traceNumber) eod.traceNumber = info.traceNumber;
            const tx = toTransaction(info);
            if (tx.terminalTime) eod.terminalTime = tx.terminalTime;
            totals = eod;
          } catch (error) {
            this.recordError("unparseable_status_information", message(error));
          }
          return cmd.positiveAck();
        },
      };
      const result = await this.runUser(cmd.endOfDay({ password: this.password }), handlers);
      if (result.kind === "abort") {
        throw new TerminalCommandError(
          `end-of-day failed: ${resultMessage(result.resultCode).en}`,
          result.resultCode,
        );
      }
      this.count("end_of_days");
      // Whether the terminal still asks for an end-of-day (F0/B1): asked now, not at the next poll.
      await this.statusAfter("the end-of-day");
      return totals ?? { total: 0, count: 0 };
    }, true);
  }

  async diagnose(): Promise<HealthResult> {
    return this.exclusive(async () => {
      this.ensureReady();
      const result = await this.runUser(cmd.diagnosis(), this.baseHandlers());
      const ok = result.kind !== "abort";
      // A technician's diagnosis may be what the terminal asked for: its status tells.
      await this.statusAfter("the diagnosis");
      return {
        ok,
        state: this.state,
        message: ok
          ? "diagnosis completed"
          : `diagnosis failed: ${resultMessage(result.kind === "abort" ? result.resultCode : 0).en}`,
        details: { terminalId: this.terminalId ?? null },
      };
    }, true);
  }

  /** Runs a user command, mapping protocol errors to the device contract's errors. */
  private async runUser(command: Buffer, handlers: SessionHandlers): Promise<CommandResult> {
    try {
      return await this.session.run(command, { expectCompletion: true, handlers });
    } catch (error) {
      await this.afterTimeout(error);
      if (error instanceof ZvtRefusedError) {
        throw new TerminalCommandError(`terminal refused: ${resultMessage(error.code).en}`, error.code);
      }
      throw new TerminalOutcomeUnknownError(`no answer from the terminal: ${message(error)}`);
    }
  }

  async checkHealth(): Promise<HealthResult> {
    const online = this.state !== "closed" && this.transport.isOpen && this.registered;
    if (online && !this.userCommand && !this.session.busy) {
      await this.exclusive(() => this.statusEnquiry(), false).catch((error: unknown) => {
        this.recordError("status_enquiry_failed", message(error));
      });
    }
    const details = {
      transport: this.transport.description,
      registered: this.registered,
      terminalId: this.terminalId ?? null,
      vendingMode: this.vendingMode,
      softwareVersion: this.softwareVersion ?? null,
      terminalStatus:
        this.lastTerminalStatus === undefined ? null : terminalStatusText(this.lastTerminalStatus),
      need: this.currentNeed
        ? `${this.currentNeed.action} (${this.currentNeed.by}): ${this.currentNeed.reason}`
        : null,
    };
    if (this.state === "closed")
      return { ok: false, state: this.state, message: "terminal driver closed", details };
    if (this.refusal && this.transport.isOpen) {
      return {
        ok: false,
        state: this.state,
        message: `terminal configuration error: ${this.refusal.text}`,
        details,
      };
    }
    if (!this.transport.isOpen || !this.registered) {
      return {
        ok: false,
        state: this.state,
        message: `terminal offline (${this.transport.description})`,
        details,
      };
    }
    const ok = this.lastTerminalStatus === undefined || this.lastTerminalStatus === 0;
    return {
      ok,
      state: this.state,
      message: ok ? "terminal ready" : `terminal reports: ${details.terminalStatus}`,
      details,
    };
  }
}

/** The terminal refused the kiosk's registration: a configuration matter, not a lost line. */
class TerminalConfigurationError extends TerminalCommandError {}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isTransmission(error: unknown): boolean {
  return error instanceof Error && error.name === "TransmissionError";
}

/** Builds the driver from SPEC §3 `devices.terminal` (protocol zvt). */
export function createZvtTerminal(
  config: {
    transport: TransportConfig;
    password: string;
    timeoutSeconds?: number;
    /** Characters per line of the printer the terminal's receipt lines end up on (registration tag 12). */
    printerWidth?: number;
  },
  log?: DeviceLogger,
  timeouts: ZvtTimeouts = {},
): ZvtTerminal {
  const transport = createTransport(config.transport, log, { stopBits: 2 });
  return new ZvtTerminal({
    transport,
    password: config.password,
    ...(config.printerWidth ? { printerWidth: config.printerWidth } : {}),
    ...(log ? { log } : {}),
    framing: config.transport.type === "serial" ? "serial" : "tcp",
    timeouts: { ...(config.timeoutSeconds ? { t4Ms: config.timeoutSeconds * 1000 } : {}), ...timeouts },
  });
}
