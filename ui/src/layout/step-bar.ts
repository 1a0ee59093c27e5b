/** Where the visitor is in a payment: check, pay, receipt (the current step marked for all senses). */
import { css, html, LitElement } from "lit";
import type { Language } from "../api.ts";
import { layoutText, type Step } from "../i18n/layout-text.ts";

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
    ol {
      display: flex;
      gap: 0.4rem;
      list-style: none;
      margin: 0;
      padding: 0;
      counter-reset: step;
    }
    li {
      flex: 1 1 0;
      min-width: 0;
      display: flex;
      /* A name too long to stand beside its number goes under it, whole: in large text "Перевірка"
         was broken into "Перевірк" and "а" (overflow-wrap stays, for a word longer than the step). */
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4rem;
      padding: 0.3rem 0.5rem;
      border-bottom: 0.35rem solid var(--border);
      color: var(--muted);
      font-size: 0.85rem;
      overflow-wrap: anywhere;
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
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
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
