/**
 * The layer rules of ARCHITECTURE, checked on the source itself (issue 14): no import cycles, a pure
 * domain, SQL only in the store modules, a composition root that only wires, and short functions.
 * Each rule reads the code with the TypeScript compiler or madge, so a file added tomorrow is covered.
 */
import fs from "node:fs";
import path from "node:path";
import madge from "madge";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

function parse(file: string): ts.SourceFile {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

/** Module specifiers of every import, export-from and dynamic import of a file. */
function importsOf(source: ts.SourceFile): string[] {
  const out: string[] = [];
  walk(source, (n) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier) {
      if (ts.isStringLiteral(n.moduleSpecifier)) out.push(n.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(n) &&
      n.expression.kind === ts.SyntaxKind.ImportKeyword &&
      n.arguments[0] &&
      ts.isStringLiteralLike(n.arguments[0])
    ) {
      out.push(n.arguments[0].text);
    }
  });
  return out;
}

const SQL_TEXT =
  /\b(SELECT\s+(\*|[\w(])|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TABLE|INDEX)\s|BEGIN\s+IMMEDIATE|PRAGMA\s)/;

/** Where a file talks to a database itself: `prepare(`, `pragma(`, `exec("…")`, or SQL text. */
function sqlIn(source: ts.SourceFile): string[] {
  const found: string[] = [];
  const at = (n: ts.Node) =>
    `${source.fileName}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  walk(source, (n) => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const name = n.expression.name.text;
      const first = n.arguments[0];
      const literal = first && (ts.isStringLiteralLike(first) || ts.isTemplateExpression(first));
      if (name === "prepare" || name === "pragma" || (name === "exec" && literal))
        found.push(`${at(n)} ${name}(`);
    }
    if (ts.isStringLiteralLike(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) {
      if (SQL_TEXT.test(n.text)) found.push(`${at(n)} SQL text`);
    }
  });
  return found;
}

function nameOf(node: ts.Node): string {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    const named = n as { name?: ts.Node };
    if (named.name && (ts.isIdentifier(named.name) || ts.isStringLiteral(named.name))) {
      return n === node ? named.name.text : `<in ${named.name.text}>`;
    }
    if (ts.isConstructorDeclaration(n)) {
      const cls = n.parent as ts.ClassDeclaration;
      return `${cls.name?.text ?? "<class>"}.constructor`;
    }
  }
  return "<anonymous>";
}

/** Functions (declarations, methods, arrows, expressions) longer than `max` lines, as `file#name lines`. */
function longFunctions(source: ts.SourceFile, max: number): string[] {
  const out: string[] = [];
  walk(source, (n) => {
    if (!ts.isFunctionLike(n) || !(n as { body?: ts.Node }).body) return;
    const first = source.getLineAndCharacterOfPosition(n.getStart()).line;
    const last = source.getLineAndCharacterOfPosition(n.end).line;
    const lines = last - first + 1;
    if (lines > max) out.push(`${source.fileName}#${nameOf(n)} ${lines}`);
  });
  return out;
}

const PRODUCT_DIRS = ["kiosk", "devices", "hub", "contracts"];

describe("architecture (ARCHITECTURE.md, issue 14)", () => {
  it("has no import cycles in kiosk, devices, hub, contracts and the UI (the simulators included)", async () => {
    const result = await madge(
      ["kiosk", "devices", "hub", "contracts", "ui/src"].map((d) => path.join(ROOT, d)),
      { fileExtensions: ["ts"], baseDir: ROOT },
    );
    expect(result.circular()).toEqual([]);
    // madge parses every file it reached; a file it could not read would hide its imports.
    expect(result.warnings().skipped.filter((spec) => spec.startsWith("."))).toEqual([]);
  });

  it("keeps kiosk/domain pure: it imports only itself and node:crypto", () => {
    const outside = sourceFiles("kiosk/domain").flatMap((file) =>
      importsOf(parse(file))
        .filter((spec) => !spec.startsWith("./") && spec !== "node:crypto")
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(outside).toEqual([]);
  });

  it("keeps devices/ apart from the kiosk, and hub/ and kiosk/ apart from each other", () => {
    const crossing = (dir: string, forbidden: RegExp) =>
      sourceFiles(dir).flatMap((file) =>
        importsOf(parse(file))
          .filter((spec) => forbidden.test(path.posix.join(path.posix.dirname(file), spec)))
          .map((spec) => `${file} imports ${spec}`),
      );
    expect(crossing("devices", /^kiosk\//)).toEqual([]);
    expect(crossing("hub", /^kiosk\/(?!domain\/)/)).toEqual([]);
    expect(crossing("kiosk", /^hub\//)).toEqual([]);
  });

  it("keeps SQL in kiosk/store and hub/store", () => {
    const offenders = PRODUCT_DIRS.flatMap(sourceFiles)
      .filter((file) => !file.startsWith("kiosk/store/") && !file.startsWith("hub/store/"))
      .flatMap((file) => sqlIn(parse(file)));
    expect(offenders).toEqual([]);
  });

  it("keeps the composition root a wiring diagram: kiosk/main.ts has at most 200 lines", () => {
    const lines = fs.readFileSync(path.join(ROOT, "kiosk/main.ts"), "utf8").trimEnd().split("\n").length;
    expect(lines).toBeLessThanOrEqual(200);
  });

  it("has no function over 100 lines in kiosk/ and devices/", () => {
    const long = ["kiosk", "devices"].flatMap(sourceFiles).flatMap((file) => longFunctions(parse(file), 100));
    expect(long).toEqual([]);
  });
});
