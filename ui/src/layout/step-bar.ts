/** Where the visitor is in a payment: check, pay, receipt (the current step marked for all senses). */
import { css, html, LitElement } from "lit";
import type { Language } from "../api.ts";
import { layoutText, type Step } from "../i18n/layout-text.ts";
import { screenReaderOnly } from "../styles.ts";

const STEPS: readonly Step[] = ["check", "pay", "receipt"];

export class StepBar extends LitElement {
  static override properties = { lang: { type: String }, step: { type: String } };
  declare lang: Language;
  declare step: Step;

  static override styles = css`
    :host {
      display: block;
      min-width: 0;
    }
    nav {
      container-type: inline-size;
    }
    ol {
      display: flex;
      gap: 0.25rem;
      list-style: none;
      margin: 0;
      padding: 0;
      counter-reset: step;
    }
    li {
      /* Equal shares, but never narrower than the step's longest word: on the 800×1280 panel in
         large text "Potwierdzenie" and «Квитанція» are wider than a third of the bar, and the other
         steps' shorter names give them the room (a step's min-content is its longest word, as
         overflow-wrap is break-word, not anywhere). */
      flex: 1 1 0;
      min-width: min-content;
      display: flex;
      /* A name too long to stand beside its number goes under it, whole: in large text "Перевірка"
         was broken into "Перевірк" and "а". */
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4rem;
      /* Little side padding: the three names side by side need all of the 800×1280 panel's bar. */
      padding: 0.3rem 0.15rem;
      border-bottom: 0.35rem solid var(--border);
      color: var(--muted);
      /* On a bar too narrow for the three longest words side by side (the 800×1280 panel in large
         text, Polish) the names are set a few per cent smaller rather than broken; elsewhere 0.85rem. */
      font-size: min(0.85rem, 4.3cqi);
      overflow-wrap: break-word;
      counter-increment: step;
    }
    li::before {
      content: counter(step);
      flex: none;
      display: inline-grid;
      place-items: center;
      width: 1.6rem;
      height: 1.6rem;
      border-radius: 50%;
      border: 3px solid currentColor;
      font-weight: 700;
    }
    .sr {
      ${screenReaderOnly}
    }
    li.done::before {
      content: "✓";
    }
    li[aria-current="step"] {
      color: var(--fg);
      font-weight: 700;
      border-bottom-color: var(--primary);
    }
    li[aria-current="step"]::before {
      background: var(--primary);
      border-color: var(--primary);
      color: var(--primary-fg);
    }
  `;

  constructor() {
    super();
    this.lang = "pl";
    this.step = "check";
  }

  override render() {
    const t = layoutText(this.lang).steps;
    const current = STEPS.indexOf(this.step);
    return html`<nav aria-label=${t.label}>
      <ol>
        ${STEPS.map(
          (step, i) => html`<li
            class=${i < current ? "done" : ""}
            aria-current=${i === current ? "step" : "false"}
            data-step=${step}
          >
            <span>${t.names[step]}<span class="sr">, ${t.of(i + 1, STEPS.length)}</span></span>
          </li>`,
        )}
      </ol>
    </nav>`;
  }
}
customElements.define("step-bar", StepBar);
