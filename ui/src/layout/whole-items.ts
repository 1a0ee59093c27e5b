/**
 * Whole items or none in a screen's information zone (`.info`). The zone never scrolls and clips what
 * does not fit (screen-layout.ts); clipped, a line of text was cut through its letters (the start
 * screen's "scan the QR code" box, the paid screen's date row, at 1366×768 in large text). Here each
 * item the zone's box cuts (a heading, a paragraph, a row of a definition list, a device pointer, a
 * box marked `data-whole`) is hidden whole, so a visitor never reads half a line. Hiding sets
 * `data-cut`: screen-layout.ts makes it transparent (still read by a screen reader, the heading still
 * takes focus), or hidden where it holds a control (never a button that can be touched but not seen).
 * Nothing here changes a size, so hiding cannot feed back into the layout it is measured from.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";

/** What is hidden whole when cut; a paged region's rows page instead (paged-region.ts). */
const ITEMS = "h1, h2, h3, p, dt, dd, li, figure, device-pointer, [data-whole]";

interface Edges {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The part of the screen the boxes between `item` and `zone` (both included) show. */
function shownArea(item: Element, zone: Element): Edges {
  const area = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
  for (let el: Element | null = item.parentElement; el; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (style.overflowX !== "visible" || style.overflowY !== "visible") {
      const box = el.getBoundingClientRect();
      const left = box.left + el.clientLeft;
      const top = box.top + el.clientTop;
      if (style.overflowX !== "visible") {
        area.left = Math.max(area.left, left);
        area.right = Math.min(area.right, left + el.clientWidth);
      }
      if (style.overflowY !== "visible") {
        area.top = Math.max(area.top, top);
        area.bottom = Math.min(area.bottom, top + el.clientHeight);
      }
    }
    if (el === zone) break;
  }
  return area;
}

/** Where an item is: a definition's term and description count as one row. */
function itemEdges(item: Element): Edges {
  const box = item.getBoundingClientRect();
  const pair =
    item.localName === "dt" && item.nextElementSibling?.localName === "dd"
      ? item.nextElementSibling
      : item.localName === "dd" && item.previousElementSibling?.localName === "dt"
        ? item.previousElementSibling
        : null;
  const other = pair?.getBoundingClientRect();
  return {
    left: Math.min(box.left, other?.left ?? box.left),
    top: Math.min(box.top, other?.top ?? box.top),
    right: Math.max(box.right, other?.right ?? box.right),
    bottom: Math.max(box.bottom, other?.bottom ?? box.bottom),
  };
}

/** Hides whole each item of the zone that its boxes would show only in part. */
export function fitWholeItems(zone: Element): void {
  const hidden: Element[] = [];
  for (const item of zone.querySelectorAll(ITEMS)) {
    // A paged list's rows are paged whole; an item inside one hidden goes with it.
    if (item.closest("paged-region") || hidden.some((outer) => outer.contains(item))) {
      item.removeAttribute("data-cut");
      continue;
    }
    const at = itemEdges(item);
    const area = shownArea(item, zone);
    // A pixel of slack: borders and rounding put an edge a fraction over the zone's.
    const whole =
      at.top >= area.top - 1 &&
      at.bottom <= area.bottom + 1 &&
      at.left >= area.left - 1 &&
      at.right <= area.right + 1;
    const empty = at.bottom <= at.top || at.right <= at.left;
    if (whole || empty) {
      item.removeAttribute("data-cut");
    } else {
      item.setAttribute("data-cut", "");
      hidden.push(item);
    }
  }
}

/**
 * Keeps every `.info` of a screen whole-items-or-none: after each render, and whenever the zone or
 * an item in it changes size (another panel, large text, another language).
 */
export class WholeItemsController implements ReactiveController {
  private observer: ResizeObserver | null = null;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  private zones(): Element[] {
    return [...(this.host.shadowRoot?.querySelectorAll(".info") ?? [])];
  }

  private fit(): void {
    for (const zone of this.zones()) fitWholeItems(zone);
  }

  hostConnected(): void {
    this.observer = new ResizeObserver(() => this.fit());
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
  }

  hostUpdated(): void {
    const observer = this.observer;
    if (observer) {
      observer.disconnect();
      for (const zone of this.zones()) {
        observer.observe(zone);
        for (const item of zone.querySelectorAll(ITEMS)) observer.observe(item);
      }
    }
    this.fit();
  }
}
