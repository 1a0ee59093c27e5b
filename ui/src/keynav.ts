/**
 * Keypad-only use (issue 18 finding 6). A kiosk keypad has digits, arrows (8 2 4 6 with Num Lock off),
 * Enter, Cancel and Clear; this module makes them enough:
 *
 * - Arrow keys move focus to the nearest control in that direction, on whatever layout the screen
 *   has: between the keys of the keypad grid, down a list of services or fee lines, across the
 *   language buttons. Inside an open dialog they stay in it.
 * - Focus is never lost to the page: when the focused control disappears (the basket's list replaces
 *   "loading", a "−" button becomes disabled at zero), it goes back to the screen's main action.
 *
 * The PIN-pad keys, as a USB or PS/2 kiosk keypad sends them (documented in the README):
 *   Enter  = Enter or NumpadEnter: activates the focused control (the browser's own button behaviour)
 *   Cancel = Escape: back or cancel on the current screen; closes the on-screen keypad (app.ts)
 *   Clear  = Backspace: deletes the last character typed on the on-screen keypad; Delete clears it
 *   Audio  = NumpadMultiply (the "*" key of the numeric block): audio mode on, or say the screen again
 */

/** What can take focus. Buttons with tabindex -1 count (the keypad grid is one Tab stop). */
const FOCUSABLE =
  "button:not([disabled]), input:not([disabled]), select, a[href], [tabindex]:not([tabindex='-1']), tr[tabindex]";

export type ArrowKey = "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight";
const ARROWS = new Set<string>(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"]);

export function isArrow(key: string): key is ArrowKey {
  return ARROWS.has(key);
}

/** The element that really has focus, inside shadow roots. */
export function deepActiveElement(): HTMLElement | null {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement && el !== document.body ? el : null;
}

/** Every focusable, visible element under `root`, through shadow roots, in document order. */
export function focusables(root: ParentNode): HTMLElement[] {
  const out: HTMLElement[] = [];
  const walk = (node: ParentNode) => {
    for (const el of node.querySelectorAll<HTMLElement>("*")) {
      if (el.matches(FOCUSABLE) && visible(el)) out.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(root);
  return out;
}

function visible(el: HTMLElement): boolean {
  if (el.closest("dialog:not([open])") || el.closest("[inert]")) return false;
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0;
}

/** The open modal dialog (keypad, time-out warning) the focus must stay in, if any. */
function openDialog(root: ParentNode): HTMLDialogElement | null {
  const walk = (node: ParentNode): HTMLDialogElement | null => {
    for (const el of node.querySelectorAll("*")) {
      if (el instanceof HTMLDialogElement && el.open) return el;
      if (el.shadowRoot) {
        const inner = walk(el.shadowRoot);
        if (inner) return inner;
      }
    }
    return null;
  };
  return walk(root);
}

/**
 * The control an arrow key moves to from `from`. Up and Down go to the next row in that direction
 * (the nearest controls whose edge is past this one's) and, in it, to the one nearest in column, so
 * Down in the keypad grid keeps the column and Down from a list's last item reaches the actions below
 * it. Left and Right stay in the row when there is anything beside; otherwise the nearest control.
 */
export function arrowTarget(from: HTMLElement, key: ArrowKey, candidates: HTMLElement[]): HTMLElement | null {
  const a = from.getBoundingClientRect();
  const vertical = key === "ArrowUp" || key === "ArrowDown";
  const ahead: Array<{ el: HTMLElement; box: DOMRect; gap: number }> = [];
  for (const el of candidates) {
    if (el === from) continue;
    const b = el.getBoundingClientRect();
    const gap =
      key === "ArrowDown"
        ? b.top - a.bottom
        : key === "ArrowUp"
          ? a.top - b.bottom
          : key === "ArrowRight"
            ? b.left - a.right
            : a.left - b.right;
    if (gap >= -2) ahead.push({ el, box: b, gap });
  }
  if (ahead.length === 0) return null;
  const centre = (box: DOMRect) => (vertical ? box.left + box.width / 2 : box.top + box.height / 2);
  const mine = centre(a);
  let pool = ahead;
  if (vertical) {
    // The next row: as near as the nearest, give or take a few pixels of alignment.
    const nearest = Math.min(...ahead.map((c) => c.gap));
    pool = ahead.filter((c) => c.gap <= nearest + Math.max(8, a.height / 2));
  } else {
    const beside = ahead.filter((c) => c.box.bottom > a.top + 2 && c.box.top < a.bottom - 2);
    if (beside.length > 0) {
      const nearest = Math.min(...beside.map((c) => c.gap));
      pool = beside.filter((c) => c.gap <= nearest + 8);
    }
  }
  let best = pool[0] as (typeof pool)[number];
  for (const c of pool) {
    const off = Math.abs(centre(c.box) - mine) + (vertical ? 0 : c.gap);
    const bestOff = Math.abs(centre(best.box) - mine) + (vertical ? 0 : best.gap);
    if (off < bestOff) best = c;
  }
  return best.el;
}

/** Moves focus for an arrow key; returns whether it did (then the key is consumed). */
export function moveFocus(root: ParentNode, key: ArrowKey): boolean {
  const from = deepActiveElement();
  const dialog = openDialog(root);
  const scope = dialog ?? root;
  const candidates = focusables(scope);
  if (!from || (dialog && !dialog.contains(from) && !containsDeep(dialog, from))) {
    candidates[0]?.focus();
    return candidates.length > 0;
  }
  // In a text field Left and Right move the caret, as they should.
  if (from instanceof HTMLInputElement && (key === "ArrowLeft" || key === "ArrowRight")) return false;
  const target = arrowTarget(from, key, candidates);
  if (!target) return false;
  target.focus();
  return true;
}

function containsDeep(root: Node, el: Node): boolean {
  let node: Node | null = el;
  while (node) {
    if (node === root) return true;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return false;
}

/** When nothing on the page has focus (the focused control was removed or disabled), `fallback`. */
export function restoreLostFocus(fallback: () => void): void {
  if (!deepActiveElement()) fallback();
}

/**
 * Keeps focus on the screen: when the focused control goes away and nothing else took focus, the
 * `fallback` (the screen's main action) gets it. Chromium does not always say when a focused element
 * is removed, so the app also calls restoreLostFocus on its clock. Returns the listener's remover.
 */
export function keepFocus(fallback: () => void): () => void {
  let pending = 0;
  const onFocusOut = (event: FocusEvent) => {
    if (event.relatedTarget) return;
    window.cancelAnimationFrame(pending);
    // After the re-render that removed or disabled the control.
    pending = window.requestAnimationFrame(() => restoreLostFocus(fallback));
  };
  document.addEventListener("focusout", onFocusOut, true);
  return () => {
    window.cancelAnimationFrame(pending);
    document.removeEventListener("focusout", onFocusOut, true);
  };
}
