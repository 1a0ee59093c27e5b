/**
 * Which is newer: a call's answer or what the event stream delivered while the call ran. The daemon
 * sends every change of the session on the stream, in order (SPEC §4), so a session the stream
 * delivered during a call is either newer than the call's answer or followed by the call's own change;
 * the answer, shown after it, could put back a state that is gone: a card the terminal declined before
 * the pay call's 202 came back stayed "authorizing", a visit ended by the daemon while a scan's answer
 * was on its way came back as a summary nobody could pay.
 */
export class StreamOrder {
  private delivered = 0;

  /** The stream delivered a session. */
  onEvent(): void {
    this.delivered += 1;
  }

  /** A mark to take before a call. */
  mark(): number {
    return this.delivered;
  }

  /** True when the stream delivered nothing since `mark`: the call's answer is the newest state. */
  answerIsNewest(mark: number): boolean {
    return this.delivered === mark;
  }
}
