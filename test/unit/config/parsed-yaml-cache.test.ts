/**
 * The start's cache of the configuration's parsed YAML (kiosk/config/parsed-yaml-cache.ts, issue 17):
 * used only for the very text it was parsed from, never instead of the schema and the rules, and a
 * cache that cannot be written or read changes nothing but the time.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../kiosk/config/load.ts";
import { PARSED_CONFIG_FILE, parsedYamlCacheIn } from "../../../kiosk/config/parsed-yaml-cache.ts";

const DEMO = path.resolve("config", "demo.yaml");
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-parsed-"));
  tempDirs.push(dir);
  return dir;
}

/** Rewrites the kept data as if it had been parsed from the same text. */
function tamper(dir: string, change: (data: { office: { name: string } }) => void): void {
  const file = path.join(dir, PARSED_CONFIG_FILE);
  const stored = JSON.parse(fs.readFileSync(file, "utf8")) as { data: { office: { name: string } } };
  change(stored.data);
  fs.writeFileSync(file, JSON.stringify(stored));
}

describe("the parsed configuration kept in the data directory", () => {
  it("is written at the first load and read, instead of parsing, while the text is unchanged", () => {
    const dir = dataDir();
    const first = loadConfig(DEMO, {}, parsedYamlCacheIn(dir));
    expect(fs.existsSync(path.join(dir, PARSED_CONFIG_FILE))).toBe(true);
    expect(loadConfig(DEMO, {}, parsedYamlCacheIn(dir))).toEqual(first);
    // Proof that the second start read the cache: what it holds is what the start gets.
    tamper(dir, (data) => {
      data.office.name = "Urząd z pamięci podręcznej";
    });
    expect(loadConfig(DEMO, {}, parsedYamlCacheIn(dir)).office.name).toBe("Urząd z pamięci podręcznej");
  });

  it("keeps the last good file's parse when a start is refused for a broken file", () => {
    const dir = dataDir();
    loadConfig(DEMO, {}, parsedYamlCacheIn(dir));
    const kept = fs.readFileSync(path.join(dir, PARSED_CONFIG_FILE), "utf8");
    const broken = path.join(dataDir(), "broken.yaml");
    fs.writeFileSync(
      broken,
      fs
        .readFileSync(DEMO, "utf8")
        .replace('nrb: "12102099920000000014651001"', 'nrb: "12102099920000000014651002"'),
    );
    expect(() => loadConfig(broken, {}, parsedYamlCacheIn(dir))).toThrow(/invalid NRB/);
    expect(fs.readFileSync(path.join(dir, PARSED_CONFIG_FILE), "utf8")).toBe(kept);
  });

  it("answers only for the very text it was parsed from", () => {
    const cache = parsedYamlCacheIn(dataDir());
    const text = "office:\n  name: Urząd\n";
    cache.write(text, { office: { name: "Urząd" } });
    expect(cache.read(text)).toEqual({ office: { name: "Urząd" } });
    expect(cache.read(`${text}# edited\n`)).toBeUndefined();
    expect(cache.read(text.replace("Urząd", "Urzad"))).toBeUndefined();
  });

  it("still goes through the schema and the rules", () => {
    const dir = dataDir();
    loadConfig(DEMO, {}, parsedYamlCacheIn(dir));
    tamper(dir, (data) => {
      (data as unknown as { office: { id: number } }).office.id = 5;
    });
    expect(() => loadConfig(DEMO, {}, parsedYamlCacheIn(dir))).toThrow(ConfigError);
  });

  it("keeps nothing JSON would change, and a directory it cannot write costs nothing but time", () => {
    const dir = dataDir();
    const cache = parsedYamlCacheIn(dir);
    cache.write("limit: .inf\n", { limit: Number.POSITIVE_INFINITY });
    expect(cache.read("limit: .inf\n")).toBeUndefined();
    const missing = parsedYamlCacheIn(path.join(dir, "not", "there"));
    expect(loadConfig(DEMO, {}, missing)).toEqual(loadConfig(DEMO, {}));
    expect(fs.existsSync(path.join(dir, "not"))).toBe(false);
  });
});
