/**
 * The public-terminal screen layout every visitor screen uses (EN 301 549 §8.3 reach, UK ATM
 * screen zones): information at the top (`.info`), controls that belong to the content in a paged
 * region below the reach line (`.reach`), and the screen's actions in a fixed area at the foot with
 * the main action at the bottom right (`.actions`, the primary button first in the markup). The app
 * sets `--info-zone`: the height from the top of the screen area down to the reach line, so
 * everything below `.info` starts within reach. Nothing scrolls: `.info` clips and `.reach` pages.
 */
import { css } from "lit";
import { crampedPanel, shortPanel, whenShortOfRoom } from "../styles.ts";

export const screenLayout = css`
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: 0;
  }
  .info {
    flex: 1 1 auto;
    min-height: 0;
    overflow: hidden;
    display: flex;
    flex-direction: column;
  }
  /* Short of room, an item keeps its height and what does not fit is hidden whole (below): shrunk,
     its text ran over the next one (the office's name under the start screen's heading, the card
     terminal's message under the line after it). A part that pages or clips inside (the paid
     screen's receipt) says so in its own rule. */
  .info > * {
    flex-shrink: 0;
  }
  /* An item of the zone its box would cut (whole-items.ts): hidden whole, for sight only (a screen
     reader still reads it, the heading still takes focus), wholly where it holds a control. */
  .info [data-cut] {
    opacity: 0;
  }
  .info [data-cut]:has(button, input, select, textarea, a[href]) {
    visibility: hidden;
  }
  /* Down to the reach line while there is room. Where there is not (800×1280 in large text) it gives
     way, after the paged region, and clips as .info does: a control above the line can be reached by
     most, one pushed under the toolbar by nobody. */
  .info.zone {
    flex: 1 1 var(--info-zone, 0px);
    min-height: 0;
  }
  /* Short of room, the paged region gives way first (it pages), the info zone only after it (above):
     flex takes from each in proportion to its shrink factor times its size. */
  .reach {
    flex: 0 1000 auto;
    min-height: 0;
  }
  .actions {
    flex: none;
    display: flex;
    flex-direction: row-reverse;
    /* When the buttons do not fit on one line the others go above, the main one stays bottom right. */
    flex-wrap: wrap-reverse;
    justify-content: flex-start;
    align-items: flex-end;
    gap: 0.8rem 1rem;
    margin: 0;
    padding-top: 0.8rem;
  }
  .actions button.big {
    min-height: 3.6rem;
    min-width: 11rem;
  }
  /* Large text on a narrow panel (800×1280): 11rem is 374 px there, so two actions never shared a row
     and took 280 px of a screen that had none to spare. Sized by their words they do where the words
     are short ("Anuluj" and "Zapłać kartą"), each still far above a touch target's minimum. */
  @media ${crampedPanel} {
    :host-context(.large-text) .actions button.big {
      min-width: 0;
    }
  }
  /* A zone's heading never gives way: short of room, a zone with a .more part is at least as tall as
     what precedes that (the heading), and the .more part takes the room left and hides its items
     whole (whole-items.ts); its size counts for nothing in the zone's (contain: size). Where the zone shrank below its heading (large text on every panel but the
     portrait one, 1366×768 in any text), the basket's and the summary's headings were hidden whole
     and the basket showed an empty box above its rows. */
  .info > .more {
    flex: 1 1 auto;
    min-height: 0;
    overflow: hidden;
    display: flex;
    flex-direction: column;
  }
  .more > * {
    flex-shrink: 0;
  }
  ${whenShortOfRoom(".info:has(> .more)", "min-height: min-content;")}
  ${whenShortOfRoom(".info > .more", "flex-basis: 0; contain: size;")}
  /* Short of room a heading keeps one line where it can (in Ukrainian the start screen's took two at
     1366×768 in large text, and the reader's pointer had no room), still the largest text but an
     amount. */
  ${whenShortOfRoom(".info h1", "margin-bottom: 0.25em; font-size: 1.6rem;")}
  /* A device pointer is what a visitor who cannot find the reader or the PIN pad needs most: short of
     room its arrow gets smaller and stands beside the sentence, not above it, and the sentence takes
     the body text's size (bold still). */
  ${whenShortOfRoom("device-pointer", "--pointer-arrow: 1.6em; gap: 0.5rem; font-size: 1rem; line-height: 1.25;")}
  ${whenShortOfRoom('device-pointer[place="below"]', "flex-direction: row; justify-content: center;")}
  /* Large text on a short panel (1366×768): an action 126 px tall, its words' height and more again in
     padding. Less padding keeps them 88 px, twice a touch target's minimum. */
  @media ${shortPanel} {
    :host-context(.large-text) .actions {
      padding-top: 0.4rem;
    }
    :host-context(.large-text) .actions button.big {
      min-height: 2.6rem;
      padding-block: 0.3em;
    }
  }
`;

/**
 * Idle time on screens where the visitor picks services and types amounts and references (someone
 * may be looking for a decision number): twice the kiosk's idle time, 120 s at the default 60 s.
 */
export function dataEntrySeconds(idleTimeoutSeconds: number): number {
  return idleTimeoutSeconds * 2;
}

/**
 * Where the reach line is, as a fraction of the panel's height from the top: on a portrait panel
 * everything is reachable below 40 % (the lower 60 %), on a landscape one below 25 % (a 1080-line
 * panel mounted with its lower edge 90 cm above the floor ends about 130 cm up; forward reach ends at
 * 122 cm, EN 301 549 §8.3.3).
 */
export function reachLine(
  width: number,
  height: number,
  orientation: "auto" | "portrait" | "landscape",
): number {
  const portrait = orientation === "auto" ? height >= width : orientation === "portrait";
  return Math.round(height * (portrait ? 0.4 : 0.25));
}
