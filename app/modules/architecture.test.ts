// The shape of app/modules, read from the source: the imports of every file and what each
// runs at import time. Data flows one way: platform modules (intake, messaging, privacy,
// shopify-admin, rewards, ...) never import a capability; a capability uses platform modules
// and, of another capability, only what is allowed below; the list (capabilities.ts) is the
// one place that knows them all; nothing wires itself in by being imported.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const MODULES = dirname(fileURLToPath(import.meta.url));
const APP = dirname(MODULES);

/** The capability folders; every other folder and file under app/modules is platform. */
const CAPABILITY_FOLDERS = ["followups", "reviews", "questions", "loyalty", "referrals", "promises", "inbox"];
/** The list and its type: the only files that may know every capability (through its capability.ts). */
const THE_LIST = ["capabilities.ts", "capability.ts"];
/**
 * What a capability may use of another. Questions belong to the reviews page: their settings
 * are part of the reviews settings, answerers are named as reviewers are, and the moderation
 * pages share the product filter; they take these from reviews' public entry (index.ts) only.
 * A referral or a review rewarded in points is posted to the loyalty ledger (and referrals' people
 * are named as loyalty's members are): from loyalty's public entry only. So is a goodwill gesture
 * in points for a broken delivery promise. A gift from a conversation in the inbox is one of the
 * same goodwill gestures, named as promises name them.
 */
const ALLOWED_BETWEEN_CAPABILITIES: Record<string, string[]> = {
  questions: ["reviews/index.ts"],
  inbox: ["loyalty/index.ts", "promises/index.ts"],
  promises: ["loyalty/index.ts"],
  referrals: ["loyalty/index.ts"],
  reviews: ["loyalty/index.ts"],
};
/** Files that run as their own thread, where top-level code is the point. */
const RUNS_AT_LOAD = /\.thread\.ts$/;
/** Calls a top-level constant may make: they build a value from others and touch nothing else. */
const PURE_FUNCTIONS = new Set([
  "Object.fromEntries",
  "Object.freeze",
  "Object.keys",
  "Object.entries",
  "Array.from",
  "JSON.stringify",
  "Math.floor",
  "Symbol.for",
  "String",
  "Number",
]);
const PURE_METHODS = new Set(["map", "filter", "flatMap", "join", "endsWith"]);
const PURE_CONSTRUCTORS = new Set(["Map", "Set", "RegExp", "URL", "Intl.DateTimeFormat", "Intl.NumberFormat"]);
/** Tagged templates that only build a value (a SQL fragment). */
const PURE_TAGS = new Set(["sql"]);

type Source = { file: string; ast: ts.SourceFile; imports: string[] };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** A specifier as the file under app/modules it names (relative to it), or null when it is outside. */
function resolveImport(from: string, specifier: string): string | null {
  let target: string;
  if (specifier.startsWith("~/")) target = join(APP, specifier.slice(2));
  else if (specifier.startsWith(".")) target = resolve(dirname(from), specifier);
  else return null;
  const path = relative(MODULES, target);
  if (path.startsWith("..")) return null;
  const file = [`${path}.ts`, `${path}.tsx`, join(path, "index.ts")].find((candidate) => existsSync(join(MODULES, candidate)));
  if (!file) throw new Error(`${relative(MODULES, from)} imports ${specifier}, which names no file`);
  return file;
}

function parse(path: string, text = readFileSync(path, "utf8")): Source {
  const ast = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const imports: string[] = [];
  const visit = (node: ts.Node) => {
    const specifier =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)
        ? node.moduleSpecifier.text
        : ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0]!)
          ? (node.arguments[0] as ts.StringLiteral).text
          : null;
    const target = specifier ? resolveImport(path, specifier) : null;
    if (target) imports.push(target);
    ts.forEachChild(node, visit);
  };
  visit(ast);
  return { file: relative(MODULES, path), ast, imports };
}

const capabilityOf = (file: string) => CAPABILITY_FOLDERS.find((folder) => file.startsWith(`${folder}/`)) ?? null;

/** The import cycles among these files, each as the files around it. */
function importCycles(sources: Source[]): string[][] {
  const graph = new Map(sources.map((s) => [s.file, s.imports]));
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const walk = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) walk(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) walk(file);
  return cycles;
}

/** Imports that run against the flow: platform to capability, or into another capability's internals. */
function wrongWayImports(sources: Source[]): string[] {
  const wrong: string[] = [];
  for (const { file, imports } of sources) {
    if (THE_LIST.includes(file)) {
      for (const target of imports) {
        const capability = capabilityOf(target);
        if (capability && target !== `${capability}/capability.ts`) wrong.push(`${file} -> ${target} (the list takes a capability's capability.ts only)`);
      }
      continue;
    }
    const mine = capabilityOf(file);
    for (const target of imports) {
      const theirs = capabilityOf(target);
      if (THE_LIST.includes(target) && !(mine && file === `${mine}/capability.ts` && target === "capability.ts")) {
        wrong.push(`${file} -> ${target} (only the list and each capability.ts use it)`);
      } else if (theirs && !mine) wrong.push(`${file} -> ${target} (a platform module importing a capability)`);
      else if (theirs && mine && theirs !== mine && !(ALLOWED_BETWEEN_CAPABILITIES[mine] ?? []).includes(target)) {
        wrong.push(`${file} -> ${target} (${mine} reaching into ${theirs})`);
      }
    }
  }
  return wrong;
}

