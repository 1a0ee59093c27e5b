/**
 * The crash matrix (issues 8 and 12): the real daemon is SIGKILLed at every named point of the
 * payment flow and the outbox (OPLATOMAT_CRASH_AT) under every terminal profile, alternating what the
 * terminal does with an approval whose acknowledgement was lost, then at random points and by
 * outside kills at random moments, restarted over the same data every time. Simulators and fake
 * receivers live in this process, so they remember what really happened, and they outlive the
 * daemon. After every kill and every start-up recovery the rig checks what must hold at any moment;
 * at the end, one clean start, the terminal's end-of-day against the kiosk's ledger, and the full
 * invariants. CRASH_RUNS restarts (50 in `npm test`, 500 in `npm run test:crash`), shared by
 * CRASH_WORKERS rigs running side by side (each its own simulators, daemon and database).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  TERMINAL_PROFILE_NAMES,
  TERMINAL_PROFILES,
  type TerminalProfileName,
} from "../../devices/sim/zvt/profiles.ts";
import { seededRandom } from "../../kiosk/integrations/fake-server.ts";
import { CRASH_POINTS } from "../../kiosk/ops/crash-points.ts";
import {
  awaitsStaff,
  checkAfterKill,
  checkInvariants,
  checkRecovered,
  type Daemon,
  endOfDayAsStaff,
  issueSlip,
  issueSlips,
  type Outcome,
  payOnce,
  type Rig,
  type Verdict,
  resolveAsStaff,
  sessionStates,
  startDaemon,
  startedUp,
  startRig,
  waitForOutbox,
} from "./rig.ts";

const RUNS = Math.max(Number(process.env["CRASH_RUNS"] ?? 50), 1);
const SEED = Number(process.env["CRASH_SEED"] ?? 8);
const WORKERS = Math.max(Number(process.env["CRASH_WORKERS"] ?? 1), 1);
/** The first run's number: `CRASH_FIRST=n CRASH_RUNS=1` replays run n of a failing plan alone. */
const FIRST = Number(process.env["CRASH_FIRST"] ?? 0);
/**
 * Every terminal profile only in the long run: profiles that repeat nothing (asked three times) or
 * print slowly make a restart several times slower, too slow for `npm test`'s short run.
 */
const ACROSS_PROFILES = process.env["CRASH_PROFILES"] === "1" || RUNS >= 100;

const RESULTS = path.resolve(import.meta.dirname, "..", "..", "test-results");

/** Payments tried per daemon life before an outside SIGKILL ends it anyway. */
const PAYMENTS_PER_LIFE = 3;

interface Plan {
  env: Record<string, string>;
  ackLost: "commit" | "reverse";
  /** The real-terminal behaviour the simulator plays in this daemon life. */
  profile: TerminalProfileName;
  /** Milliseconds after start at which the test itself SIGKILLs the daemon, if it still lives. */
  outsideKillMs?: number;
  label: string;
}

/** The short run: every named point twice (terminal keeping / reversing an unacknowledged approval). */
function defaultProfilePlan(run: number, random: () => number): Plan {
  const profile: TerminalProfileName = "repeats-last-receipt";
  if (run < CRASH_POINTS.length * 2) {
    const point = CRASH_POINTS[run % CRASH_POINTS.length] as string;
    const ackLost = run < CRASH_POINTS.length ? "reverse" : "commit";
    return { env: { OPLATOMAT_CRASH_AT: point }, ackLost, profile, label: `${point} (${ackLost})` };
  }
  const ackLost = random() < 0.5 ? "commit" : "reverse";
  if (run % 3 === 0) {
    const ms = 20 + Math.floor(random() * 400);
    return { env: {}, ackLost, profile, outsideKillMs: ms, label: `outside kill after ${ms} ms` };
  }
  return { env: { OPLATOMAT_CRASH_AT: "random:0.08" }, ackLost, profile, label: "random:0.08" };
}

/**
 * The first CRASH_POINTS × profiles runs kill at every named point (the windows: after the
 * authorizing write, after the 04 0F write, after its acknowledgement, before completion, …) under
 * every terminal profile, alternating what the terminal does with an unacknowledged approval; the
 * rest kill at random points or from outside, under a profile taken in turn. A run's plan depends on
 * its number and the seed only, whichever rig plays it.
 */
