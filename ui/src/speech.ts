/**
 * Plays what the daemon synthesises (GET /api/speech). One sentence at a time: a new screen or any
 * action by the visitor stops the previous one.
 */
import { type Language, speechUrl } from "./api.ts";

export class Speaker {
  enabled = false;
  private audio: HTMLAudioElement | null = null;
  private lastSpoken = "";

  speak(lang: Language, text: string): void {
    this.lastSpoken = text;
    if (!this.enabled || !text.trim()) return;
    this.stop();
    const audio = new Audio(speechUrl(lang, text));
    this.audio = audio;
    // Autoplay may be refused before the first touch; the text is on screen anyway.
    audio.play().catch(() => undefined);
  }

  /** Says the current screen again (after speech is switched on). */
  repeat(lang: Language): void {
    this.speak(lang, this.lastSpoken);
  }

  stop(): void {
    if (this.audio) {
      this.audio.pause();
      this.audio.removeAttribute("src");
      this.audio = null;
    }
  }
}
