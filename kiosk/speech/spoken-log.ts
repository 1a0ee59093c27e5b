/**
 * The last sentences the daemon was asked to speak, in memory only: what a visitor who cannot see
 * the screen was told, for the end-to-end tests of audio mode (issue 18) and for a technician asking
 * "what did the kiosk say?". Bounded; never written to disk or the log (it holds amounts and the
 * references a visitor typed).
 */
export interface SpokenEntry {
  at: string;
  language: string;
  id: string;
  text: string;
}

export class SpokenLog {
  private readonly entries: SpokenEntry[] = [];

  constructor(private readonly limit = 500) {}

  add(entry: Omit<SpokenEntry, "at">, at = new Date()): void {
    this.entries.push({ at: at.toISOString(), ...entry });
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  list(): SpokenEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries.length = 0;
  }
}
