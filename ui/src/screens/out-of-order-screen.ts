import { html } from "lit";
import { baseStyles } from "../styles.ts";
import { Screen } from "./screen.ts";

export class OutOfOrderScreen extends Screen {
  static override properties = { ...Screen.properties, reconnecting: { type: Boolean } };
  declare reconnecting: boolean;

  static override styles = [baseStyles];

  constructor() {
    super();
    this.reconnecting = false;
  }

  override render() {
    const t = this.t.outOfOrder;
    return html`
      <h1 tabindex="-1">${t.title}</h1>
      <p>${t.body}</p>
      <p class="muted" role="status">${this.reconnecting ? t.reconnecting : ""}</p>
    `;
  }
}
customElements.define("out-of-order-screen", OutOfOrderScreen);
