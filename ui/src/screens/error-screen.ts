import { html } from "lit";
import { emitAction } from "../actions.ts";
import { errorText } from "../i18n/index.ts";
import { baseStyles } from "../styles.ts";
import { Screen } from "./screen.ts";

export class ErrorScreen extends Screen {
  static override properties = { ...Screen.properties, code: { type: String } };
  declare code: string;

  static override styles = [baseStyles];

  constructor() {
    super();
    this.code = "UNKNOWN";
  }

  override render() {
    const text = errorText(this.lang, this.code);
    return html`
      <h1 tabindex="-1" data-testid="error-title">${text.title}</h1>
      <p class="alert" role="alert" data-testid="error-todo">${text.todo}</p>
      <p class="muted">${this.t.error.codeLabel}: ${this.code}</p>
      <div class="actions">
        <button class="primary big" @click=${() => emitAction(this, { type: "back" })}>${this.t.error.backToStart}</button>
      </div>
    `;
  }
}
customElements.define("error-screen", ErrorScreen);
