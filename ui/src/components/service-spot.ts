/**
 * The technician's way into service mode on a touch screen (besides F9 and the service key): a small
 * unmarked spot in the top left corner and a two-step gesture on it, a tap and then, within a few
 * seconds, a hold. A visitor resting a hand on the screen or holding a line of text does neither.
 */
import { css, html, LitElement } from "lit";

/** The hold of the second step. */
export const SPOT_HOLD_MS = 2_000;
/** How long after the tap the hold may start. */
export const SPOT_ARMED_MS = 5_000;
/** A press up to this long is the first step's tap. */
const TAP_MAX_MS = 700;

export class ServiceSpot extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      top: 0;
      left: 0;
      width: 3.5rem;
      height: 3.5rem;
      z-index: 5;
      touch-action: none;
      user-select: none;
      -webkit-user-select: none;
    }
    div {
      width: 100%;
      height: 100%;
    }
  `;

  private armedUntil = 0;
  private pressedAt = 0;
  private hold: number | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopHold();
  }

  private down(): void {
    this.pressedAt = Date.now();
    if (this.pressedAt > this.armedUntil) return;
    this.stopHold();
    this.hold = window.setTimeout(() => {
      this.hold = undefined;
      this.armedUntil = 0;
      this.dispatchEvent(new CustomEvent("service-request", { bubbles: true, composed: true }));
    }, SPOT_HOLD_MS);
  }

  private up(): void {
    const armed = this.hold !== undefined;
    this.stopHold();
    if (armed) {
      // The second step was let go too early: start over.
      this.armedUntil = 0;
      return;
    }
    if (Date.now() - this.pressedAt <= TAP_MAX_MS) this.armedUntil = Date.now() + SPOT_ARMED_MS;
  }

  private stopHold(): void {
    window.clearTimeout(this.hold);
    this.hold = undefined;
  }

  override render() {
    return html`<div
      data-service-spot
      aria-hidden="true"
      @pointerdown=${() => this.down()}
      @pointerup=${() => this.up()}
      @pointercancel=${() => this.stopHold()}
      @pointerleave=${() => this.stopHold()}
      @contextmenu=${(e: Event) => e.preventDefault()}
    ></div>`;
  }
}
customElements.define("service-spot", ServiceSpot);