/** Why an expression evaluated at import time does more than build a value; null when it does not. */
function impurity(node: ts.Node, source: ts.SourceFile): string | null {
  if (ts.isFunctionLike(node) || ts.isClassExpression(node)) return null; // defined, not run
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    const callee = node.expression.getText(source);
    const method = ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) ? node.expression : null;
    const pure = ts.isNewExpression(node)
      ? PURE_CONSTRUCTORS.has(callee)
      : PURE_FUNCTIONS.has(callee) || (method !== null && PURE_METHODS.has(method.name.text));
    if (!pure) return `calls ${callee}()`;
    // A pure call's callbacks run now: they must be pure too, and so must what a method is called on.
    for (const argument of node.arguments ?? []) {
      const why = impurity(ts.isArrowFunction(argument) || ts.isFunctionExpression(argument) ? argument.body : argument, source);
      if (why) return why;
    }
    return method && !PURE_FUNCTIONS.has(callee) ? impurity(method.expression, source) : null;
  }
  if (ts.isTaggedTemplateExpression(node) && !PURE_TAGS.has(node.tag.getText(source))) return `runs ${node.getText(source).slice(0, 40)}`;
  if (ts.isAwaitExpression(node) || ts.isDeleteExpression(node)) return `runs ${node.getText(source).slice(0, 40)}`;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
    return `assigns ${node.left.getText(source)}`;
  }
  if (
    (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
    [ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken].includes(node.operator)
  ) {
    return `changes ${node.operand.getText(source)}`;
  }
  let found: string | null = null;
  ts.forEachChild(node, (child) => {
    found ??= impurity(child, source);
  });
  return found;
}

/** The top-level statements of a file that run code when it is imported. */
function importTimeCode({ file, ast }: Source): string[] {
  if (RUNS_AT_LOAD.test(file)) return [];
  const found: string[] = [];
  const line = (node: ts.Node) => `${file}:${ast.getLineAndCharacterOfPosition(node.getStart(ast)).line + 1}`;
  for (const statement of ast.statements) {
    if (
      ts.isImportDeclaration(statement) ||
      ts.isImportEqualsDeclaration(statement) ||
      ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isEmptyStatement(statement) ||
      ts.isExportDeclaration(statement)
    ) {
      continue;
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const why = declaration.initializer ? impurity(declaration.initializer, ast) : null;
        if (why) found.push(`${line(declaration)} ${why}`);
      }
      continue;
    }
    if (ts.isExportAssignment(statement)) {
      const why = impurity(statement.expression, ast);
      if (why) found.push(`${line(statement)} ${why}`);
      continue;
    }
    found.push(`${line(statement)} runs a statement: ${statement.getText(ast).split("\n")[0]!.slice(0, 60)}`);
  }
  return found;
}

const sources = sourceFiles(MODULES).map((path) => parse(path));
const at = (file: string, text: string): Source => parse(join(MODULES, file), text);

describe("app/modules", () => {
  it("reads every module", () => {
    expect(sources.length).toBeGreaterThan(40);
    expect(sources.find((s) => s.file === "capabilities.ts")?.imports).toEqual(expect.arrayContaining(["followups/capability.ts", "reviews/capability.ts"]));
  });

  it("has no import cycle", () => {
    expect(importCycles(sources)).toEqual([]);
  });

  it("has platform modules that never import a capability, and capabilities that use one another only as allowed", () => {
    expect(wrongWayImports(sources)).toEqual([]);
  });

  it("runs no code at import time", () => {
    expect(sources.flatMap(importTimeCode)).toEqual([]);
  });
});

// The rules fail when they should: each is shown a file that breaks it.
describe("the rules themselves", () => {
  it("see a cycle", () => {
    expect(
      importCycles([at("a.ts", `import { b } from "./messaging/consent";`), { ...at("x.ts", ""), file: "messaging/consent.ts", imports: ["a.ts"] }]),
    ).toEqual([["a.ts", "messaging/consent.ts", "a.ts"]]);
  });

  it("see a platform module importing a capability, and a capability reaching into another", () => {
    expect(wrongWayImports([at("messaging/x.ts", `import { FLOWS } from "~/modules/followups/flows";`)])).toEqual([
      "messaging/x.ts -> followups/flows.ts (a platform module importing a capability)",
    ]);
    expect(wrongWayImports([at("reviews/x.ts", `import { linkMaker } from "~/modules/followups/compose";`)])).toEqual([
      "reviews/x.ts -> followups/compose.ts (reviews reaching into followups)",
    ]);
    expect(wrongWayImports([at("questions/x.ts", `import { defaultDisplayName } from "~/modules/reviews";`)])).toEqual([]);
  });

  it("see code that runs at import time", () => {
    const source = at(
      "followups/x.ts",
      [
        `registerCustomerDataOwner({ name: "x" });`,
        `const owners = register();`,
        `export const FLOWS = FLOW_IDS.map((id) => ({ id, name: lookUp(id) }));`,
        `export const NAMES = FLOW_IDS.map((id) => ({ id }));`,
        `const cache = new Map<string, number>();`,
        `export const later = () => register();`,
      ].join("\n"),
    );
    expect(importTimeCode(source)).toEqual([
      'followups/x.ts:1 runs a statement: registerCustomerDataOwner({ name: "x" });',
      "followups/x.ts:2 calls register()",
      "followups/x.ts:3 calls lookUp()",
    ]);
  });
});
