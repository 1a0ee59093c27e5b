/**
 * The master/slave exchange of one command (PA00P016 §5): the kiosk sends a command and waits T3 for
 * `80 00`/`84 xx`; if the command has a completion phase the terminal is then master and sends 04 FF,
 * 04 0F, 06 D1/06 D3 … until 06 0F (completion) or 06 1E (abort), each answered by us. T4 bounds that
 * phase and is re-armed by every 04 FF and 04 0F. The answer to a 04 0F comes from the caller, because
 * it is the terminal's commit point.
 */
import { type Apdu, controlField, decodeApdu, hex, isResponse } from "./apdu.ts";
import { CMD, negativeAck, positiveAck } from "./commands.ts";
import type { ApduLink } from "./link.ts";
import {
  type Completion,
  type IntermediateStatus,
  type PrintLine,
  type PrintTextBlock,
  parseCompletion,
  parseIntermediateStatus,
  parsePrintLine,
  parsePrintTextBlock,
  parsePtAbort,
  type TerminalCharset,
} from "./messages.ts";
import type { DeviceLogger } from "../../transport/transport.ts";
import { silentLogger } from "../../transport/transport.ts";

export class ZvtTimeoutError extends Error {
  override readonly name = "ZvtTimeoutError";
  constructor(
    message: string,
    /** `t3`: no answer to our command; `t4`: no completion in time. */
    readonly timer: "t3" | "t4",
  ) {
    super(message);
  }
}

/** The terminal answered our command with 84 xx. */
export class ZvtRefusedError extends Error {
  override readonly name = "ZvtRefusedError";
  constructor(readonly code: number) {
    super(`terminal refused the command (84 ${code.toString(16).padStart(2, "0")})`);
  }
}

export class ZvtLinkLostError extends Error {
  override readonly name = "ZvtLinkLostError";
}

export interface SessionHandlers {
  intermediate?(status: IntermediateStatus): void;
  /** Returns the answer to send (80 00 00, 84 9C 00, 84 66 00 …). Default: 80 00 00. */
  statusInformation?(data: Buffer): Promise<Buffer> | Buffer;
  /**
   * Called once the answer to a 04 0F was handed over: on serial, ACKed by the terminal; on TCP, when
   * the terminal sends its next APDU of the command (it could not before taking the answer). A command
   * that ends otherwise (link lost, T4) never calls it: the answer may never have arrived.
   */
  statusInformationAnswered?(reply: Buffer): void;
  printLine?(line: PrintLine): void;
  printTextBlock?(block: PrintTextBlock): void;
  /** Called once when the command ends, however it ends (e.g. to flush buffered print lines). */
  finished?(): void;
}

export type CommandResult =
  | { kind: "acknowledged" }
  | { kind: "completion"; completion: Completion }
  | {
      kind: "abort";
      resultCode: number;
      /**
       * The abort came right after our positive answer to a 04 0F that nothing showed the terminal
       * took (TCP): it may have taken it (the commit point passed) or given up waiting and reversed.
       */
      answerUnconfirmed?: true;
    };

export interface SessionOptions {
  t3Ms?: number;
  t4Ms?: number;
  log?: DeviceLogger;
  charset?: () => TerminalCharset;
}

interface Running {
  expectCompletion: boolean;
  handlers: SessionHandlers;
  phase: "response" | "slave";
  resolve(result: CommandResult): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
  t4Ms: number;
  /** Pending answer to an abort (06 B0) sent while the terminal is master. */
  abortWaiter: ((answer: Apdu | undefined) => void) | undefined;
  abortOnT4: Buffer | undefined;
  /** An answer to a 04 0F written to a link that cannot confirm delivery, until the terminal speaks again. */
  unconfirmedAnswer: Buffer | undefined;
}

export class ZvtSession {
  private running: Running | undefined;
  private inbox: Promise<void> = Promise.resolve();
  private readonly t3Ms: number;
  private readonly t4Ms: number;
  private readonly log: DeviceLogger;
  private readonly charset: () => TerminalCharset;
  /** Unsolicited PT messages (while no command runs); for counters. */
  onUnsolicited: (control: number) => void = () => {};

