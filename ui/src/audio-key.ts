/**
 * The keypad's audio key ("*", NumpadMultiply) told apart from a "*" that a keyboard-wedge reader
 * types inside a scan (a reader in keypad-emulation mode sends the keypad's codes for digits and
 * symbols). A reader types far faster than a person: a "*" that follows another key closely belongs
 * to a burst, and a "*" followed closely by another key started one. So the audio key only counts once
 * it stood alone for `windowMs` on both sides; the visitor hears audio mode start that much later.
 */

/** Longer than the wedge's longest in-burst gap (wedge.ts, 100 ms), shorter than a person's pause. */
export const AUDIO_KEY_WINDOW_MS = 250;

export const AUDIO_KEY_CODE = "NumpadMultiply";

export interface KeyPress {
  key: string;
  code: string;
  /** `KeyboardEvent.timeStamp`, in milliseconds. */
  timeStamp: number;
}

export interface Timers {
  set(run: () => void, ms: number): number;
  clear(id: number): void;
}

const WINDOW_TIMERS: Timers = {
  set: (run, ms) => window.setTimeout(run, ms),
  clear: (id) => window.clearTimeout(id),
};

export class AudioKeyGate {
  private lastKeyAt = Number.NEGATIVE_INFINITY;
  private pending: number | undefined;

  constructor(
    private readonly onAudioKey: () => void,
    private readonly windowMs = AUDIO_KEY_WINDOW_MS,
    private readonly timers: Timers = WINDOW_TIMERS,
  ) {}

  /**
   * Every key press, in order. True when it is the audio key (the caller keeps it from typing); the
   * audio action follows `windowMs` later unless a key of a burst comes first.
   */
  key(press: KeyPress): boolean {
    // Only characters make a reader's burst; Shift inside one (for capitals) is no pause either.
    if (press.key.length !== 1) return false;
    const gap = press.timeStamp - this.lastKeyAt;
    this.lastKeyAt = press.timeStamp;
    const inBurst = gap <= this.windowMs;
    if (inBurst) this.cancel();
    if (press.code !== AUDIO_KEY_CODE || inBurst) return false;
    this.pending = this.timers.set(() => {
      this.pending = undefined;
      this.onAudioKey();
    }, this.windowMs);
    return true;
  }

  /**
   * A scan was read (its Enter never reaches the page: the wedge takes it): the burst is over, and a
   * "*" now is a person's, however soon it comes.
   */
  scanEnded(): void {
    this.cancel();
    this.lastKeyAt = Number.NEGATIVE_INFINITY;
  }

  /** Forgets a waiting audio key (the page goes away). */
  cancel(): void {
    if (this.pending !== undefined) this.timers.clear(this.pending);
    this.pending = undefined;
  }
}
