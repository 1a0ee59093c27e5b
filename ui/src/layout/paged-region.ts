/**
 * A part of a screen that never scrolls: what does not fit is shown a page at a time, with
 * "previous" and "next" buttons at its foot (in reach) and "page 2 of 3" between them. A page starts
 * at a whole list item or table row (`li`, `tr`, or anything marked `data-page-unit`) and ends where
 * the next page starts (what lies below is clipped), so no line is cut in half at the top or the foot.
 * Focus moved to a control out of view brings its page up, and the indicator follows.
 */
import { css, html, LitElement, nothing } from "lit";
import type { Language } from "../api.ts";
import { layoutText } from "../i18n/layout-text.ts";
import { crampedPanel, narrowPanel, screenReaderOnly, shortPanel } from "../styles.ts";

const UNITS = "li, tr, [data-page-unit]";

/** Where the viewport's content begins, in the page's coordinates (scrolled or not). */
function contentTop(viewport: HTMLElement): number {
  return viewport.getBoundingClientRect().top - viewport.scrollTop;
}

export class PagedRegion extends LitElement {
  static override properties = {
    lang: { type: String },
    starts: { state: true },
    page: { state: true },
  };
  declare lang: Language;
  /** Where each page begins, in pixels from the top of the content. */
  declare starts: number[];
  declare page: number;

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
    /* Large text on a narrow panel (800×1280): the words made each button two or three lines, a pager
       about 170 px tall, and left the list's page no room for a row. There the arrows stay and the
       words are for screen readers only (the button's name is still "Next page"). */
    @media ${crampedPanel} {
      :host-context(.large-text) .words {
        ${screenReaderOnly}
      }
      :host-context(.large-text) button {
        min-width: 3.2rem;
      }
    }
    /* The same in any text where the viewport is narrower than any panel (a zoomed browser). */
    @media ${narrowPanel} {
      .words {
        ${screenReaderOnly}
      }
      button {
        min-width: 3.2rem;
      }
    }
    /* Large text on a short panel (1366×768): the arrows' buttons as tall as the default text's (62 px). */
    @media ${shortPanel} {
      :host-context(.large-text) nav {
        padding-top: 0.3rem;
      }
      :host-context(.large-text) button {
        min-height: 1.8rem;
        padding-block: 0.1em;
      }
    }
  `;

  constructor() {
    super();
    this.lang = "pl";
    this.starts = [0];
    this.page = 0;
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

  /** Page starts: each page begins at the first unit that did not fit whole on the page before. */
  private measure(): void {
    const viewport = this.viewport;
    if (!viewport) return;
    const height = viewport.clientHeight;
    const total = viewport.scrollHeight;
    // No room at all (the pager took it): keep the pages as they are. Measured as one page, the pager
    // would go, the viewport grow, the pages come back, and the region flicker between the two.
    if (height <= 0 && this.starts.length > 1) return;
    const starts = [0];
    if (height > 0 && total > height + 1) {
      const top = contentTop(viewport);
      const units = this.unitElements().map((unit) => {
        const box = unit.getBoundingClientRect();
        return [box.top - top, box.bottom - top];
      });
      let start = 0;
      while (start + height < total - 1 && starts.length < 50) {
        const cut = units.find(([from, to]) => (from ?? 0) > start + 1 && (to ?? 0) > start + height + 1);
        start = cut && (cut[0] ?? 0) > start + 1 ? (cut[0] ?? 0) : start + height;
        starts.push(start);
      }
    }
    this.keepOneUnit(viewport, total);
    if (starts.join() !== this.starts.join()) {
      this.starts = starts;
      this.page = Math.min(this.page, starts.length - 1);
    }
    this.show(viewport);
  }

  /** How far the viewport scrolls for a page: to its start, or as far as it goes (the last page). */
  private scrollFor(viewport: HTMLElement, page: number): number {
    return Math.max(0, Math.min(this.starts[page] ?? 0, viewport.scrollHeight - viewport.clientHeight));
  }

  /**
   * Shows the page: scrolled to its start, and clipped to it. A page ends where the next one starts,
   * at the top of the row that did not fit whole; that row's top part, and on the last page (scrolled
   * only as far as the content goes) the end of the row before it, are in the viewport too, cut through
   * their lines. The clip hides them: a visitor never reads half a row (nor touches half of its controls).
   */
  private show(viewport: HTMLElement): void {
    const scroll = this.scrollFor(viewport, this.page);
    if (Math.abs(viewport.scrollTop - scroll) > 0.5) viewport.scrollTop = scroll;
    const start = this.starts[this.page] ?? 0;
    const end = this.starts[this.page + 1];
    const top = Math.max(0, start - scroll);
    const bottom = end === undefined ? 0 : Math.max(0, viewport.clientHeight - (end - scroll));
    const clip = this.starts.length > 1 && (top > 0 || bottom > 0) ? `inset(${top}px 0 ${bottom}px 0)` : "";
    if (viewport.style.clipPath !== clip) viewport.style.clipPath = clip;
  }

  /**
   * However short of room the screen is (a 1366×768 or 1280×1024 panel, large text), the region keeps
   * its first row (under a table's headings) and its pager: given way to nothing, it showed a pager
   * over the text below it and no fee at all. A minimum that depends only on the content's rows and
   * the pager, never on the height given, so setting it cannot feed back into the measure.
   */
  private keepOneUnit(viewport: HTMLElement, total: number): void {
    const first = this.unitElements().find((unit) => !unit.closest("thead"));
    if (!first) {
      this.style.minHeight = "";
      return;
    }
    const bottom = Math.ceil(first.getBoundingClientRect().bottom - contentTop(viewport));
    // The pager is there whenever the first row is not all there is; before it is drawn, its buttons'
    // height (2.6rem and the padding and border above them) stands in for it.
    const nav = this.renderRoot.querySelector("nav");
    const pager = bottom >= total - 1 ? 0 : nav ? nav.offsetHeight : this.pagerEstimate();
    const minimum = `${bottom + pager}px`;
    if (this.style.minHeight !== minimum) this.style.minHeight = minimum;
  }

  /** The units a page may start at (list items, table rows), in document order. */
  private unitElements(): Element[] {
    const slot = this.renderRoot.querySelector("slot");
    return (slot?.assignedElements() ?? []).flatMap((element) => [...element.querySelectorAll(UNITS)]);
  }

  private pagerEstimate(): number {
    const rem = Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    return Math.ceil(rem * 3.1 + 3);
  }

  /** Which page holds a point of the content (pixels from its top). */
  private pageAt(at: number): number {
    let page = 0;
    for (let i = 0; i < this.starts.length; i += 1) if ((this.starts[i] ?? 0) <= at + 1) page = i;
    return page;
  }

  /**
   * Focus moved to a control out of view (a keypad's Tab) scrolls the viewport to it, anywhere: once
   * that scroll is done, the page that holds it comes up whole instead (aligned to its start and
   * clipped to it), and the indicator says which.
   */
  private onFocusIn(event: FocusEvent): void {
    const target = event.target;
    requestAnimationFrame(() => {
      const viewport = this.viewport;
      if (!viewport || !(target instanceof Element) || !this.contains(target)) return;
      this.go(this.pageAt(target.getBoundingClientRect().top - contentTop(viewport)));
    });
  }

  /**
   * Scrolled by anything but the pager and focus (a script bringing an element into view): the
   * indicator follows, and the page's clip is off, so what was brought into view is not hidden.
   */
  private onScroll(): void {
    const viewport = this.viewport;
    if (!viewport || Math.abs(viewport.scrollTop - this.scrollFor(viewport, this.page)) <= 1) return;
    this.page = this.pageAt(viewport.scrollTop);
    viewport.style.clipPath = "";
  }

  private go(page: number): void {
    const viewport = this.viewport;
    if (!viewport) return;
    this.page = Math.max(0, Math.min(this.starts.length - 1, page));
    this.show(viewport);
  }

  /** Back to the first page (a new visitor, a new list). */
  first(): void {
    this.go(0);
  }

  protected override firstUpdated(): void {
    this.observe();
  }

  override render() {
    const t = layoutText(this.lang).page;
    const pages = this.starts.length;
    return html`<div
        class="viewport"
        @scroll=${() => this.onScroll()}
        @focusin=${(event: FocusEvent) => this.onFocusIn(event)}
      >
        <slot @slotchange=${() => this.observe()}></slot>
      </div>
      ${
        pages > 1
          ? html`<nav aria-label=${t.label}>
              <button data-page="previous" ?disabled=${this.page === 0} @click=${() => this.go(this.page - 1)}>
                <span aria-hidden="true">◀</span> <span class="words">${t.previous}</span>
              </button>
              <span class="where" aria-live="polite">${t.of(this.page + 1, pages)}</span>
              <button data-page="next" ?disabled=${this.page >= pages - 1} @click=${() => this.go(this.page + 1)}>
                <span class="words">${t.next}</span> <span aria-hidden="true">▶</span>
              </button>
            </nav>`
          : nothing
      }`;
  }
}
customElements.define("paged-region", PagedRegion);
