import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { KbError } from "../errors.js";
import type { Taxonomy } from "./taxonomy.js";
import { TaxonomyFile } from "./taxonomy-file.js";

/** A taxonomy is a page of labels; more than this is a wrong file. Characters. */
const maxTaxonomyChars = 1024 * 1024;

/** Where the taxonomy lives in the KB folder, first found wins. */
export const taxonomyFileNames = ["taxonomy.yaml", "taxonomy.yml"] as const;

/**
 * The taxonomy file's text to a Taxonomy. Throws `invalid_taxonomy` naming `path` and each
 * bad field. YAML as for frontmatter: the `yaml` package with an alias limit, so a
 * "billion laughs" file fails instead of expanding.
 */
export function parseTaxonomy(yamlText: string, path: string): Taxonomy {
  if (yamlText.length > maxTaxonomyChars) throw tooLong(path);
  let data: unknown;
  try {
    data = parseYaml(yamlText.replace(/^\uFEFF/, ""), { maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new KbError("invalid_taxonomy", `${path}: not valid YAML: ${message}`, { cause: error });
  }
  const parsed = TaxonomyFile.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      field: issue.path.join(".") || "taxonomy",
      message: issue.message,
    }));
    throw new KbError(
      "invalid_taxonomy",
      `${path}: invalid taxonomy: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join("; ")}`,
      { details: problems },
    );
  }
  const file = parsed.data;
  return {
    version: file.version,
    source: "file",
    categories: file.categories,
    priorities: file.priorities.map((priority, rank) => ({ ...priority, rank })),
    teams: file.teams,
    tags: file.tags,
  };
}

/** The path of the KB folder's taxonomy file, or null when it has none. */
export function findTaxonomyFile(kbDir: string): string | null {
  const name = taxonomyFileNames.find((candidate) => existsSync(join(kbDir, candidate)));
  return name === undefined ? null : join(kbDir, name);
}

/** `taxonomy.yaml` (or `.yml`) of the KB folder; null when there is none. Throws as parseTaxonomy. */
export function readTaxonomyFile(kbDir: string): Taxonomy | null {
  const path = findTaxonomyFile(kbDir);
  if (path === null) return null;
  let text: string;
  try {
    // Refused before reading: UTF-8 takes at most 4 bytes a character.
    if (statSync(path).size > maxTaxonomyChars * 4) throw tooLong(path);
    text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path));
  } catch (error) {
    if (error instanceof KbError) throw error;
    // Deleted between the look and the read: as if it had never been there.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    const reason = error instanceof TypeError ? "not valid UTF-8" : (error as Error).message;
    throw new KbError("invalid_taxonomy", `${path}: cannot be read: ${reason}`, { cause: error });
  }
  return parseTaxonomy(text, path);
}

const tooLong = (path: string) =>
  new KbError(
    "invalid_taxonomy",
    `${path}: the taxonomy is longer than ${maxTaxonomyChars} characters`,
  );
