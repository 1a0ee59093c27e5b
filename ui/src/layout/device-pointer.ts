/**
 * An arrow and a sentence pointing at a piece of the kiosk's hardware (card terminal, printer, code
 * reader) where this kiosk has it (`kiosk.layout`): the arrow sits on that side of the screen and
 * points that way, as the lit pointers on cash machines do.
 */
import { css, html, LitElement } from "lit";
import type { Language, Place } from "../api.ts";
import { layoutText } from "../i18n/layout-text.ts";

export type Device = "pinPad" | "printer" | "scanner";

/** The arrow's turn from "pointing right", per place. */
const TURN: Record<Place, number> = { right: 0, "below-right": 45, below: 90, "below-left": 135, left: 180 };

export class DevicePointer extends LitElement {
  static override properties = {
    lang: { type: String },
    device: { type: String, reflect: true },
    place: { type: String, reflect: true },
  };
  declare lang: Language;
  declare device: Device;
  declare place: Place;

  static override styles = css`
    :host {
      display: flex;
      align-items: center;
      gap: 0.8rem;
      font-size: 1.1rem;
      font-weight: 700;
    }
    :host([place="below-right"]),
    :host([place="right"]) {
      flex-direction: row-reverse;
      text-align: right;
    }
    :host([place="below"]) {
      flex-direction: column-reverse;
      text-align: center;
    }
    /* A screen short of room makes the arrow smaller (screen-layout.ts): the sentence is what says where. */
    svg {
      flex: none;
      width: var(--pointer-arrow, 4.5rem);
      height: var(--pointer-arrow, 4.5rem);
      color: var(--primary);
    }
    @media (prefers-reduced-motion: no-preference) {
      g g {
        animation: nudge 1.2s ease-in-out infinite alternate;
      }
    }
    @keyframes nudge {
      from {
        transform: translateX(-3px);
      }
      to {
        transform: translateX(4px);
      }
    }
  `;

  constructor() {
    super();
    this.lang = "pl";
    this.device = "pinPad";
    this.place = "below-right";
  }

  override render() {
    const t = layoutText(this.lang);
    const where = t.place[this.place] ?? t.place.below;
    const sentence =
      this.device === "pinPad"
        ? t.pinPad(where)
        : this.device === "printer"
          ? t.printer(where)
          : t.scanner(where);
    return html`<svg viewBox="0 0 48 48" aria-hidden="true" focusable="false" data-turn=${TURN[this.place] ?? 90}>
        <g transform="rotate(${TURN[this.place] ?? 90} 24 24)">
          <g><path fill="currentColor" d="M4 19h26V8l16 16-16 16V29H4z" /></g>
        </g>
      </svg>
      <span data-testid="pointer-${this.device}">${sentence}</span>`;
  }
}
customElements.define("device-pointer", DevicePointer);
