/**
 * Keyboard-wedge QR readers type the code as a burst of key presses ending in Enter, far faster than
 * any person. A burst of at least `minLength` characters whose average gap is under `maxAverageGapMs`
 * is a scan; slower typing (a visitor entering a reference) is left alone. A single gap longer than
 * `maxGapMs` starts a new burst: the average tolerates the odd late key of a busy machine, the
 * ceiling keeps a person's pause from joining two bursts.
 */
export interface WedgeOptions {
  maxAverageGapMs: number;
  maxGapMs: number;
  minLength: number;
}

export const DEFAULT_WEDGE: WedgeOptions = { maxAverageGapMs: 30, maxGapMs: 100, minLength: 8 };

export type WedgeResult =
  | { kind: "none" }
  | { kind: "char"; startsBurst: boolean }
  | { kind: "scan"; payload: string };

export class WedgeDetector {
  private buffer = "";
  private firstTime = 0;
  private lastTime = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE) {}

  /** One key press (`KeyboardEvent.key`) at `time` milliseconds. */
  feed(key: string, time: number): WedgeResult {
    const gap = time - this.lastTime;
    if (key === "Enter") {
      const payload = this.buffer;
      const average = (time - this.firstTime) / Math.max(1, payload.length);
      const fast = gap <= this.options.maxGapMs && average <= this.options.maxAverageGapMs;
      this.reset();
      return fast && payload.length >= this.options.minLength ? { kind: "scan", payload } : { kind: "none" };
    }
    if (key.length !== 1) {
      // Shift and other modifiers arrive inside a burst; anything else ends it.
      if (key !== "Shift" && key !== "AltGraph" && key !== "CapsLock") this.reset();
      return { kind: "none" };
    }
    const startsBurst = gap > this.options.maxGapMs || this.buffer === "";
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
