/**
 * What a visit pays for, from what the visitor brought: a scanned slip or transfer code, a basket
 * of services and slips (SPEC §4), or one more slip or service into the summary on screen. Every
 * slip is checked as a scanned one is (SPEC §1 order); a refusal is reported to the flow, which
 * shows and audits it. Nothing here writes a session: the flow stores what this returns.
 */
import type { KioskConfig } from "../config/types.ts";
import { addToBasket, type BasketRequestItem, buildBasket } from "../domain/basket.ts";
import { priceListFor } from "../domain/catalog.ts";
import { type PaymentLine, slipLines } from "../domain/lines.ts";
import { withoutLineEnd } from "../domain/signature.ts";
import type { Slip } from "../domain/slip.ts";
import { businessDay } from "../domain/time.ts";
import type { SessionContents, SessionRow } from "../store/sessions.ts";
import { MAX_PAYMENT_ITEMS, newSlip, sessionContents, storedContents } from "./basket-contents.ts";
import { FlowError } from "./errors.ts";
import { type OpenAmount, openAmountOf } from "./open-amount.ts";
import type { FlowDependencies } from "./ports.ts";
import { checkScannedSlip, type SlipVerdict } from "./slip-check.ts";
import { paidSlipInfo, type SlipReprintDependencies } from "./slip-reprint.ts";
import { type TransferScan, transferCodeLine } from "./transfer-scan.ts";

/** An item of `POST /api/basket`: a catalog service, or a slip by its OPL1 payload. */
export type BasketItem = BasketRequestItem | { slip: string };

/** The contents of a new session and the journal's reason for it. */
export interface NewVisit {
  contents: SessionContents;
  reason: string;
  /** SPEC §1b: a `000000` transfer code leaves the amount to the visitor (not yet tied to a session). */
  openAmount: OpenAmount | null;
}

export interface BasketBuilderDependencies
  extends Pick<FlowDependencies, "config" | "store" | "trustedKeys" | "checkSlip" | "log"> {
  /** What a paid slip's reprint needs (SPEC §1a): the refusal of a paid slip tells whether one is left. */
  slipReprints: () => SlipReprintDependencies;
  /** Shows and audits a refused slip, then throws its FlowError. */
  refuse(verdict: Extract<SlipVerdict, { ok: false }>, payload: string): never;
  now: () => Date;
}

/** A scanned code without its trailing line break (keyboard wedges end a scan with Enter). */
export function scannedPayload(raw: string): string {
  return withoutLineEnd(raw);
}

export class BasketBuilder {
  constructor(private readonly deps: BasketBuilderDependencies) {}

  private get config(): KioskConfig {
    return this.deps.config;
  }

  catalog(): ReturnType<typeof priceListFor> {
    return priceListFor(this.config.catalog, businessDay(this.deps.now(), this.config.kiosk.timezone));
  }

  /** A scanned transfer code (SPEC §1b) or slip: the new session's contents. */
  async scanned(payload: string, now: Date): Promise<NewVisit> {
    const transfer = this.transferCode(payload);
    if (transfer) {
      const { line, amountToEnter } = transfer;
      return {
        contents: sessionContents(this.config, [], [line]),
        reason: "transfer code scanned",
        openAmount: openAmountOf(line, amountToEnter, null),
      };
    }
    const slip = await this.checkedSlip(payload, now, []);
    return {
      contents: sessionContents(this.config, [newSlip(slip)], slipLines(slip, this.config.components)),
      reason: `slip ${slip.slip} scanned`,
      openAmount: null,
    };
  }

  /** A basket of services and slips (SPEC §4), in the order given; every slip checked as one is. */
  async basket(items: readonly BasketItem[], now: Date): Promise<NewVisit> {
    const serviceLines = this.serviceLines(items);
    const slips: Slip[] = [];
    const lines: PaymentLine[] = [];
    for (const item of items) {
      if ("slip" in item) {
        const inBasket = slips.map((x) => x.slip);
        const slip = await this.checkedSlip(scannedPayload(item.slip), now, inBasket);
        slips.push(slip);
        lines.push(...slipLines(slip, this.config.components));
      } else {
        lines.push(serviceLines.shift() as PaymentLine);
      }
    }
    return {
      contents: sessionContents(this.config, slips.map(newSlip), lines),
      reason: slips.length > 0 ? `basket built with ${slips.length} slip(s)` : "basket built",
      openAmount: null,
    };
  }

  /** The basket's service lines in order; a problem names the item's index in the whole basket. */
  private serviceLines(items: readonly BasketItem[]): PaymentLine[] {
    const services = items.flatMap((item, index) => ("slip" in item ? [] : [{ item, index }]));
    if (services.length === 0) return [];
    const result = buildBasket(
      services.map((x) => x.item),
      this.catalog(),
    );
    if (!result.ok) {
      const problems = result.problems.map((p) => ({ ...p, index: services[p.index]?.index ?? p.index }));
      throw new FlowError("VALIDATION", "the basket is not valid", { details: problems });
    }
    return result.lines;
  }

