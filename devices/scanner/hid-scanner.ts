/**
 * A QR reader in HID-POS mode (usage page 0x8C) through node-hid. It is found by its stable identity
 * — vendor id, product id and, when configured, serial number — never by a hidraw node number, and
 * looked for again with backoff after an unplug (node-hid reports an unplug as a read error).
 * node-hid sits behind `HidBackend` so replayed reports can drive the same code in tests.
 */
import type { HealthResult } from "../device.ts";
import type { DeviceLogger } from "../transport/transport.ts";
import { silentLogger } from "../transport/transport.ts";
import { ArmedScanner } from "./armed-scanner.ts";
import { DEFAULT_LAYOUT, HID_POS_USAGE_PAGE, HidPosReassembler, type HidPosLayout } from "./hid-pos.ts";

export interface HidIdentity {
  vendorId: number;
  productId: number;
  serialNumber?: string;
}

export interface HidDeviceInfo {
  path?: string;
  vendorId: number;
  productId: number;
  serialNumber?: string;
  usagePage?: number;
}

/** One open HID interface: input reports as `data`, an unplug as `error`. */
export interface HidHandle {
  on(event: "data", listener: (report: Buffer) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

export interface HidBackend {
  devices(vendorId: number, productId: number): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidHandle>;
}

/** The real backend: node-hid's async API, loaded only when a HID reader is configured. */
export async function nodeHidBackend(): Promise<HidBackend> {
  const hid = await import("node-hid");
  return {
    devices: async (vendorId, productId) =>
      (await hid.devicesAsync(vendorId, productId)).map((d) => ({
        ...(d.path ? { path: d.path } : {}),
        vendorId: d.vendorId,
        productId: d.productId,
        ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}),
        ...(d.usagePage !== undefined ? { usagePage: d.usagePage } : {}),
      })),
    open: async (path) => {
      const device = await hid.HIDAsync.open(path);
      return {
        on: (event: "data" | "error", listener: (arg: never) => void) =>
          device.on(event, listener as (...args: unknown[]) => void),
        close: () => device.close(),
      } as HidHandle;
    },
  };
}

export interface HidScannerOptions {
  identity: HidIdentity;
  layout?: HidPosLayout;
  /** First and largest delay between attempts to find the reader (default 500 ms … 5000 ms). */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** Picks the reader's HID-POS interface among those with the right vendor/product (and serial). */
export function selectHidPos(devices: HidDeviceInfo[], identity: HidIdentity): HidDeviceInfo | undefined {
  const candidates = devices.filter(
    (d) =>
      d.vendorId === identity.vendorId &&
      d.productId === identity.productId &&
      (identity.serialNumber === undefined || d.serialNumber === identity.serialNumber) &&
      d.path !== undefined,
  );
  return (
    candidates.find((d) => d.usagePage === HID_POS_USAGE_PAGE) ??
    candidates.find((d) => d.usagePage === undefined)
  );
}

export class HidPosScanner extends ArmedScanner {
  private handle: HidHandle | undefined;
  private readonly reassembler: HidPosReassembler;
  private wanted = false;
  private timer: NodeJS.Timeout | undefined;
  private delay: number;
  private readonly initialDelay: number;
  private readonly maxDelay: number;
  private backend: HidBackend | undefined;

  constructor(
    private readonly options: HidScannerOptions,
    private readonly backendFactory: () => Promise<HidBackend> = nodeHidBackend,
    private readonly log: DeviceLogger = silentLogger,
    name = "scanner",
  ) {
    super(name);
    this.reassembler = new HidPosReassembler(options.layout ?? DEFAULT_LAYOUT);
    this.initialDelay = options.initialDelayMs ?? 500;
    this.maxDelay = options.maxDelayMs ?? 5000;
    this.delay = this.initialDelay;
  }

  async open(): Promise<void> {
    this.wanted = true;
    this.setState("offline");
    await this.attempt();
  }

  async close(): Promise<void> {
    this.wanted = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => {});
    this.setState("closed");
  }

  async checkHealth(): Promise<HealthResult> {
    const id = this.options.identity;
    const ok = this.state === "idle";
    return {
      ok,
      state: this.state,
      message: ok ? "HID-POS reader connected" : "HID-POS reader missing",
      details: {
        vendorId: id.vendorId,
        productId: id.productId,
        serialNumber: id.serialNumber ?? null,
        malformedReports: this.reassembler.malformed,
      },
    };
  }

  private async attempt(): Promise<void> {
    if (!this.wanted || this.handle) return;
    try {
      this.backend ??= await this.backendFactory();
      const id = this.options.identity;
      const found = selectHidPos(await this.backend.devices(id.vendorId, id.productId), id);
      if (!found?.path) throw new Error("HID-POS reader not found");
      const handle = await this.backend.open(found.path);
      if (!this.wanted) {
        await handle.close().catch(() => {});
        return;
      }
      this.handle = handle;
      this.reassembler.reset();
      this.delay = this.initialDelay;
      handle.on("data", (report) => {
        const code = this.reassembler.push(report);
        if (code !== undefined) this.deliver(code);
      });
      handle.on("error", (error) => this.lost(handle, error));
      this.setState("idle");
      this.log.info({ path: found.path }, "HID-POS reader open");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.lastError?.message !== message) this.recordError("offline", message);
      this.schedule();
    }
  }

  private lost(handle: HidHandle, error: Error): void {
    if (this.handle !== handle) return;
    this.handle = undefined;
    handle.close().catch(() => {});
    this.count("disconnects");
    this.recordError("offline", `HID-POS reader lost: ${error.message}`);
    this.setState("offline");
    this.schedule();
  }

  private schedule(): void {
    if (!this.wanted || this.timer) return;
    const delay = this.delay;
    this.delay = Math.min(this.delay * 2, this.maxDelay);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.attempt();
    }, delay);
    this.timer.unref?.();
  }
}
