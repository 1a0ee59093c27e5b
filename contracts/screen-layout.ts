/**
 * How a kiosk's panel is mounted and where its card terminal (PIN pad), receipt printer and code
 * reader sit relative to it (`kiosk.layout` in the configuration, served in GET /api/kiosk): the
 * visitor screens point at the real hardware. Shared by the daemon's configuration and the UI.
 */

/** Where a device sits relative to the screen. */
export type DevicePlace = "below-left" | "below" | "below-right" | "left" | "right";
export const DEVICE_PLACES: readonly DevicePlace[] = ["below-left", "below", "below-right", "left", "right"];

export interface KioskScreenLayout {
  /** `auto`: portrait when the panel is taller than wide. */
  orientation: "auto" | "portrait" | "landscape";
  pinPad: DevicePlace;
  printer: DevicePlace;
  scanner: DevicePlace;
}

/** The layout of a kiosk whose configuration says nothing about it. */
export const DEFAULT_SCREEN_LAYOUT: KioskScreenLayout = {
  orientation: "auto",
  pinPad: "below-right",
  printer: "below-left",
  scanner: "below",
};
