/**
 * `oplatomat hub <command> --help` prints that command's usage, as the kiosk's commands do (SPEC §5:
 * `--help` on every command); it printed the hub's general usage. A usage error shows the usage of
 * the command it was made to.
 */
import { describe, expect, it } from "vitest";
import { runHubCli } from "../../../hub/cli.ts";

async function run(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runHubCli(argv, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    env,
  });
  return { code, out, err };
}

describe("oplatomat hub --help", () => {
  it.each([
    ["start", "--port N"],
    ["migrate", "owner of the hub's tables"],
    ["demo", "--kind kiosk|desk"],
    ["hash-password", "standard input"],
  ])("hub %s --help prints its own usage and exits 0", async (command, says) => {
    for (const flag of ["--help", "-h"]) {
      const result = await run([command, flag]);
      expect(result).toMatchObject({ code: 0, err: "" });
      expect(result.out.startsWith(`Usage: oplatomat hub ${command}`), result.out).toBe(true);
      expect(result.out).toContain(says);
      expect(result.out).not.toContain("Commands:");
    }
  });

  it("the hub's own usage lists the commands", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("Usage: oplatomat hub <command>");
    expect(result.out).toContain("hash-password");
  });

  it("a usage error names the command's usage, exit 2", async () => {
    const kind = await run(["demo", "--kind", "atm"]);
    expect(kind.code).toBe(2);
    expect(kind.err).toContain("--kind atm: expected kiosk or desk\n\nUsage: oplatomat hub demo");
    const unknown = await run(["start", "--verbose"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("Usage: oplatomat hub start");
    const none = await run(["migrate"]);
    expect(none.code).toBe(2);
    expect(none.err).toContain(
      "no configuration: pass --config FILE or set OPLATOMAT_HUB_CONFIG (or OPLATOMAT_CONFIG)\n\nUsage: oplatomat hub migrate",
    );
  });
  it("takes OPLATOMAT_CONFIG, as SPEC §3 names it, when neither --config nor OPLATOMAT_HUB_CONFIG is given", async () => {
    const missing = "/nonexistent/oplatomat-hub-test.yaml";
    const spec = await run(["migrate"], { OPLATOMAT_CONFIG: missing });
    expect(spec.err).toContain(`cannot read ${missing}`);
    const hub = await run(["migrate"], { OPLATOMAT_CONFIG: missing, OPLATOMAT_HUB_CONFIG: `${missing}.hub` });
    expect(hub.err).toContain(`cannot read ${missing}.hub`);
    // Set but empty (`Environment=OPLATOMAT_HUB_CONFIG=` in a unit) names no file: the next one is read.
    const empty = await run(["migrate"], { OPLATOMAT_CONFIG: missing, OPLATOMAT_HUB_CONFIG: "" });
    expect(empty.err).toContain(`cannot read ${missing}`);
  });
});
