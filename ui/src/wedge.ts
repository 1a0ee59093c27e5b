/**
 * Keyboard-wedge QR readers type the code as a burst of key presses ending in Enter, far faster than
 * any person. A burst of at least `minLength` characters whose average gap is under `maxAverageGapMs`
 * is a scan; slower typing (a visitor entering a reference) is left alone.
 *
 * A gap longer than `maxGapMs` normally starts a new burst, so a person's keys before a scan are not
 * glued to it. Once a fast run of `minLength` characters is under way, though, a pause of up to
 * `maxStallMs` is taken as the browser being busy (the keys were queued, the scanner did not stop)
 * and the burst goes on.
 */
export interface WedgeOptions {
  maxAverageGapMs: number;
  maxGapMs: number;
  maxStallMs: number;
  minLength: number;
}

export const DEFAULT_WEDGE: WedgeOptions = {
  maxAverageGapMs: 30,
  maxGapMs: 100,
  maxStallMs: 1000,
  minLength: 8,
};

export type WedgeResult =
  | { kind: "none" }
  | { kind: "char"; startsBurst: boolean }
  | { kind: "scan"; payload: string };

export class WedgeDetector {
  private buffer = "";
  private firstTime = 0;
  private lastTime = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE) {}

  private averageUntil(time: number): number {
    return (time - this.firstTime) / Math.max(1, this.buffer.length);
  }

  /** Whether a key after `gap` ms still belongs to the burst in the buffer. */
  private continues(gap: number): boolean {
    if (this.buffer === "") return false;
    if (gap <= this.options.maxGapMs) return true;
    const fastRun =
      this.buffer.length >= this.options.minLength &&
      this.averageUntil(this.lastTime) <= this.options.maxAverageGapMs;
    return fastRun && gap <= this.options.maxStallMs;
  }

  /** One key press (`KeyboardEvent.key`) at `time` milliseconds. */
  feed(key: string, time: number): WedgeResult {
    const gap = time - this.lastTime;
    if (key === "Enter") {
      const payload = this.buffer;
      const scan =
        payload.length >= this.options.minLength &&
        this.continues(gap) &&
        this.averageUntil(time) <= this.options.maxAverageGapMs;
      this.reset();
      return scan ? { kind: "scan", payload } : { kind: "none" };
    }
    if (key.length !== 1) {
      // Shift and other modifiers arrive inside a burst; anything else ends it.
      if (key !== "Shift" && key !== "AltGraph" && key !== "CapsLock") this.reset();
      return { kind: "none" };
    }
    const startsBurst = !this.continues(gap);
    this.buffer = startsBurst ? key : this.buffer + key;
    if (startsBurst) this.firstTime = time;
    this.lastTime = time;
    return { kind: "char", startsBurst };
  }

  reset(): void {
    this.buffer = "";
    this.lastTime = Number.NEGATIVE_INFINITY;
  }
}

/** The focused element, looking through shadow roots. */
export function deepActiveElement(root: Document | ShadowRoot = document): Element | null {
  const active = root.activeElement;
  if (active?.shadowRoot) return deepActiveElement(active.shadowRoot) ?? active;
  return active;
}

/**
 * Listens on the whole document (capture phase, before any screen sees the keys). The Enter that
 * ends a scan is swallowed so it does not also press the focused button, and text the burst typed
 * into a focused field is put back as it was.
 */
export function attachWedge(
  doc: Document,
  onScan: (payload: string) => void,
  options: WedgeOptions = DEFAULT_WEDGE,
): () => void {
  const detector = new WedgeDetector(options);
  let field: { input: HTMLInputElement | HTMLTextAreaElement; value: string } | null = null;
  const onKey = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const result = detector.feed(event.key, event.timeStamp);
    if (result.kind === "char" && result.startsBurst) {
      const active = deepActiveElement(doc);
      field =
        active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement
          ? { input: active, value: active.value }
          : null;
    }
    if (result.kind === "char" && !result.startsBurst && event.key === " ") {
      // A space inside a burst (a transfer code's payee and title have them) would press the
      // focused button; it is the reader's, not the visitor's.
      event.preventDefault();
    }
    if (result.kind === "scan") {
      event.preventDefault();
      event.stopImmediatePropagation();
      if (field) {
        field.input.value = field.value;
        field.input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
      }
      field = null;
      onScan(result.payload);
    }
  };
  doc.addEventListener("keydown", onKey, { capture: true });
  return () => doc.removeEventListener("keydown", onKey, { capture: true });
}
