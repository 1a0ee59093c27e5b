/**
 * The release bundle's stand-in for glob (scripts/build-shims/glob.mjs): @fastify/static lists the
 * hub page's files with it (wildcard: false), so the stand-in must find and run the real glob that
 * @fastify/static depends on, at the first call.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module of the build, without types
import { glob } from "../../../scripts/build-shims/glob.mjs";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-glob-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it("lists files as @fastify/static asks for them, through the glob @fastify/static depends on", async () => {
  fs.mkdirSync(path.join(dir, "assets"));
  fs.writeFileSync(path.join(dir, "index.html"), "<html></html>");
  fs.writeFileSync(path.join(dir, "assets", "page.js"), "");
  const files = (await glob("**/**", {
    cwd: `${dir}/`,
    absolute: false,
    follow: true,
    nodir: true,
  })) as string[];
  expect(files.sort()).toEqual(["assets/page.js", "index.html"]);
});
