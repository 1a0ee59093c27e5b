/** What both backends share: door and service key state with change events, and the light modes. */
import { BaseDevice, type KioskIo, type KioskIoEvents, type LightMode, type LightName } from "../device.ts";

export abstract class KioskIoBase extends BaseDevice<KioskIoEvents> implements KioskIo {
  readonly kind = "gpio" as const;
  private door = false;
  private serviceKey = false;
  private headphones = false;
  protected readonly lights = new Map<LightName, LightMode>();

  get doorOpen(): boolean {
    return this.door;
  }

  get serviceKeyTurned(): boolean {
    return this.serviceKey;
  }

  get headphonesPlugged(): boolean {
    return this.headphones;
  }

  /** The mode each light was last set to. */
  lightModes(): Partial<Record<LightName, LightMode>> {
    return Object.fromEntries(this.lights);
  }

  abstract setLight(light: LightName, mode: LightMode): void;

  protected changeDoor(open: boolean): void {
    if (open === this.door) return;
    this.door = open;
    if (open) this.count("door_openings");
    this.emit("door", open);
  }

  protected changeHeadphones(plugged: boolean): void {
    if (plugged === this.headphones) return;
    this.headphones = plugged;
    if (plugged) this.count("headphone_insertions");
    this.emit("headphones", plugged);
  }

  protected changeServiceKey(turned: boolean): void {
    if (turned === this.serviceKey) return;
    this.serviceKey = turned;
    if (turned) this.count("service_key_turns");
    this.emit("serviceKey", turned);
  }
}
