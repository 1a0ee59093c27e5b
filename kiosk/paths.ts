/**
 * Where the installed product's files are. The sources run from `kiosk/`, a release build from
 * `dist/kiosk/`, so a path written relative to one module would be wrong in the other: the root is
 * the nearest directory above this module that holds the package's `package.json`.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(start: string): string {
  for (let dir = start, depth = 0; depth < 8; depth++) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`oplatomat: no package.json above ${start}`);
}

export const ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** True when this code runs from the release build (JavaScript compiled from the sources). */
export const COMPILED = import.meta.url.endsWith(".js");

/**
 * A module named by its source path, as the running build has it: a compiled build carries `.js`
 * files where the sources have `.ts`.
 */
export function asBuilt(url: URL): URL {
  return COMPILED && url.pathname.endsWith(".ts") ? new URL(url.href.replace(/\.ts$/, ".js")) : url;
}