  /** The summary `row` with one more slip (SPEC §4 `POST /api/session/slips`), checked as scanned. */
  async withSlip(
    row: SessionRow,
    payload: string,
    now: Date,
  ): Promise<{ contents: SessionContents; slip: Slip }> {
    const held = this.held(row);
    this.assertRoomFor(held, 1);
    const slip = await this.checkedSlip(
      payload,
      now,
      held.slips.map((x) => x.id),
    );
    const contents = sessionContents(
      this.config,
      [...held.slips, newSlip(slip)],
      [...held.lines, ...slipLines(slip, this.config.components)],
    );
    return { contents, slip };
  }

  /**
   * The summary `row` with a transfer code's line added (SPEC §1b; the cash desk's scan into an open
   * basket, §10), or null when the payload is no transfer code (it may be a slip). A `000000` code
   * is refused beside a line of the same service: the amount typed later would land on both.
   */
  withTransferCode(
    row: SessionRow,
    payload: string,
  ): { contents: SessionContents; openAmount: OpenAmount | null } | null {
    const transfer = this.transferCode(payload);
    if (!transfer) return null;
    const held = this.held(row);
    this.assertRoomFor(held, 1);
    const { line, amountToEnter } = transfer;
    if (amountToEnter && held.lines.some((l) => l.code === line.code && l.slip === undefined)) {
      throw new FlowError("VALIDATION", `the payment already holds ${line.code}: pay this code on its own`);
    }
    return {
      contents: sessionContents(this.config, held.slips, [...held.lines, line]),
      openAmount: openAmountOf(line, amountToEnter, row.id),
    };
  }

  /**
   * The summary `row` with catalog services added (the cash desk's basket grows item by item); a
   * fixed-price service already in it raises that line's quantity (domain/basket.ts addToBasket).
   */
  withServices(row: SessionRow, items: readonly BasketRequestItem[]): SessionContents {
    const held = this.held(row);
    const result = addToBasket(held.lines, items, this.catalog());
    // Counted after merging: a service that only raises a quantity takes no room of its own.
    const services = (lines: readonly PaymentLine[]) => lines.filter((l) => l.slip === undefined).length;
    this.assertRoomFor(held, result.ok ? services(result.lines) - services(held.lines) : items.length);
    if (!result.ok)
      throw new FlowError("VALIDATION", "the services are not valid", { details: result.problems });
    return sessionContents(this.config, held.slips, result.lines);
  }

  private held(row: SessionRow): ReturnType<typeof storedContents> {
    return storedContents(this.deps.store.slips(row.id), this.deps.store.lines(row.id));
  }

  /** A payment holds at most MAX_PAYMENT_ITEMS slips and services (the fee and slip lines aside). */
  private assertRoomFor(held: ReturnType<typeof storedContents>, adding: number): void {
    const count = held.slips.length + held.lines.filter((l) => l.slip === undefined).length;
    if (count + adding > MAX_PAYMENT_ITEMS) {
      throw new FlowError("VALIDATION", `at most ${MAX_PAYMENT_ITEMS} slips and services in one payment`);
    }
  }

  /** A transfer code's line; one the kiosk does not take is refused as a slip is (shown, audited). */
  private transferCode(payload: string): TransferScan | null {
    const transfer = transferCodeLine(this.config, this.catalog(), payload);
    if (transfer && "refused" in transfer) {
      this.deps.refuse({ ok: false, code: "SLIP_UNREADABLE", detail: transfer.refused }, payload);
    }
    return transfer;
  }

  /** Checks one slip (SPEC §1 order); a refusal goes to the flow, which shows it and throws. */
  private async checkedSlip(payload: string, now: Date, inBasket: readonly string[]): Promise<Slip> {
    const verdict = await checkScannedSlip(
      {
        config: this.config,
        trustedKeys: this.deps.trustedKeys,
        slipTaken: (office, slip) => this.deps.store.slipTaken(office, slip) !== null,
        paidSlip: (office, slip) => paidSlipInfo(this.deps.slipReprints(), office, slip, now),
        ...(this.deps.checkSlip ? { checkSlip: this.deps.checkSlip } : {}),
        acceptedOffline: (slip, reason) =>
          this.deps.log.warn(
            { slip, ...(reason ? { reason } : {}) },
            "office system gave no usable answer; slip accepted by offline policy",
          ),
      },
      payload,
      now,
      inBasket,
    );
    if (!verdict.ok) this.deps.refuse(verdict, payload);
    return verdict.slip;
  }
}
