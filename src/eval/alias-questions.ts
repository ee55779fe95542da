import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { listKbFiles } from "../ingest/list-kb-files.js";
import { parseDocument } from "../ingest/parse-document.js";

/** A question generated from a document's alias: how on-call people paste an alert or an error. */
export interface AliasQuestion {
  question: string;
  alias: string;
  /** The document whose alias it is. */
  gold: string;
  kind: string;
  /** `bare`: the alias alone; `fix`: "how do I fix <alias>". */
  form: "bare" | "fix";
  /** Whether the alias is its runbook's first: the one the fix-first figure asks about. */
  first: boolean;
}

/** Every frontmatter alias of the KB, asked bare and as "how do I fix …", read at eval time. */
export async function aliasQuestions(kbDir: string): Promise<AliasQuestion[]> {
  const questions: AliasQuestion[] = [];
  for (const path of await listKbFiles(kbDir)) {
    const parsed = parseDocument(path, await readFile(join(kbDir, path)), "");
    if (!parsed.ok) continue;
    const { aliases, kind } = parsed.document;
    aliases.forEach((alias, index) => {
      const first = index === 0 && kind === "runbook";
      questions.push({ question: alias, alias, gold: path, kind, form: "bare", first });
      questions.push({
        question: `how do I fix ${alias}`,
        alias,
        gold: path,
        kind,
        form: "fix",
        first,
      });
    });
  }
  return questions;
}
