import { type CSSResult, css, unsafeCSS } from "lit";

/**
 * Panels where large text runs out of room: the narrow portrait one (800×1280) and those not taller
 * than a landscape panel (1920×1080, 1366×768, 1280×1024). There the toolbar, the screen layout, the
 * paged region and the summary give way in large text, so a list keeps a row and the actions stay free.
 */
export const crampedPanel = unsafeCSS("(max-width: 900px), (max-height: 1100px)");

/** Panels short even at the default text size (1366×768): the summary gives way there in any text. */
export const shortPanel = unsafeCSS("(max-height: 800px)");

/**
 * Viewports narrower than any panel the kiosk is built for: a browser zoomed to 200 % (a 1080-wide
 * panel is 540 CSS pixels then). There the default text is as short of room as large text on a narrow
 * panel, and the same things give way in any text: the toolbar's padding, the pager's words, the
 * summary's hint and column headings.
 */
export const narrowPanel = unsafeCSS("(max-width: 600px)");

/** Declarations that keep an element for screen readers and out of sight (no layout room taken). */
export const screenReaderOnly = css`
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
`;

/** What every screen shares: type scale, buttons at least 44 px (far more here), a focus ring that shows. */
export const baseStyles = css`
  :host {
    display: block;
    color: var(--fg);
  }
  * {
    box-sizing: border-box;
  }
  h1,
  h2,
  h3 {
    margin: 0 0 0.6em;
    line-height: 1.2;
  }
  h1 {
    font-size: 1.9rem;
  }
  h2 {
    font-size: 1.35rem;
  }
  h3 {
    font-size: 1.1rem;
  }
  p {
    margin: 0 0 0.8em;
    max-width: 45em;
  }
  h1:focus {
    outline: none;
  }
  button {
    font: inherit;
    max-width: 100%;
    overflow-wrap: anywhere;
    min-height: 2.6rem;
    min-width: 2.6rem;
    padding: 0.5em 1.1em;
    border-radius: 0.4rem;
    border: 3px solid var(--primary);
    background: var(--secondary);
    color: var(--secondary-fg);
    cursor: pointer;
    font-weight: 600;
  }
  button.primary {
    background: var(--primary);
    color: var(--primary-fg);
  }
  button.big {
    font-size: 1.25rem;
    padding: 0.7em 1.4em;
    min-height: 3.2rem;
  }
  button:disabled {
    border-style: dashed;
    cursor: not-allowed;
  }
  button:focus-visible,
  input:focus-visible,
  a:focus-visible,
  [tabindex]:focus-visible {
    outline: 5px solid var(--focus);
    outline-offset: 3px;
    box-shadow: 0 0 0 8px var(--focus-halo);
  }
  /* A heading takes focus only as the place reading starts (after a scan, too): a ring would frame
     it like a text field waiting for input, so it never gets one. */
  h1[tabindex="-1"]:focus-visible {
    outline: none;
    box-shadow: none;
  }
  input {
    font: inherit;
    min-height: 2.6rem;
    padding: 0.3em 0.5em;
    border: 3px solid var(--border);
    border-radius: 0.3rem;
    background: var(--bg);
    color: var(--fg);
    max-width: 100%;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 1rem;
    margin-top: 1.5rem;
  }
  .muted {
    color: var(--muted);
  }
  .amount {
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  .alert {
    border-left: 0.4rem solid var(--danger);
    padding: 0.5em 0.8em;
    background: var(--surface);
  }
`;

/**
 * Rules for a screen short of room: large text on a cramped panel, any text on a short one (1366×768).
 * There a screen's secondary parts give way (margins, icons, the size of a second line) so that what
 * it must show (its heading, the amount, the device pointer, the proof of payment) stays whole.
 */
export function whenShortOfRoom(selectors: string, declarations: string): CSSResult {
  const list = selectors.split(",").map((s) => s.trim());
  const large = list.map((s) => `:host-context(.large-text) ${s}`).join(", ");
  return unsafeCSS(
    `@media ${crampedPanel} { ${large} { ${declarations} } } @media ${shortPanel} { ${list.join(", ")} { ${declarations} } }`,
  );
}
