import { css } from "lit";

/** The cash desk's layout: a clerk's screen, dense but with large enough targets and a visible focus. */
export const deskStyles = css`
  :host {
    padding: 1rem 1.5rem;
    font-size: 1.05rem;
  }
  header {
    display: flex;
    gap: 2rem;
    align-items: baseline;
    flex-wrap: wrap;
  }
  .columns {
    display: grid;
    grid-template-columns: minmax(18rem, 1fr) minmax(22rem, 1.4fr);
    gap: 2rem;
  }
  form {
    display: flex;
    flex-direction: column;
    gap: 0.35rem;
    max-width: 32rem;
    margin-bottom: 1rem;
  }
  input,
  select {
    font: inherit;
    padding: 0.4em 0.5em;
    border: 2px solid var(--fg);
    border-radius: 0.3rem;
    min-height: 2.6rem;
  }
  input:focus-visible,
  select:focus-visible,
  button:focus-visible {
    outline: 4px solid var(--focus);
    outline-offset: 2px;
  }
  /* A transfer code's amount, typed in its basket line. */
  form.amount-entry {
    margin: 0.5rem 0 0;
  }
  label.check {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  /* The base style's frame (a red edge on a grey band) only around a refusal: empty, the alert is
     no red-flagged bar above the desk that looks like an error with its words missing. */
  .alert {
    border: 0;
    padding: 0;
    background: none;
  }
  .alert:has(> .problem:not(:empty)) {
    border: 3px solid var(--error, #b00020);
    padding: 0.5rem 0.8rem;
    margin-bottom: 0.8rem;
  }
  .alert .problem {
    margin: 0;
    font-weight: 600;
  }
  .advice {
    margin: 0.4rem 0 0;
  }
  button.copy {
    margin-bottom: 0.8rem;
  }
  .message:not(:empty) {
    border: 3px solid var(--primary);
    padding: 0.5rem 0.8rem;
    margin-bottom: 0.8rem;
  }
  .hint {
    font-size: 0.9rem;
    margin: 0;
  }
  .actions {
    display: flex;
    gap: 0.8rem;
    flex-wrap: wrap;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  section {
    margin-bottom: 1.5rem;
  }
  /* The close confirmation: a modal over the desk, its figures and its question in plain sight. */
  dialog.confirm {
    max-width: 36rem;
    border: 3px solid var(--fg);
    border-radius: 0.4rem;
    padding: 1.2rem 1.5rem;
  }
  dialog.confirm::backdrop {
    background: rgb(0 0 0 / 0.45);
  }
  dialog.confirm form {
    margin: 0;
  }
  dialog.confirm h2 {
    margin-top: 0;
  }
  dialog.confirm fieldset {
    border: 2px solid var(--fg);
    border-radius: 0.3rem;
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    padding: 0.6rem 0.9rem;
  }
  dialog.confirm legend {
    font-weight: 600;
  }
  dialog.confirm .close-problem:not(:empty) {
    border: 3px solid var(--error, #b00020);
    padding: 0.4rem 0.7rem;
    font-weight: 600;
  }
  input[type="radio"] {
    min-height: auto;
    width: 1.3rem;
    height: 1.3rem;
  }
  /* The report's three tables share their columns, so counts and amounts stand one under another. */
  table.totals {
    table-layout: fixed;
  }
  table.totals th[scope="col"]:first-child {
    width: auto;
  }
  table.totals th[scope="col"]:not(:first-child) {
    width: 9rem;
  }
  a.pdf {
    font-weight: 600;
  }
`;
