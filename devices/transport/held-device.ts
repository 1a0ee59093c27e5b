/**
 * Which device a serial port really holds. A path is only a name: after an unplug and replug quicker
 * than a presence check it still exists, but names another device node.
 */
import fs from "node:fs";
import type { SerialPort } from "serialport";

/** The identity of the device node the port holds open, when the binding exposes its descriptor. */
export function heldDevice(port: SerialPort): fs.Stats | undefined {
  const fd = (port.port as { fd?: unknown } | undefined)?.fd;
  if (typeof fd !== "number") return undefined;
  try {
    return fs.fstatSync(fd);
  } catch {
    return undefined;
  }
}

/**
 * True while `path` exists and, when known, is still the device held open. A replugged adapter or a
 * new pty gets a new node, while the old one stays allocated as long as this port holds it.
 */
export function samePresentDevice(path: string, held: fs.Stats | undefined): boolean {
  let here: fs.Stats;
  try {
    here = fs.statSync(path);
  } catch {
    return false;
  }
  return !held || (here.rdev === held.rdev && here.ino === held.ino);
}
