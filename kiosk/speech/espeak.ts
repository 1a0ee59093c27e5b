/**
 * Offline text-to-speech through Debian's `espeak-ng`. Audio is cached on disk by a hash of
 * (voice, text) so each screen's sentence is synthesised once; the process is spawned with an
 * argument array (never a shell) and the text is passed after `--` so it can never be read as an option.
 *
 * Bounded, because a visitor (or anything on the kiosk) can ask for speech without limit: one
 * espeak-ng runs at a time and at most `maxQueue` wait behind it (more is SpeechBusyError); the cache
 * directory holds at most `maxCacheBytes`, the least recently used files going first. The directory
 * is the cache's own: everything in it may be deleted.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";

export type SpeechLanguage = "pl" | "en" | "uk";

/** espeak-ng voice names; `en-gb` is the plain English voice in Debian's espeak-ng-data. */
export const ESPEAK_VOICES: Readonly<Record<SpeechLanguage, string>> = { pl: "pl", en: "en-gb", uk: "uk" };

export class SpeechUnavailableError extends Error {
  override name = "SpeechUnavailableError";
}

/** Too many sentences are waiting for the synthesiser; ask again later. */
export class SpeechBusyError extends Error {
  override name = "SpeechBusyError";
}

export const DEFAULT_SPEECH_CACHE_BYTES = 32 * 1024 * 1024;

export interface SpeechSynthesizerOptions {
  cacheDir: string;
  /** The executable; a test may point it at a missing path. */
  command?: string;
  /** Words per minute: a little slower than espeak's 175 default, easier to follow at a kiosk. */
  speed?: number;
  /** Kill a synthesis that hangs. */
  timeoutMs?: number;
  /** The cache directory's size limit (default 32 MiB). */
  maxCacheBytes?: number;
  /** Sentences that may wait behind the one being synthesised (default 4). */
  maxQueue?: number;
}

export class SpeechSynthesizer {
  private readonly cacheDir: string;
  private readonly command: string;
  private readonly speed: number;
  private readonly timeoutMs: number;
  private readonly maxCacheBytes: number;
  private readonly maxQueue: number;
  private readonly inFlight = new Map<string, Promise<string>>();
  /** The tail of the one-at-a-time queue of syntheses. */
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;

  constructor(options: SpeechSynthesizerOptions) {
    this.cacheDir = options.cacheDir;
    this.command = options.command ?? "espeak-ng";
    this.speed = options.speed ?? 150;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxCacheBytes = options.maxCacheBytes ?? DEFAULT_SPEECH_CACHE_BYTES;
    this.maxQueue = options.maxQueue ?? 4;
  }

  /** The cache file name for a sentence: stable across restarts, no user text in file names. */
  cacheKey(language: SpeechLanguage, text: string): string {
    return createHash("sha256")
      .update(`${ESPEAK_VOICES[language]}\u0000${this.speed}\u0000${text}`)
      .digest("hex");
  }

  /** Returns the path of a WAV file speaking `text`, synthesising it if it is not cached yet. */
  async synthesize(language: SpeechLanguage, text: string): Promise<string> {
    const key = this.cacheKey(language, text);
    const file = path.join(this.cacheDir, `${key}.wav`);
    if (await isNonEmptyFile(file)) {
      // Touched on use, so the size limit evicts the sentences nobody asked for lately.
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
      return file;
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    // One waiting slot for the running job plus maxQueue behind it.
    if (this.queued > this.maxQueue) throw new SpeechBusyError("speech synthesis is busy");
    this.queued++;
    const job = this.queue
      .then(() => this.render(language, text, file))
      .then(async (written) => {
        await this.trimCache(written);
        return written;
      })
      .finally(() => {
        this.queued--;
        this.inFlight.delete(key);
      });
    this.queue = job.catch(() => undefined);
    this.inFlight.set(key, job);
    return job;
  }

  /** Deletes the least recently used files until the directory fits its limit (never `keep`). */
  private async trimCache(keep: string): Promise<void> {
    const entries = await readdir(this.cacheDir, { withFileTypes: true });
    const files: Array<{ file: string; size: number; used: number }> = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const file = path.join(this.cacheDir, entry.name);
      const info = await stat(file).catch(() => undefined);
      if (!info) continue;
      // A partial file of a synthesis that was killed with the daemon is garbage after a minute.
      if (entry.name.endsWith(".part") && Date.now() - info.mtimeMs > 60_000) {
        await rm(file, { force: true });
        continue;
      }
      files.push({ file, size: info.size, used: info.mtimeMs });
    }
    let total = files.reduce((sum, f) => sum + f.size, 0);
    files.sort((a, b) => a.used - b.used);
    for (const f of files) {
      if (total <= this.maxCacheBytes) break;
      if (f.file === keep || f.file.endsWith(".part")) continue;
      await rm(f.file, { force: true });
      total -= f.size;
    }
  }

  private async render(language: SpeechLanguage, text: string, file: string): Promise<string> {
    await mkdir(this.cacheDir, { recursive: true });
    // Written to a temporary name and renamed, so a reader never sees half a file.
    const partial = `${file}.${process.pid}.${Date.now()}.part`;
    const args = ["-v", ESPEAK_VOICES[language], "-s", String(this.speed), "-w", partial, "--", text];
    try {
      await runProcess(this.command, args, this.timeoutMs);
      await rename(partial, file);
      return file;
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }
}

async function isNonEmptyFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 44;
  } catch {
    return false;
  }
}

function runProcess(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (command.includes("/") && !existsSync(command)) {
      reject(new SpeechUnavailableError(`${command} is not installed`));
      return;
    }
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], shell: false });
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      if (stderr.length < 2000) stderr += chunk;
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === "ENOENT"
          ? new SpeechUnavailableError(`${command} is not installed`)
          : new Error(`${command} failed to start: ${error.message}`),
      );
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${signal ?? code}: ${stderr.trim()}`));
    });
  });
}
