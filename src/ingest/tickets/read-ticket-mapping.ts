import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import matter from "gray-matter";
import { TicketMapping } from "./ticket-mapping.js";

export type MappingOutcome =
  | { ok: true; mapping: TicketMapping; path: string }
  | { ok: false; reason: string };

const refuseExecutable = () => {
  throw new Error("executable YAML (---js) is not allowed");
};

/**
 * The mapping for a CSV export: `<name>.mapping.yaml` (or `.yml`) beside it,
 * else `mapping.yaml` in its folder. Paths relative to the KB folder.
 */
export function readTicketMapping(kbDir: string, csvPath: string): MappingOutcome {
  const folder = dirname(csvPath);
  const stem = basename(csvPath).replace(/\.csv$/i, "");
  const candidates = [
    `${stem}.mapping.yaml`,
    `${stem}.mapping.yml`,
    "mapping.yaml",
    "mapping.yml",
  ].map((name) => (folder === "." ? name : `${folder}/${name}`));
  const path = candidates.find((candidate) => existsSync(join(kbDir, candidate)));
  if (path === undefined) {
    return {
      ok: false,
      reason: `no mapping for this CSV: put ${candidates[0]} (or mapping.yaml for the folder) beside it; see tickets/mappings/ for ServiceNow and Jira`,
    };
  }
  return readTicketMappingFile(join(kbDir, path), path);
}

/** A mapping file read and checked; `path` names it in problems. */
export function readTicketMappingFile(fullPath: string, path: string): MappingOutcome {
  let data: unknown;
  try {
    // gray-matter's YAML reader (js-yaml, safe schema) is already ours: a mapping is a frontmatter block alone.
    data = matter(`---\n${readFileSync(fullPath, "utf8")}\n---\n`, {
      engines: { js: refuseExecutable, javascript: refuseExecutable },
    }).data;
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    return { ok: false, reason: `${path}: not valid YAML: ${message}` };
  }
  const parsed = TicketMapping.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "mapping"}: ${issue.message}`,
    );
    return { ok: false, reason: `${path}: invalid mapping: ${problems.join("; ")}` };
  }
  return { ok: true, mapping: parsed.data, path };
}
