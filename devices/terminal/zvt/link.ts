/**
 * APDU links: how whole APDUs travel over a byte stream. On TCP the APDU length is the only framing;
 * on a serial line every APDU is framed (DLE STX … DLE ETX CRC), answered with ACK/NAK within T2,
 * and repeated up to twice. Both sides of the wire (kiosk and simulator) use these classes.
 */
import { ApduStreamReader } from "./apdu.ts";
import { ACK, encodeFrame, FrameDecoder, NAK } from "./framing.ts";

export type WriteBytes = (data: Buffer) => Promise<void>;

/** The serial peer never acknowledged a frame after all repeats (or NAKed each one). */
export class TransmissionError extends Error {
  override readonly name = "TransmissionError";
}

export interface ApduLink {
  /** Sends one APDU; on serial, resolves once the peer ACKed it. */
  send(apdu: Buffer): Promise<void>;
  /**
   * True when `send` resolving proves the peer took the APDU (serial: its ACK). On TCP it proves only
   * that the local socket took the bytes; the terminal's next APDU is the proof.
   */
  readonly confirmsDelivery?: boolean;
  /** Bytes from the transport. */
  receive(chunk: Buffer): void;
  /** Forget partial input and fail a pending send (the transport dropped). */
  reset(reason: Error): void;
  /** Called with every whole APDU received. */
  onApdu: (apdu: Buffer) => void;
  /** Called on framing trouble (bad CRC, NAK received, retries), for logs and counters. */
  onFault: (fault: string) => void;
  /** Bytes written and read on the wire, for the benchmark. */
  readonly bytes: { written: number; read: number };
}

export class TcpApduLink implements ApduLink {
  readonly confirmsDelivery = false;
  private readonly reader = new ApduStreamReader();
  onApdu: (apdu: Buffer) => void = () => {};
  onFault: (fault: string) => void = () => {};
  readonly bytes = { written: 0, read: 0 };

  constructor(private readonly write: WriteBytes) {}

  async send(apdu: Buffer): Promise<void> {
    this.bytes.written += apdu.length;
    await this.write(apdu);
  }

  receive(chunk: Buffer): void {
    this.bytes.read += chunk.length;
    for (const apdu of this.reader.push(chunk)) this.onApdu(apdu);
  }

  reset(): void {
    this.reader.reset();
  }
}

export interface SerialLinkOptions {
  /** Max. gap between bytes of one frame (T1, default 200 ms). */
  t1Ms?: number;
  /** Max. wait for ACK/NAK after a frame (T2, default 5000 ms). */
  t2Ms?: number;
  /** Repeats after a NAK or T2 expiry (default 2). */
  retries?: number;
  /** With `faults.implicitAck`: how long an ACK is held back waiting for a frame of ours (default 100 ms, well inside T2). */
  implicitAckWindowMs?: number;
}

/** Fault injection, for the simulator and tests: each counter is spent one frame at a time. */
export interface SerialFaults {
  /** Answer the next N good frames with NAK instead of ACK (they are then not processed). */
  nakIncoming: number;
  /** Send the next N frames with a corrupted CRC. */
  corruptOutgoing: number;
  /** Process the next N frames but send no ACK (the peer repeats after T2). */
  silentAck: number;
  /**
   * Not a counter but a standing behaviour (Ingenico, "acknowledge often empty"): hold the ACK byte back
   * for up to `implicitAckWindowMs` and leave it out altogether when a frame of ours follows in that time.
   */
  implicitAck: boolean;
}

interface PendingSend {
  reject(error: Error): void;
  onAck(positive: boolean): void;
}

export class SerialApduLink implements ApduLink {
  readonly confirmsDelivery = true;
  private readonly decoder = new FrameDecoder();
  private readonly t1Ms: number;
  private readonly t2Ms: number;
  private readonly retries: number;
  private t1Timer: NodeJS.Timeout | undefined;
  private pending: PendingSend | undefined;
  private heldAck: NodeJS.Timeout | undefined;
  private readonly implicitAckWindowMs: number;
  private queue: Promise<void> = Promise.resolve();
  onApdu: (apdu: Buffer) => void = () => {};
  onFault: (fault: string) => void = () => {};
  readonly bytes = { written: 0, read: 0 };
  readonly faults: SerialFaults = { nakIncoming: 0, corruptOutgoing: 0, silentAck: 0, implicitAck: false };