function plan(run: number): Plan {
  const random = seededRandom(SEED * 100_003 + run);
  if (!ACROSS_PROFILES) return defaultProfilePlan(run, random);
  const named = CRASH_POINTS.length * TERMINAL_PROFILE_NAMES.length;
  const ackLost = run % 2 === 0 ? "reverse" : "commit";
  if (run < named) {
    const point = CRASH_POINTS[run % CRASH_POINTS.length] as string;
    const profile = TERMINAL_PROFILE_NAMES[Math.floor(run / CRASH_POINTS.length)] as TerminalProfileName;
    return {
      env: { OPLATOMAT_CRASH_AT: point },
      ackLost,
      profile,
      label: `${point} (${profile}, ${ackLost})`,
    };
  }
  // The profile changes every third run, so each one meets outside kills and random crash points alike
  // (taken with `run % 9`, every third profile only ever met outside kills).
  const profile = TERMINAL_PROFILE_NAMES[
    Math.floor(run / 3) % TERMINAL_PROFILE_NAMES.length
  ] as TerminalProfileName;
  if (run % 3 === 0) {
    const ms = 20 + Math.floor(random() * 400);
    return {
      env: {},
      ackLost,
      profile,
      outsideKillMs: ms,
      label: `outside kill after ${ms} ms (${profile})`,
    };
  }
  return { env: { OPLATOMAT_CRASH_AT: "random:0.08" }, ackLost, profile, label: `random:0.08 (${profile})` };
}

/** What one profile saw over the run. */
interface ProfileFigures {
  restarts: number;
  outcomes: Partial<Record<Outcome, number>>;
  /** Payments recovery could not prove, left `unknown` and resolved by the technician. */
  staffed: number;
  ms: number;
}

/** The figures of the whole run, shared by the rigs. */
class Figures {
  readonly perProfile = new Map<TerminalProfileName, ProfileFigures>();
  readonly fired = new Set<string>();
  readonly problems: string[] = [];
  restarts = 0;
  /** Payments resolved by the technician after the last start. */
  lastStartStaffed = 0;

  profile(name: TerminalProfileName): ProfileFigures {
    let f = this.perProfile.get(name);
    if (!f) {
      f = { restarts: 0, outcomes: {}, staffed: 0, ms: 0 };
      this.perProfile.set(name, f);
    }
    return f;
  }

  outcomes(): Partial<Record<Outcome, number>> {
    const all: Partial<Record<Outcome, number>> = {};
    for (const f of this.perProfile.values())
      for (const [o, n] of Object.entries(f.outcomes)) all[o as Outcome] = (all[o as Outcome] ?? 0) + n;
    return all;
  }

  /** The figures so far, after every life: a long run stopped early still says how far it got. */
  save(final?: Record<string, unknown>): void {
    const summary = final ?? {
      finished: false,
      restarts: this.restarts,
      problems: this.problems,
      pointsFired: this.fired.size,
      outcomes: this.outcomes(),
      perProfile: Object.fromEntries(this.perProfile),
    };
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(path.join(RESULTS, "crash-matrix.json"), `${JSON.stringify(summary, null, 2)}\n`);
  }

  staffed(): number {
    return [...this.perProfile.values()].reduce((a, f) => a + f.staffed, this.lastStartStaffed);
  }
}

/** One rig playing daemon lives, taking the next run from the shared counter until none is left. */
class Worker {
  rig: Rig | undefined;
  daemon: Daemon | undefined;
  /** Slips not paid and not refused for good: their visitors come back after the restart. */
  readonly open: Array<string | string[]> = [];
  private readonly random: () => number;
  private defaults: Record<string, unknown> = {};

  constructor(
    readonly index: number,
    private readonly figures: Figures,
  ) {
    this.random = seededRandom(SEED + 1_000 * (index + 1));
  }

  async start(): Promise<void> {
    this.rig = await startRig();
    this.defaults = { ...this.rig.terminal.options };
  }

  async play(next: () => number | null): Promise<void> {
    for (let run = next(); run !== null; run = next()) await this.life(run, plan(run));
  }

  /** One daemon life: start, start-up recovery, up to three visitors, the kill; checks after each. */
  private async life(run: number, p: Plan): Promise<void> {
    const rig = this.rig as Rig;
    const f = this.figures.profile(p.profile);
    const started = Date.now();
    Object.assign(rig.terminal.options, this.defaults, TERMINAL_PROFILES[p.profile].options, {
      ackLostBehaviour: p.ackLost,
    });
    const before = new Set(sessionStates(rig).keys());
    const d = await startDaemon(rig, p.env);
    this.daemon = d;
    const killer =
      p.outsideKillMs === undefined ? undefined : setTimeout(() => void d.kill(), p.outsideKillMs);
    if (d.url && (await startedUp(d.url).catch(() => false))) {
      const outOfOrder = await awaitsStaff(d.url).catch(() => null);
      // null: the daemon died meanwhile, and the next life's recovery is checked instead.
      if (outOfOrder !== null && d.alive()) this.check(run, p, checkRecovered(rig, before, outOfOrder));
      for (let i = 0; i < PAYMENTS_PER_LIFE && d.alive(); i++) {
        // A payment the terminal could not prove stops the kiosk until a technician decides it.
        if (await awaitsStaff(d.url).catch(() => false))
          f.staffed += await resolveAsStaff(d.url, rig).catch(() => 0);
        // One visitor in five brings several slips (issue 16).
        const payload =
          this.open.shift() ??
          (this.random() < 0.2 ? issueSlips(rig, this.random) : issueSlip(rig, this.random));
        const outcome = await payOnce(d.url, payload);
        f.outcomes[outcome] = (f.outcomes[outcome] ?? 0) + 1;
        if (["died", "not_charged", "unavailable", "unknown"].includes(outcome)) this.open.push(payload);
        if (outcome === "died") break;
      }
    }
    if (killer) clearTimeout(killer);
    await d.kill();
    this.check(run, p, checkAfterKill(rig));
    for (const m of d.output().matchAll(/CRASH at (\S+)/g)) this.figures.fired.add(m[1] as string);
    this.figures.restarts += 1;
    f.restarts += 1;
    f.ms += Date.now() - started;
    this.figures.save();
    if (process.env["CRASH_VERBOSE"] === "1")
      console.info(`rig ${this.index} run ${run} ${p.label}: ${Date.now() - started} ms\n${d.output()}`);
  }

