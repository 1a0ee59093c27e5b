/**
 * A shorter ZVT T3 for the crash rig (OPLATOMAT_ZVT_T3_MS, milliseconds): its simulator answers on
 * loopback at once, and the default T3 (5 s) is paid several times per restart against a terminal
 * that repeats nothing (06 20 asked three times, T3 apart) or that still finishes a dead process's
 * transaction (recovery waits for T3 of quiet). Inert unless set; a real terminal keeps the default.
 */
export function terminalTimeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): { t3Ms?: number } {
  const ms = Number(env["OPLATOMAT_ZVT_T3_MS"] ?? "");
  return Number.isInteger(ms) && ms >= 100 ? { t3Ms: ms } : {};
}
