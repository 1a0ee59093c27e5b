/**
 * Named points where the crash-matrix tests kill the daemon (SIGKILL, no clean-up), to prove that
 * a restart from any of them ends every payment in a known state. Inert unless
 * OPLATOMAT_CRASH_AT is set: `<name>` kills at that point, `<name>#N` at its N-th pass,
 * `random:P` at any point with probability P.
 */
const target = process.env["OPLATOMAT_CRASH_AT"] ?? "";
const passes = new Map<string, number>();

export const CRASH_POINTS = [
  "flow.summary.written",
  "flow.authorizing.written",
  "flow.result.persisted",
  "flow.result.acknowledged",
  "flow.completion.received",
  "flow.committed",
  "flow.printed",
  "flow.done",
  "outbox.before-send",
  "outbox.after-send",
  "outbox.marked",
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

export function crashPoint(name: CrashPoint): void {
  if (!target) return;
  const n = (passes.get(name) ?? 0) + 1;
  passes.set(name, n);
  let hit = false;
  if (target.startsWith("random:")) hit = Math.random() < Number(target.slice(7));
  else if (target.includes("#")) hit = target === `${name}#${n}`;
  else hit = target === name;
  if (hit) {
    process.stderr.write(`CRASH at ${name} (pass ${n})\n`);
    process.kill(process.pid, "SIGKILL");
  }
}