  private check(run: number, p: Plan, problems: string[]): void {
    for (const problem of problems)
      this.figures.problems.push(`rig ${this.index}, run ${run} (${p.label}): ${problem}`);
  }

  /**
   * The last start, no crash point: it recovers, takes every visitor still waiting, delivers every
   * message; then the technician closes the terminal's day, which must agree with the kiosk's ledger.
   */
  async finish(): Promise<{ endOfDay: Awaited<ReturnType<typeof endOfDayAsStaff>> }> {
    const rig = this.rig as Rig;
    Object.assign(rig.terminal.options, this.defaults);
    this.daemon = await startDaemon(rig);
    const base = this.daemon.url as string;
    expect(base).toBeTruthy();
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${base}/ready`)).status !== 200) {
      if (await awaitsStaff(base)) this.figures.lastStartStaffed += await resolveAsStaff(base, rig);
      if (Date.now() > deadline) throw new Error("the daemon did not get ready after the last restart");
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const payload of this.open.splice(0)) {
      const outcome = await payOnce(base, payload);
      expect(["paid", "already_paid", "declined"]).toContain(outcome);
    }
    expect(await awaitsStaff(base)).toBe(false);
    const endOfDay = await endOfDayAsStaff(base);
    await waitForOutbox(rig, 60_000);
    await this.daemon.stop();
    return { endOfDay };
  }

  async close(): Promise<void> {
    await this.daemon?.kill();
    await this.rig?.close();
  }
}

describe("crash matrix", () => {
  const figures = new Figures();
  const workers = Array.from({ length: WORKERS }, (_, i) => new Worker(i, figures));

  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.close()));
  });

  it(
    `${RUNS} SIGKILL restarts lose nothing and double nothing`,
    async () => {
      const started = Date.now();
      await Promise.all(workers.map((w) => w.start()));
      let nextRun = FIRST;
      const next = () => (nextRun < FIRST + RUNS ? nextRun++ : null);
      await Promise.all(workers.map((w) => w.play(next)));
      // Anything found after a kill or a recovery fails the run, with the run that showed it.
      expect(figures.problems).toEqual([]);

      const verdicts: Array<Verdict & { endOfDay: { count: number; total: number } }> = [];
      for (const w of workers) {
        const { endOfDay } = await w.finish();
        const verdict = checkInvariants(w.rig as Rig);
        expect(verdict.problems).toEqual([]);
        expect(verdict.approved).toBeGreaterThan(0);
        // The terminal's own end-of-day totals (06 50) equal the kiosk's ledger of the batch.
        expect({ count: endOfDay.count, total: endOfDay.total }).toEqual(endOfDay.reconciliation.kiosk);
        expect(endOfDay.count).toBe(verdict.charged);
        expect(endOfDay.reconciliation.differences).toEqual([]);
        verdicts.push({ ...verdict, endOfDay: { count: endOfDay.count, total: endOfDay.total } });
      }
      expect(figures.restarts).toBe(RUNS);
      if (RUNS >= CRASH_POINTS.length * 2)
        expect([...figures.fired].sort()).toEqual([...CRASH_POINTS].sort());
      if (ACROSS_PROFILES && RUNS >= CRASH_POINTS.length * TERMINAL_PROFILE_NAMES.length)
        expect([...figures.perProfile.keys()].sort()).toEqual([...TERMINAL_PROFILE_NAMES].sort());

      const sum = (k: "sessions" | "approved" | "charged" | "outbox") =>
        verdicts.reduce((a, v) => a + v[k], 0);
      const summary = {
        runs: RUNS,
        workers: WORKERS,
        seed: SEED,
        seconds: Math.round((Date.now() - started) / 1000),
        restarts: figures.restarts,
        sessions: sum("sessions"),
        approved: sum("approved"),
        charged: sum("charged"),
        messagesDeliveredOnce: sum("outbox"),
        staffResolved: figures.staffed(),
        endOfDay: verdicts.map((v) => v.endOfDay),
        pointsFired: figures.fired.size,
        outcomes: figures.outcomes(),
        perProfile: Object.fromEntries(figures.perProfile),
      };
      console.info(`crash matrix: ${JSON.stringify(summary)}`);
      figures.save({ finished: true, ...summary });
    },
    (RUNS * 20_000) / WORKERS + 180_000,
  );
});