  constructor(
    private readonly link: ApduLink,
    options: SessionOptions = {},
  ) {
    this.t3Ms = options.t3Ms ?? 5000;
    this.t4Ms = options.t4Ms ?? 180_000;
    this.log = options.log ?? silentLogger;
    this.charset = options.charset ?? (() => "cp437");
    link.onApdu = (apdu) => {
      this.inbox = this.inbox
        .then(() => this.handle(apdu))
        .catch((error: unknown) => {
          this.log.warn(
            { err: error instanceof Error ? error.message : String(error) },
            "zvt: handling failed",
          );
        });
    };
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Sends a command as master and follows it to its end. */
  run(
    command: Buffer,
    options: {
      expectCompletion: boolean;
      handlers?: SessionHandlers;
      t4Ms?: number;
      /** Sent when T4 expires; the command then gets T3 × 2 more to end with 06 1E before it fails. */
      abortOnT4?: Buffer;
    },
  ): Promise<CommandResult> {
    if (this.running) return Promise.reject(new Error("a ZVT command is already running"));
    return new Promise<CommandResult>((resolve, reject) => {
      const running: Running = {
        expectCompletion: options.expectCompletion,
        handlers: options.handlers ?? {},
        phase: "response",
        resolve,
        reject,
        timer: undefined,
        t4Ms: options.t4Ms ?? this.t4Ms,
        abortWaiter: undefined,
        abortOnT4: options.abortOnT4,
        unconfirmedAnswer: undefined,
      };
      this.running = running;
      this.log.debug(
        { command: hex(command.subarray(0, 2)), length: command.length },
        "zvt: sending command",
      );
      this.arm(running, this.t3Ms, () => new ZvtTimeoutError("no answer to the command within T3", "t3"));
      this.link.send(command).catch((error: unknown) => {
        this.finish(running, error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /**
   * Sends 06 B0 while the terminal is master (allowed by many terminals until the host is contacted).
   * Resolves with the terminal's answer code (0 = accepted) or undefined when it did not answer within T3.
   */
  async abortRunning(abortApdu: Buffer): Promise<number | undefined> {
    const running = this.running;
    if (!running) return undefined;
    const answer = new Promise<Apdu | undefined>((resolve) => {
      const timer = setTimeout(() => {
        running.abortWaiter = undefined;
        resolve(undefined);
      }, this.t3Ms);
      running.abortWaiter = (apdu) => {
        clearTimeout(timer);
        running.abortWaiter = undefined;
        resolve(apdu);
      };
    });
    await this.link.send(abortApdu);
    const apdu = await answer;
    if (!apdu) return undefined;
    return apdu.cls === 0x80 ? 0 : apdu.instr;
  }

  /** The link dropped: the running command ends with ZvtLinkLostError. */
  linkLost(error?: Error): void {
    const running = this.running;
    if (running) this.finish(running, new ZvtLinkLostError(error?.message ?? "link to the terminal lost"));
  }

  private arm(running: Running, ms: number, makeError: () => Error): void {
    if (running.timer) clearTimeout(running.timer);
    running.timer = setTimeout(() => this.finish(running, makeError()), ms);
  }

  private finish(running: Running, outcome: CommandResult | Error): void {
    if (this.running !== running) return;
    if (running.timer) clearTimeout(running.timer);
    running.abortWaiter?.(undefined);
    this.running = undefined;
    try {
      running.handlers.finished?.();
    } catch {
      // A listener's mistake must not change the command's outcome.
    }
    if (outcome instanceof Error) running.reject(outcome);
    else running.resolve(outcome);
  }

  private async answer(bytes: Buffer): Promise<void> {
    await this.link.send(bytes);
  }

  /** 80 00 / 84 xx from the terminal: the answer to our command, or to our abort. */
  private handleResponse(apdu: Apdu, control: number, running: Running | undefined): void {
    if (running?.abortWaiter) {
      running.abortWaiter(apdu);
      return;
    }
    if (running?.phase !== "response") {
      this.log.debug({ control: control.toString(16) }, "zvt: stray response ignored");
      return;
    }
    if (apdu.cls === 0x80 || apdu.instr === 0x00) {
      if (!running.expectCompletion) {
        this.finish(running, { kind: "acknowledged" });
        return;
      }
      running.phase = "slave";
      this.armT4(running);
      return;
    }
    // 84 1E LL 6F: "wrong currency" carries its code in the data.
    const code = apdu.instr === 0x1e && apdu.data.length ? apdu.data[0]! : apdu.instr;
    this.finish(running, new ZvtRefusedError(code));
  }

  private async handle(raw: Buffer): Promise<void> {
    let apdu: Apdu;
    try {
      apdu = decodeApdu(raw);
    } catch {
      this.log.warn({ length: raw.length }, "zvt: malformed APDU ignored");
      return;
    }
    const control = controlField(apdu);
    const running = this.running;

    if (running && control !== CMD.ptAbort) this.answerTaken(running);

    if (isResponse(apdu)) {
      this.handleResponse(apdu, control, running);
      return;
    }

    // Before our command's 80 00, a terminal message belongs to something earlier (e.g. the tail of a
    // payment a crashed process started); taking it as the answer would mix two transactions.
    if (!running || running.phase === "response") {
      this.onUnsolicited(control);
      // A result nobody asked for must not become a commitment: let the terminal reverse it.
      const reply = control === CMD.statusInformation ? negativeAck(0x66) : positiveAck();
      this.log.warn({ control: control.toString(16) }, "zvt: unsolicited terminal message");
      await this.answer(reply).catch(() => {});
      return;
    }
    try {
      switch (control) {
        case CMD.intermediateStatus: {
          this.armT4(running);
          try {
            const status = parseIntermediateStatus(apdu.data, this.charset());
            if (status.timeoutMinutes) this.armT4(running, status.timeoutMinutes * 60_000);
            running.handlers.intermediate?.(status);
          } catch {
            this.log.warn({ length: apdu.data.length }, "zvt: unreadable intermediate status");
          }
          await this.answer(positiveAck());
          return;
        }
        case CMD.statusInformation:
          await this.statusInformation(running, apdu);
          return;
        case CMD.printLine: {
          try {
            running.handlers.printLine?.(parsePrintLine(apdu.data, this.charset()));
          } catch {
            this.log.warn({}, "zvt: unreadable print line");
          }
          await this.answer(positiveAck());
          return;
        }
        case CMD.printTextBlock: {
          try {
            running.handlers.printTextBlock?.(parsePrintTextBlock(apdu.data, this.charset()));
          } catch {
            this.log.warn({}, "zvt: unreadable print text block");
          }
          await this.answer(positiveAck());
          return;
        }
        case CMD.completion: {
          let completion: Completion = {};
          try {
            completion = parseCompletion(apdu.data, this.charset());
          } catch {
            this.log.warn({ length: apdu.data.length }, "zvt: unreadable completion");
          }
          await this.answer(positiveAck());
          this.finish(running, { kind: "completion", completion });
          return;
        }
        case CMD.ptAbort:
          await this.ptAbort(running, apdu);
          return;
        case 0x0401: // set date/time in ECR: nothing to set, but answered
          await this.answer(positiveAck());
          return;
        default:
          this.log.info({ control: control.toString(16) }, "zvt: command not supported by the kiosk");
          await this.answer(negativeAck(0x83));
          return;
      }
    } catch (error) {
      this.finish(running, new ZvtLinkLostError(error instanceof Error ? error.message : String(error)));
    }
  }

  private async statusInformation(running: Running, apdu: Apdu): Promise<void> {
    if (running.timer) clearTimeout(running.timer);
    // Only a payment's (or a repeat's, reversal's, end-of-day's) command takes a 04 0F; any other
    // command met one that belongs to something earlier: never let it become a commitment.
    const reply = running.handlers.statusInformation
      ? await running.handlers.statusInformation(apdu.data)
      : negativeAck(0x66);
    if (this.running !== running) return;
    this.armT4(running);
    await this.answer(reply);
    const answered = running.handlers.statusInformationAnswered;
    if (this.link.confirmsDelivery) answered?.(reply);
    else if (answered) running.unconfirmedAnswer = reply;
  }

  /** The terminal speaks again within the command: it took our answer to its 04 0F. */
  private answerTaken(running: Running): void {
    const reply = running.unconfirmedAnswer;
    if (!reply) return;
    running.unconfirmedAnswer = undefined;
    running.handlers.statusInformationAnswered?.(reply);
  }

  private async ptAbort(running: Running, apdu: Apdu): Promise<void> {
    const { resultCode } = parsePtAbort(apdu.data);
    await this.answer(positiveAck());
    const unconfirmed = running.unconfirmedAnswer;
    running.unconfirmedAnswer = undefined;
    // On TCP an abort right after our positive answer proves nothing about it: the caller decides
    // what that means for the status it answered.
    const answerUnconfirmed = unconfirmed !== undefined && unconfirmed[0] === 0x80;
    this.finish(running, { kind: "abort", resultCode, ...(answerUnconfirmed ? { answerUnconfirmed } : {}) });
  }

  private armT4(running: Running, ms = running.t4Ms): void {
    if (running.timer) clearTimeout(running.timer);
    running.timer = setTimeout(() => {
      const abortApdu = running.abortOnT4;
      if (!abortApdu || this.running !== running) {
        this.finish(running, new ZvtTimeoutError("no completion within T4", "t4"));
        return;
      }
      // Ask the terminal to stop, and give it a moment to end the command properly.
      running.abortOnT4 = undefined;
      this.log.warn({}, "zvt: T4 expired, sending abort");
      running.timer = setTimeout(
        () => this.finish(running, new ZvtTimeoutError("no completion within T4 (abort unanswered)", "t4")),
        this.t3Ms * 2,
      );
      running.abortWaiter = (answer) => {
        running.abortWaiter = undefined;
        if (answer && answer.cls === 0x84 && answer.instr !== 0x00 && this.running === running) {
          // 84 83: too late, the host is contacted. The payment goes on: wait for its result under T4
          // (once more; then it is lost and recovery asks the terminal).
          this.log.warn({ answer: answer.instr.toString(16) }, "zvt: abort refused; waiting for the result");
          this.armT4(running);
        }
      };
      this.link.send(abortApdu).catch(() => {});
    }, ms);
  }
}
