import { LitElement } from "lit";
import type { Language } from "../api.ts";
import { type Messages, messages } from "../i18n/index.ts";
import { WholeItemsController } from "../layout/whole-items.ts";

/** A full screen: knows its language, and can take focus to its heading when it appears. */
export class Screen extends LitElement {
  static override properties = { lang: { type: String } };
  declare lang: Language;

  constructor() {
    super();
    this.lang = "pl";
    // What does not fit in the information zone is hidden whole, never cut mid-line.
    new WholeItemsController(this);
  }

  protected get t(): Messages {
    return messages(this.lang);
  }

  /**
   * Moves focus to the screen's main action (its primary button), else its heading: a keypad user's
   * Enter then does the main thing, and audio mode says it after the screen (issue 18 finding 6).
   */
  async focusStart(): Promise<void> {
    await this.updateComplete;
    const main = this.renderRoot.querySelector<HTMLElement>("button.primary:not([disabled])");
    (main ?? this.renderRoot.querySelector<HTMLElement>("h1"))?.focus();
  }

  /** Moves focus to the heading, so keys and screen readers start at the top of the new screen. */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
  }
}
