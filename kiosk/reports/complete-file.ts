/**
 * A file a reader gets complete or not at all: written to `file.partial`, renamed over `file` when
 * whole, removed when the writing fails. A `file` that is not a regular file (`--out /dev/null`, a
 * FIFO, a terminal) is written as it is: renaming over it would replace the device with a regular
 * file, and run as root, `--out /dev/null` did (issue 17's measurements, docs/benchmarks.md "The
 * report's memory, fifth pass").
 */
import fs from "node:fs";
import path from "node:path";
import { finished } from "node:stream/promises";

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

/**
 * A file that cannot be written (its directory missing or not writable, a directory named, a full
 * disk): a sentence for the person who named it, not a stack trace. Nothing of it was left behind.
 */
export class OutputFileError extends Error {
  override readonly name = "OutputFileError";
}

/** Why the file system refused, in words, for the errors any file the commands write or read may meet. */
export const FILE_SYSTEM_WHY: Readonly<Record<string, string>> = {
  ENOTDIR: "a part of its path is not a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exhausted",
};

const WHY: Record<string, string> = {
  ...FILE_SYSTEM_WHY,
  ENOENT: "its directory does not exist",
  EISDIR: "it is a directory",
  EEXIST: "another file appeared in its place while writing",
};

/** `error` (from writing `file` or its partial) as an OutputFileError; other errors as they are. */
export function cannotWrite(file: string, error: unknown): unknown {
  if (error instanceof OutputFileError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== "string" || !(error as NodeJS.ErrnoException).syscall) return error;
  // A directory that exists but takes no new file (/proc) says ENOENT too.
  const why =
    code === "ENOENT" && fs.existsSync(path.dirname(path.resolve(file)))
      ? "it cannot be created there"
      : WHY[code];
  return new OutputFileError(`cannot write ${file}: ${why ?? code}`);
}

export function completeFile(file: string): CompleteFile {
  if (file === "") throw new OutputFileError("cannot write a file without a name");
  if (isDirectory(file)) throw new OutputFileError(`cannot write ${file}: it is a directory`);
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

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes `file` complete or not at all, through `write`, which gets the open stream. Errors of the
 * file itself (open, write, rename) are OutputFileErrors; a failure of `write` is thrown as it is.
 */
export async function writeCompleteFile(
  file: string,
  write: (out: fs.WriteStream) => Promise<void>,
  mode = 0o640,
): Promise<void> {
  const target = completeFile(file);
  let out: fs.WriteStream;
  if (target.flags === "wx") {
    // The partial file is opened here, not by the stream: a stream's failed open is an 'error' event
    // nobody may be listening to yet (the PDF writer's was not: a crash with a stack trace).
    let fd: number;
    try {
      fd = fs.openSync(target.path, target.flags, mode);
    } catch (e) {
      throw cannotWrite(file, e);
    }
    out = fs.createWriteStream("", { fd });
  } else {
    // A FIFO's open waits for its reader, which may be this very process: opened by the stream.
    out = fs.createWriteStream(target.path, { flags: target.flags });
  }
  let failed: unknown;
  out.on("error", (e) => {
    failed ??= e;
  });
  try {
    await write(out);
    out.end();
    await finished(out);
    target.commit();
  } catch (e) {
    out.destroy();
    target.discard();
    throw failed === undefined ? cannotWrite(file, e) : cannotWrite(file, failed);
  }
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