  constructor(
    private readonly write: WriteBytes,
    options: SerialLinkOptions = {},
  ) {
    this.t1Ms = options.t1Ms ?? 200;
    this.t2Ms = options.t2Ms ?? 5000;
    this.retries = options.retries ?? 2;
    this.implicitAckWindowMs = options.implicitAckWindowMs ?? 100;
  }

  private raw(bytes: Buffer): Promise<void> {
    this.bytes.written += bytes.length;
    return this.write(bytes);
  }

  send(apdu: Buffer): Promise<void> {
    const run = this.queue.then(() => this.sendNow(apdu));
    this.queue = run.catch(() => {});
    return run;
  }

  private async sendNow(apdu: Buffer): Promise<void> {
    // Our frame answers the peer's: it stands for the ACK byte we held back (implicitAck behaviour).
    if (this.heldAck) clearTimeout(this.heldAck);
    this.heldAck = undefined;
    const frame = encodeFrame(apdu);
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      let bytes = frame;
      if (this.faults.corruptOutgoing > 0) {
        this.faults.corruptOutgoing--;
        bytes = Buffer.from(frame);
        bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
      }
      const answer = new Promise<boolean>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending = undefined;
          resolve(false);
        }, this.t2Ms);
        this.pending = {
          reject: (error) => {
            clearTimeout(timer);
            this.pending = undefined;
            reject(error);
          },
          onAck: (positive) => {
            clearTimeout(timer);
            this.pending = undefined;
            resolve(positive);
          },
        };
      });
      try {
        await this.raw(bytes);
      } catch (error) {
        this.pending?.reject(error instanceof Error ? error : new Error(String(error)));
      }
      if (await answer) return;
      this.onFault(attempt < this.retries ? "frame not acknowledged, repeating" : "frame not acknowledged");
    }
    throw new TransmissionError(`no ACK after ${this.retries + 1} attempts`);
  }

  receive(chunk: Buffer): void {
    this.bytes.read += chunk.length;
    for (const event of this.decoder.push(chunk)) {
      switch (event.type) {
        case "ack":
          this.pending?.onAck(true);
          break;
        case "nak":
          this.onFault("NAK received");
          this.pending?.onAck(false);
          break;
        case "bad":
          this.onFault(`bad frame: ${event.reason}`);
          this.raw(Buffer.from([NAK])).catch(() => {});
          break;
        case "noise":
          this.onFault(`stray byte 0x${event.byte.toString(16)}`);
          break;
        case "frame":
          this.acceptFrame(event.apdu);
          break;
      }
    }
    this.armT1();
  }

  private acceptFrame(apdu: Buffer): void {
    if (this.faults.nakIncoming > 0) {
      this.faults.nakIncoming--;
      this.raw(Buffer.from([NAK])).catch(() => {});
      return;
    }
    this.acknowledge();
    if (this.pending) {
      // The peer answered while we waited for its ACK byte: it got our frame. Sending it again would
      // repeat a command the terminal has already answered (a second payment, or a lost one).
      this.onFault("implicit ACK: a frame arrived instead of the ACK byte");
      this.pending.onAck(true);
    }
    this.onApdu(apdu);
  }

  private acknowledge(): void {
    if (this.faults.silentAck > 0) {
      this.faults.silentAck--;
      return;
    }
    if (this.heldAck) this.sendAck();
    if (!this.faults.implicitAck) {
      this.raw(Buffer.from([ACK])).catch(() => {});
      return;
    }
    this.heldAck = setTimeout(() => this.sendAck(), this.implicitAckWindowMs);
  }

  private sendAck(): void {
    if (this.heldAck) clearTimeout(this.heldAck);
    this.heldAck = undefined;
    this.raw(Buffer.from([ACK])).catch(() => {});
  }

  private armT1(): void {
    if (this.t1Timer) clearTimeout(this.t1Timer);
    this.t1Timer = undefined;
    if (!this.decoder.inFrame) return;
    this.t1Timer = setTimeout(() => {
      this.t1Timer = undefined;
      this.decoder.reset();
      this.onFault("inter-byte timeout (T1)");
      this.raw(Buffer.from([NAK])).catch(() => {});
    }, this.t1Ms);
  }

  reset(reason: Error): void {
    if (this.t1Timer) clearTimeout(this.t1Timer);
    this.t1Timer = undefined;
    if (this.heldAck) clearTimeout(this.heldAck);
    this.heldAck = undefined;
    this.decoder.reset();
    this.pending?.reject(reason);
  }
}
