/**
 * Where the product's files are, the contract between the build and the code that runs. Three layouts
 * run the same code: the sources (tsx, the tests), the release build in the repository's `dist/`, and
 * the installed tarball (`scripts/install.sh`). The build is an esbuild bundle (scripts/build-daemon.mjs):
 * a module's code may sit in any file under `dist/`, so no module may find a file relative to itself.
 * Every file a module reads is named relative to the root instead: the nearest directory above this
 * code that holds the package's `package.json` (the repository, or the installed package).
 * Shared by kiosk/ and hub/, which never import each other.
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

/** True when this code runs from the release build (JavaScript built from the sources). */
export const COMPILED = import.meta.url.endsWith(".js");

/**
 * A data file that a module reads, named by its place among the sources (`hub/store/migrations`):
 * there in the sources, under `dist/` in a build, where scripts/copy-build-assets.mjs (or the build
 * itself) put it.
 */
export function shippedFile(sourcePath: string): string {
  return COMPILED ? path.join(ROOT, "dist", sourcePath) : path.join(ROOT, sourcePath);
}
