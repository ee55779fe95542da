import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const srcDir = join(import.meta.dirname, "../src");

/** Every source file under src/, with what it imports: our own modules as `@/path` from src/. */
function readImports(): { file: string; imports: string[] }[] {
  const files = readdirSync(srcDir, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts"))
    .map((path) => join(srcDir, path));
  return files.map((path) => {
    const text = readFileSync(path, "utf8");
    // `… from "x"`, a bare `import "x"`, and `import("x")`.
    const specifiers = [
      ...text.matchAll(/\bfrom\s+"([^"]+)"|\bimport\s+"([^"]+)"|\bimport\s*\(\s*"([^"]+)"\s*\)/g),
    ].map((match) => match[1] ?? match[2] ?? match[3] ?? "");
    return {
      file: relative(srcDir, path),
      imports: specifiers.map((specifier) =>
        specifier.startsWith(".")
          ? `@/${relative(srcDir, join(dirname(path), specifier))}`
          : specifier,
      ),
    };
  });
}

/** [what, files that must not, imports they must not make] */
const forbiddenArrows: [string, RegExp, RegExp][] = [
  ["LanceDB and Arrow stay inside store/", /^(?!store\/)/, /^(@lancedb\/lancedb|apache-arrow)/],
  [
    "the store never reads the layers above it",
    /^store\//,
    /^@\/(retrieval|answer|workflows|http|ingest)\//,
  ],
  [
    "retrieval, answers and workflows know nothing of HTTP",
    /^(retrieval|answer|workflows|model)\//,
    /^(@\/http\/|hono)/,
  ],
  [
    "the model seam stands below answers and retrieval",
    /^model\//,
    /^@\/(answer|retrieval|store|http)\//,
  ],
  [
    "client, widget and edge import only the contract and each other, never server modules",
    /^(client|widget|edge)\//,
    /^@\/((answer|retrieval|workflows|store|embed|ingest|model|http|eval|cli)\/|config\.js$|(serve-|ingest-)?main\.js$)/,
  ],
  ["the contract is the bottom floor", /^contract\//, /^@\/(?!contract\/)/],
  [
    "the triage classifier is plain computation: no store, HTTP, retrieval or workflows",
    /^triage\//,
    /^(@\/(store|http|retrieval|answer|workflows|ingest|model)\/|hono|@lancedb)/,
  ],
  [
    "access control is shared by the Node app and the edge: it stands on errors.ts alone",
    /^access\//,
    /^@\/(?!access\/|errors\.js$)/,
  ],
];

describe("the import arrows that must never exist (see the README's code map)", () => {
  const sources = readImports();

  it.each(forbiddenArrows)("%s", (_rule, files, imports) => {
    const offending = sources.flatMap(({ file, imports: made }) =>
      files.test(file)
        ? made.filter((target) => imports.test(target)).map((target) => `${file} → ${target}`)
        : [],
    );
    expect(offending).toEqual([]);
  });

  it("reads the imports it checks", () => {
    // A scan that found nothing would pass every rule above.
    const answerImports = sources.find((source) => source.file === "answer/answer-question.ts");
    expect(answerImports?.imports).toContain("@/retrieval/search-kb.js");
  });
});
