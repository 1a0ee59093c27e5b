/** Reads a shipped systemd unit as directive → values (a directive may repeat), in file order. */
import fs from "node:fs";
import path from "node:path";

export const SYSTEMD_DIR = path.resolve("systemd");

export function unitDirectives(unit: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of fs.readFileSync(path.join(SYSTEMD_DIR, unit), "utf8").split("\n")) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m?.[1]) map.set(m[1], [...(map.get(m[1]) ?? []), m[2] ?? ""]);
  }
  return map;
}
