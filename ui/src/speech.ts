/**
 * Plays what the daemon synthesises (POST /api/speech `{ id, language, params }`): a sentence of the
 * catalogue by id, never free text. Sentences play one after the other (issue 18 finding 1): a
 * terminal prompt waits for the one before it to finish instead of cutting it off. A new screen or
 * the visitor moving focus interrupts what is playing (`interrupt`), as a screen reader does; what
 * follows from it (the focused control after the screen's sentence) is queued behind (`queue`).
 */
import { type Language, speechAudio } from "./api.ts";
import type { ErrorCode } from "./i18n/index.ts";
import { SPEECH_ERROR_CODES, type SpeechMessage } from "./i18n/spoken.ts";

/** An error code the catalogue knows, else UNKNOWN (the daemon refuses codes it does not know). */
export function speakableCode(code: string): ErrorCode {
  return (SPEECH_ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : "UNKNOWN";
}

export type SpeakMode = "interrupt" | "queue";

interface Queued {
  audio: Promise<Blob | null>;
}

/** More waiting than this is stale: the oldest queued sentences are dropped. */
const MAX_QUEUE = 8;

export class Speaker {
  enabled = false;
  private audio: HTMLAudioElement | null = null;
  private objectUrl: string | null = null;
  private readonly queue: Queued[] = [];
  private aborts = new AbortController();
  private playing = false;
  private lastScreen: { lang: Language; message: SpeechMessage } | null = null;

  /**
   * Says `message`. `screen` marks the sentence of the screen now shown, the one `repeat` says again
   * (it is remembered even while speech is off, so switching speech on says where the visitor is).
   */
  speak(lang: Language, message: SpeechMessage, mode: SpeakMode = "interrupt", screen = false): void {
    if (screen) this.lastScreen = { lang, message };
    if (!this.enabled) return;
    if (mode === "interrupt") this.stop();
    if (this.queue.length >= MAX_QUEUE) this.queue.shift();
    // Asked for at once, so the daemon synthesises while the sentence before is still playing.
    const audio = speechAudio(lang, message, this.aborts.signal).catch(() => null);
    this.queue.push({ audio });
    if (!this.playing) void this.playNext();
  }

  /** Says the current screen again (after speech is switched on, or on the audio key). */
  repeat(lang: Language, mode: SpeakMode = "interrupt"): void {
    if (this.lastScreen) this.speak(lang, this.lastScreen.message, mode);
  }

  private async playNext(): Promise<void> {
    const next = this.queue.shift();
    if (!next) {
      this.playing = false;
      return;
    }
    this.playing = true;
    const aborts = this.aborts;
    const blob = await next.audio;
    if (aborts !== this.aborts) return;
    // Busy, rate-limited or off: the text is on screen; go on with the next sentence.
    if (!blob) return this.playNext();
    this.release();
    this.objectUrl = URL.createObjectURL(blob);
    const audio = new Audio(this.objectUrl);
    this.audio = audio;
    const done = () => {
      if (this.audio === audio) void this.playNext();
    };
    audio.addEventListener("ended", done, { once: true });
    audio.addEventListener("error", done, { once: true });
    // Autoplay may be refused before the first touch; the text is on screen anyway.
    audio.play().catch(done);
  }

  /** Silence: what plays stops, what waits is dropped, what is being fetched is abandoned. */
  stop(): void {
    this.aborts.abort();
    this.aborts = new AbortController();
    this.queue.length = 0;
    this.playing = false;
    this.release();
  }

  private release(): void {
    if (this.audio) {
      this.audio.pause();
      this.audio.removeAttribute("src");
      this.audio = null;
    }
    if (this.objectUrl) {
      URL.revokeObjectURL(this.objectUrl);
      this.objectUrl = null;
    }
  }
}
