/**
 * A stand-in for the office system ("Pojazd"/"Kierowca"), for the demo and the tests. It issues
 * slips signed with its own Ed25519 key, answers slip checks (open, paid, cancelled, or a changed
 * total), records payment notifications and refuses a second payment of a slip with 409.
 */
import type { PikSlipStatus } from "../../contracts/office-system.ts";
import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { signSlip, type SlipLine } from "../domain/slip.ts";
import { addDays, businessDay, compactMinute } from "../domain/time.ts";
import { type Answer, FakeReceiver, type FakeServerOptions, isRecord } from "./fake-server.ts";

export interface FakePikOptions extends FakeServerOptions {
  office: string;
  kid?: string;
  /** Ed25519 private key; a fresh one is generated when absent. */
  privateKey?: KeyObject;
  /**
   * What a check of a slip this fake did not issue answers. `not-found` (the default, what the tests
   * rely on): 404. `open`: the slip is open with no total (SPEC §6 makes `total` optional), for the demo,
   * whose office key is in the repository so that `oplatomat slip issue` can sign slips with it; the
   * kiosk has already checked the signature and the sum before it asks.
   */
  unknownSlips?: "not-found" | "open";
}

export interface IssueSlipInput {
  slip: string;
  caseRef?: string;
  lines: SlipLine[];
  /** `YYYY-MM-DD`, last day it may be paid; default 14 days from today. */
  valid?: string;
  issuedAt?: Date;
}

interface SlipState {
  status: PikSlipStatus["status"];
  /** Null for a slip learnt from its payment (`unknownSlips: open`): the office never said its total. */
  total: number | null;
  caseRef: string;
  paidBy: string | null;
}

export class FakePik extends FakeReceiver {
  readonly kid: string;
  readonly publicKeyPem: string;
  private readonly privateKey: KeyObject;
  private readonly slips = new Map<string, SlipState>();
  private readonly paymentList = new Map<string, Record<string, unknown>>();
  private readonly reversalList: Array<Record<string, unknown>> = [];

  private constructor(private readonly options: FakePikOptions) {
    super(options);
    this.kid = options.kid ?? "pikfake";
    this.privateKey = options.privateKey ?? generateKeyPairSync("ed25519").privateKey;
    this.publicKeyPem = createPublicKey(this.privateKey).export({ type: "spki", format: "pem" }).toString();
  }

  static start(options: FakePikOptions): Promise<FakePik> {
    return new FakePik(options).listen();
  }

  payments(): Array<Record<string, unknown>> {
    return [...this.paymentList.values()];
  }

  reversals(): Array<Record<string, unknown>> {
    return [...this.reversalList];
  }

  /** Issues a slip the way the office prints it: returns the signed `OPL1` payload. */
  issueSlip(input: IssueSlipInput): string {
    const issuedAt = input.issuedAt ?? new Date();
    const total = input.lines.reduce((a, l) => a + l.amount, 0);
    const valid = input.valid ?? addDays(businessDay(issuedAt), 14);
    const payload = signSlip(
      {
        office: this.options.office,
        slip: input.slip,
        caseRef: input.caseRef ?? "",
        issued: compactMinute(issuedAt),
        valid: valid.replaceAll("-", ""),
        total,
        lines: input.lines,
        kid: this.kid,
      },
      this.privateKey,
    );
    this.slips.set(input.slip, { status: "open", total, caseRef: input.caseRef ?? "", paidBy: null });
    return payload;
  }

  cancelSlip(slip: string): void {
    const s = this.slips.get(slip);
    if (s) s.status = "cancelled";
  }

  /** The slip was paid somewhere this kiosk does not know of (another desk, a bank transfer). */
  markPaid(slip: string, paidBy: string): void {
    const s = this.slips.get(slip);
    if (s) {
      s.status = "paid";
      s.paidBy = paidBy;
    }
  }

  /** The office changed the amount after printing: the slip's printed total is no longer right. */
  changeTotal(slip: string, total: number): void {
    const s = this.slips.get(slip);
    if (s) s.total = total;
  }

  slipStatus(slip: string): SlipState | undefined {
    const s = this.slips.get(slip);
    return s ? { ...s } : undefined;
  }

  protected handle(method: string, path: string, body: unknown): Answer {
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (method === "GET" && parts.length === 3 && parts[0] === "slips") {
      if (parts[1] !== this.options.office) return { status: 404, body: { code: "NOT_FOUND" } };
      const s = this.slips.get(parts[2]!);
      if (!s && this.options.unknownSlips === "open") return { status: 200, body: { status: "open" } };
      if (!s) return { status: 404, body: { code: "NOT_FOUND" } };
      const answer: PikSlipStatus = {
        status: s.status,
        ...(s.total === null ? {} : { total: s.total }),
        case: s.caseRef,
      };
      return { status: 200, body: answer };
    }
    if (method === "POST" && parts.length === 1 && parts[0] === "payments") return this.pay(body);
    if (method === "POST" && parts.length === 3 && parts[0] === "payments" && parts[2] === "reversal")
      return this.reverse(parts[1]!, body);
    return { status: 404, body: { code: "NOT_FOUND" } };
  }

  private pay(body: unknown): Answer {
    if (!isRecord(body) || typeof body.paymentId !== "string" || typeof body.total !== "number")
      return { status: 400, body: { code: "VALIDATION", detail: "paymentId and total are required" } };
    if (this.paymentList.has(body.paymentId))
      return { status: 409, body: { code: "CONFLICT", detail: "payment already recorded" } };
    const slipId = typeof body.slip === "string" ? body.slip : null;
    const slip = slipId ? this.knownSlip(slipId) : undefined;
    if (slip && slip.status === "paid")
      return { status: 409, body: { code: "SLIP_ALREADY_PAID", detail: `slip paid by ${slip.paidBy}` } };
    if (slip) {
      slip.status = "paid";
      slip.paidBy = body.paymentId;
    }
    this.paymentList.set(body.paymentId, body);
    return { status: 201, body: { paymentId: body.paymentId, status: "recorded" } };
  }

  /** The slip's state; under `unknownSlips: open` a slip first met in a payment is remembered from then on. */
  private knownSlip(slipId: string): SlipState | undefined {
    const known = this.slips.get(slipId);
    if (known || this.options.unknownSlips !== "open") return known;
    const learnt: SlipState = { status: "open", total: null, caseRef: "", paidBy: null };
    this.slips.set(slipId, learnt);
    return learnt;
  }

  private reverse(paymentId: string, body: unknown): Answer {
    const payment = this.paymentList.get(paymentId);
    if (!payment) return { status: 404, body: { code: "NOT_FOUND", detail: "no such payment" } };
    if (this.reversalList.some((r) => r.paymentId === paymentId))
      return { status: 409, body: { code: "CONFLICT", detail: "already reversed" } };
    this.reversalList.push(isRecord(body) ? { ...body, paymentId } : { paymentId });
    const slipId = typeof payment.slip === "string" ? payment.slip : null;
    const slip = slipId ? this.slips.get(slipId) : undefined;
    if (slip && slip.paidBy === paymentId) {
      slip.status = "open";
      slip.paidBy = null;
    }
    return { status: 201, body: { paymentId, status: "reversed" } };
  }
}
