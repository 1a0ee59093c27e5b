/**
 * A file a reader gets complete or not at all: written to `file.partial`, renamed over `file` when
 * whole, removed when the writing fails. A `file` that is not a regular file (`--out /dev/null`, a
 * FIFO, a terminal) is written as it is: renaming over it would replace the device with a regular
 * file, and run as root, `--out /dev/null` did (issue 17's measurements, docs/benchmarks.md "The
 * report's memory, fifth pass").
 */
import fs from "node:fs";

export interface CompleteFile {
  /** Where to write. */
  readonly path: string;
  /**
   * The open flags to write `path` with: `wx` for the partial file, so a link planted at
   * `file.partial` (in a shared directory like /tmp, by another local user) is never followed into
   * a file of whoever runs the report; `w` for a device or FIFO.
   */
  readonly flags: "w" | "wx";
  /** The writing is whole: `file` gets it. */
  commit(): void;
  /** The writing failed: nothing of it is left. */
  discard(): void;
}

export function completeFile(file: string): CompleteFile {
  if (isSpecialFile(file)) return { path: file, flags: "w", commit() {}, discard() {} };
  const partial = `${file}.partial`;
  // A partial left by a crash, or a link someone put there: removed (unlink never follows a link);
  // one put back before the write makes the exclusive open fail rather than write through it.
  fs.rmSync(partial, { force: true });
  return {
    path: partial,
    flags: "wx",
    commit: () => fs.renameSync(partial, file),
    discard: () => fs.rmSync(partial, { force: true }),
  };
}

/** Whether `file` exists and is neither a regular file nor a directory (a device, FIFO or socket). */
function isSpecialFile(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false;
  }
}
