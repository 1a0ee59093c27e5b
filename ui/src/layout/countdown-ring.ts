/**
 * The time left before the kiosk gives up on a visitor, as a ring that empties: seen at a glance
 * from a wheelchair or by someone who cannot read the number. A timer role, so it is not announced
 * every second (the warning dialog is). A minute or more is shown in whole minutes, rounded up: four
 * digits of seconds (a 900 s idle time doubled on the basket) would not fit inside the ring.
 */
import { css, html, LitElement, svg } from "lit";
import type { Language } from "../api.ts";
import { layoutText } from "../i18n/layout-text.ts";

/** What the ring shows for `seconds` left: the seconds under a minute, then minutes rounded up. */
export function countdownShown(seconds: number): { value: number; unit: "seconds" | "minutes" } {
  return seconds < 60
    ? { value: seconds, unit: "seconds" }
    : { value: Math.ceil(seconds / 60), unit: "minutes" };
}

export class CountdownRing extends LitElement {
  static override properties = {
    lang: { type: String },
    seconds: { type: Number },
    total: { type: Number },
    size: { type: String, reflect: true },
  };
  declare lang: Language;
  declare seconds: number;
  declare total: number;
  /** "small" in the header, "large" in the warning. */
  declare size: "small" | "large";

  static override styles = css`
    :host {
      display: inline-block;
      flex: none;
      /* --ring: the small ring's size, which the header sets smaller in large text on a short panel. */
      width: var(--ring, 4.2rem);
      height: var(--ring, 4.2rem);
    }
    :host([size="large"]) {
      width: 9rem;
      height: 9rem;
    }
    div {
      position: relative;
      width: 100%;
      height: 100%;
    }
    svg {
      width: 100%;
      height: 100%;
      transform: rotate(-90deg);
    }
    .track {
      stroke: var(--surface);
    }
    .left {
      stroke: var(--primary);
      transition: stroke-dashoffset 0.25s linear;
    }
    .left.low {
      stroke: var(--focus);
    }
    span {
      position: absolute;
      inset: 0;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      font-weight: 700;
      font-size: calc(var(--ring, 4.2rem) * 0.274);
      line-height: 1;
      font-variant-numeric: tabular-nums;
      color: var(--fg);
    }
    small {
      font-size: 0.55em;
      font-weight: 600;
    }
    :host([size="large"]) span {
      font-size: 2.6rem;
    }
  `;

  constructor() {
    super();
    this.lang = "pl";
    this.seconds = 0;
    this.total = 60;
    this.size = "small";
  }

  override render() {
    const seconds = Math.max(0, Math.ceil(this.seconds));
    const fraction = this.total > 0 ? Math.min(1, seconds / this.total) : 0;
    const circumference = 2 * Math.PI * 20;
    const text = layoutText(this.lang);
    const shown = countdownShown(seconds);
    const unit = text.units[shown.unit];
    return html`<div role="timer" aria-label=${text.countdown(`${shown.value} ${unit}`)} data-seconds=${seconds}>
      <svg viewBox="0 0 48 48" aria-hidden="true" focusable="false">
        ${svg`<circle class="track" cx="24" cy="24" r="20" fill="none" stroke-width="6"></circle>
        <circle
          class="left ${seconds <= 20 ? "low" : ""}"
          cx="24"
          cy="24"
          r="20"
          fill="none"
          stroke-width="6"
          stroke-linecap="round"
          stroke-dasharray=${circumference}
          stroke-dashoffset=${circumference * (1 - fraction)}
        ></circle>`}
      </svg>
      <span aria-hidden="true">${shown.value}<small>${unit}</small></span>
    </div>`;
  }
}
customElements.define("countdown-ring", CountdownRing);
