/**
 * A part of a screen that never scrolls: what does not fit is shown a page at a time, with
 * "previous" and "next" buttons at its foot (in reach) and "page 2 of 3" between them. A page starts
 * at a whole list item or table row (`li`, `tr`, or anything marked `data-page-unit`) and ends after
 * the last one that fits whole: the next page's first row is not shown cut by the page's edge (it
 * was: half a fee row, half a − / + pair). The last page starts at its first row too (an empty tail
 * lets it scroll there). Focus moved to a control not on the page shown brings its page up, and the
 * indicator follows.
 */
import { css, html, LitElement, nothing } from "lit";
import type { Language } from "../api.ts";
import { layoutText } from "../i18n/layout-text.ts";

const UNITS = "li, tr, [data-page-unit]";

export class PagedRegion extends LitElement {
  static override properties = {
    lang: { type: String },
    starts: { state: true },
    page: { state: true },
    tail: { state: true },
  };
  declare lang: Language;
  /** Where each page begins, in pixels from the top of the content. */
  declare starts: number[];
  declare page: number;
  /** Empty space after the content, so that the last page can start at its first row. */
  declare tail: number;
  /** The viewport's height when the pages were measured. */
  private height = 0;

  private observer: ResizeObserver | null = null;

  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
    }
    .viewport {
      flex: 0 1 auto;
      min-height: 0;
      overflow: hidden;
    }
    nav {
      flex: none;
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 0.6rem;
      padding-top: 0.5rem;
      border-top: 3px dashed var(--border);
    }
    button {
      font: inherit;
      font-weight: 600;
      min-height: 2.6rem;
      padding: 0.4em 0.9em;
      border-radius: 0.4rem;
      border: 3px solid var(--primary);
      background: var(--secondary);
      color: var(--secondary-fg);
      cursor: pointer;
    }
    button:disabled {
      border-style: dashed;
      opacity: 0.6;
      cursor: not-allowed;
    }
    button:focus-visible {
      outline: 5px solid var(--focus);
      outline-offset: 3px;
    }
    .where {
      font-weight: 700;
      text-align: center;
    }
  `;

  constructor() {
    super();
    this.lang = "pl";
    this.starts = [0];
    this.page = 0;
    this.tail = 0;
    this.addEventListener("focusin", (event) => this.onFocus(event));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new ResizeObserver(() => this.measure());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
  }

  private get viewport(): HTMLElement | null {
    return this.renderRoot.querySelector(".viewport");
  }

  private observe(): void {
    const viewport = this.viewport;
    const observer = this.observer;
    if (!viewport || !observer) return;
    observer.disconnect();
    observer.observe(viewport);
    const slot = this.renderRoot.querySelector("slot");
    for (const element of slot?.assignedElements() ?? []) observer.observe(element);
    // No measuring here: the observer reports every element it starts observing after the next
    // layout and before that frame is painted, so the first page is right when it is first seen,
    // and a layout forced now (while the screen is still being built) would only be done twice.
  }

  /** The top and bottom of each unit, in pixels from the top of the content. */
  private units(viewport: HTMLElement): number[][] {
    const top = viewport.getBoundingClientRect().top - viewport.scrollTop;
    const units: number[][] = [];
    const slot = this.renderRoot.querySelector("slot");
    for (const element of slot?.assignedElements() ?? []) {
      for (const unit of element.querySelectorAll(UNITS)) {
        const box = unit.getBoundingClientRect();
        units.push([box.top - top, box.bottom - top]);
      }
    }
    return units;
  }

  /**
   * Page starts: each page begins at the first unit that does not fit whole on the page before
   * (a unit taller than a page is cut where the page ends, as plain text is).
   */
  private measure(): void {
    const viewport = this.viewport;
    if (!viewport) return;
    const height = viewport.clientHeight;
    // The content's own height, without the tail added for the last page.
    const total = viewport.scrollHeight - this.tail;
    const starts = [0];
    if (height > 0 && total > height + 1) {
      const units = this.units(viewport);
      const last = Math.max(...units.map(([, to]) => to ?? 0));
      let start = 0;
      while (start + height < total - 1 && starts.length < 50) {
        const end = start + height;
        const cut = units.find(([from, to]) => (from ?? 0) > start + 1 && (to ?? 0) > end + 1);
        // Every unit ends on this page and what is left is a margin: no page of nothing after it.
        if (!cut && last <= end + 1 && total - end < 48) break;
        // Whole pixels: the viewport scrolls by them (a row's edge may lose part of a pixel).
        start = Math.round(cut && (cut[0] ?? 0) <= end ? (cut[0] ?? 0) : end);
        starts.push(start);
      }
    }
    const lastStart = starts[starts.length - 1] ?? 0;
    const tail = starts.length > 1 ? Math.max(0, Math.ceil(lastStart + height - total)) : 0;
    const changed = starts.join() !== this.starts.join() || tail !== this.tail || height !== this.height;
    this.height = height;
    if (changed) {
      this.requestUpdate();
      this.starts = starts;
      this.tail = tail;
      this.page = Math.min(this.page, starts.length - 1);
      // The tail is rendered first, or the last page could not be scrolled to.
      void this.updateComplete.then(() => {
        viewport.scrollTop = this.starts[this.page] ?? 0;
      });
    }
  }

  /** A control focused (Tab, a screen reader) that is not wholly on the page shown: its page comes up. */
  private onFocus(event: FocusEvent): void {
    const target = event.target;
    if (!(target instanceof Element) || this.starts.length < 2) return;
    requestAnimationFrame(() => {
      const viewport = this.viewport;
      if (!viewport || !target.isConnected) return;
      const top = viewport.getBoundingClientRect().top - viewport.scrollTop;
      const box = target.getBoundingClientRect();
      const from = box.top - top;
      const to = box.bottom - top;
      const start = this.starts[this.page] ?? 0;
      const end = this.starts[this.page + 1] ?? Number.POSITIVE_INFINITY;
      if (viewport.scrollTop === start && from >= start - 1 && to <= end + 1) return;
      let page = 0;
      for (let i = 0; i < this.starts.length; i += 1) if ((this.starts[i] ?? 0) <= from + 1) page = i;
      this.go(page);
    });
  }

  /** How much of the viewport's foot is hidden: what belongs to the next page. */
  private clip(): number {
    const next = this.starts[this.page + 1];
    if (next === undefined) return 0;
    return Math.max(0, this.height - (next - (this.starts[this.page] ?? 0)));
  }

  /**
   * After focus or a resize moved the content, the indicator says which page is up. A scroll the
   * browser made by itself (focus, scrollIntoView) stops between page starts: the page holding the
   * middle of the view, where such a scroll puts its element, comes up whole, so that nothing is
   * shown cut at the top or hidden by the clip of the page before.
   */
  private onScroll(): void {
    const viewport = this.viewport;
    if (!viewport) return;
    const top = viewport.scrollTop;
    const at = this.starts.findIndex((start) => Math.abs(start - top) <= 1);
    if (at >= 0 || this.starts.length < 2) {
      this.page = Math.max(0, at);
      return;
    }
    const middle = top + viewport.clientHeight / 2;
    let page = 0;
    for (let i = 0; i < this.starts.length; i += 1) if ((this.starts[i] ?? 0) <= middle) page = i;
    this.go(page);
  }

  private go(page: number): void {
    const viewport = this.viewport;
    if (!viewport) return;
    this.page = Math.max(0, Math.min(this.starts.length - 1, page));
    viewport.scrollTop = this.starts[this.page] ?? 0;
  }

  /** Back to the first page (a new visitor, a new list). */
  first(): void {
    this.go(0);
  }

  protected override firstUpdated(): void {
    this.observe();
  }

  /** The clip and the tail through the CSS object model: the kiosk's CSP allows no style attribute. */
  protected override updated(): void {
    const viewport = this.viewport;
    const tail = this.renderRoot.querySelector<HTMLElement>(".tail");
    const clip = this.clip();
    if (viewport) {
      if (clip > 0) viewport.style.setProperty("clip-path", `inset(0 0 ${clip}px 0)`);
      else viewport.style.removeProperty("clip-path");
    }
    tail?.style.setProperty("height", `${this.tail}px`);
  }

  override render() {
    const t = layoutText(this.lang).page;
    const pages = this.starts.length;
    return html`<div class="viewport" @scroll=${() => this.onScroll()}>
        <slot @slotchange=${() => this.observe()}></slot>
        <div class="tail" aria-hidden="true"></div>
      </div>
      ${
        pages > 1
          ? html`<nav aria-label=${t.label}>
              <button data-page="previous" ?disabled=${this.page === 0} @click=${() => this.go(this.page - 1)}>
                ◀ ${t.previous}
              </button>
              <span class="where" aria-live="polite">${t.of(this.page + 1, pages)}</span>
              <button data-page="next" ?disabled=${this.page >= pages - 1} @click=${() => this.go(this.page + 1)}>
                ${t.next} ▶
              </button>
            </nav>`
          : nothing
      }`;
  }
}
customElements.define("paged-region", PagedRegion);
