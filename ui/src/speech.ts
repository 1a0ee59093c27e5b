/**
 * Plays what the daemon synthesises (POST /api/speech `{ id, language, params }`): a sentence of the
 * catalogue by id, never free text. One sentence at a time: a new screen or any action by the
 * visitor stops the previous one.
 */
import { type Language, speechAudio } from "./api.ts";
import type { ErrorCode } from "./i18n/index.ts";
import { SPEECH_ERROR_CODES, type SpeechMessage } from "./i18n/spoken.ts";

/** An error code the catalogue knows, else UNKNOWN (the daemon refuses codes it does not know). */
export function speakableCode(code: string): ErrorCode {
  return (SPEECH_ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : "UNKNOWN";
}

export class Speaker {
  enabled = false;
  private audio: HTMLAudioElement | null = null;
  private pending: AbortController | null = null;
  private objectUrl: string | null = null;
  private lastSpoken: SpeechMessage | null = null;

  speak(lang: Language, message: SpeechMessage): void {
    this.lastSpoken = message;
    if (!this.enabled) return;
    this.stop();
    const pending = new AbortController();
    this.pending = pending;
    speechAudio(lang, message, pending.signal)
      .then((blob) => {
        if (this.pending !== pending) return;
        this.pending = null;
        this.objectUrl = URL.createObjectURL(blob);
        const audio = new Audio(this.objectUrl);
        this.audio = audio;
        // Autoplay may be refused before the first touch; the text is on screen anyway.
        audio.play().catch(() => undefined);
      })
      // Busy, rate-limited or off: the text is on screen; nothing to do.
      .catch(() => undefined);
  }

  /** Says the current screen again (after speech is switched on). */
  repeat(lang: Language): void {
    if (this.lastSpoken) this.speak(lang, this.lastSpoken);
  }

  stop(): void {
    this.pending?.abort();
    this.pending = null;
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
