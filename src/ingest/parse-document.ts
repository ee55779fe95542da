import matter from "gray-matter";
import type { Tokens } from "marked";
import { parse as parseYaml } from "yaml";
import { headingText, lexBlocks } from "../markdown/lex-markdown.js";
import { Frontmatter, frontmatterFields, knownFrontmatterKeys } from "./frontmatter.js";
import type { KbDocument } from "./kb-document.js";

export type ParseResult = { ok: true; document: KbDocument } | { ok: false; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

const refuseExecutableFrontmatter = () => {
  throw new Error("executable frontmatter (---js) is not allowed; use YAML");
};

/** Frontmatter describes a document; more than this is not frontmatter. Characters. */
const maxFrontmatterChars = 64 * 1024;

/**
 * YAML through the `yaml` package rather than gray-matter's js-yaml, for its alias limit: a
 * 399-byte "billion laughs" block of nested aliases expanded to gigabytes and stopped the
 * whole ingest. Now that file alone fails, with the reason.
 */
const boundedYaml = (text: string): object => {
  if (text.length > maxFrontmatterChars) {
    throw new Error(`frontmatter is longer than ${maxFrontmatterChars} characters`);
  }
  return parseYaml(text, { maxAliasCount: 100 }) ?? {};
};

/**
 * Bytes to a KbDocument, or the reason it cannot be one. Never throws for bad
 * input: one broken file must not stop an ingest of thousands.
 */
export function parseDocument(path: string, bytes: Uint8Array, contentHash: string): ParseResult {
  let source: string;
  try {
    source = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: "file is not valid UTF-8" };
  }
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);

  let data: Record<string, unknown>;
  let body: string;
  try {
    // Passing options also turns off gray-matter's unbounded cache keyed by file content.
    const parsed = matter(source, {
      engines: {
        yaml: boundedYaml,
        js: refuseExecutableFrontmatter,
        javascript: refuseExecutableFrontmatter,
      },
    });
    data = (parsed.data ?? {}) as Record<string, unknown>;
    body = parsed.content;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ok: false, reason: `invalid frontmatter: ${message}` };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, reason: "invalid frontmatter: expected key: value pairs" };
  }

  // A key left empty in YAML (`owner:`) means "not given", not "null is the owner".
  const given = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== null));
  const frontmatter = Frontmatter.safeParse(given);
  if (!frontmatter.success) {
    const problems = frontmatter.error.issues.map(
      (issue) => `${issue.path.join(".") || "frontmatter"}: ${issue.message}`,
    );
    return { ok: false, reason: `invalid frontmatter: ${problems.join("; ")}` };
  }
  if (body.trim() === "") return { ok: false, reason: "document has no text" };

  const fields = frontmatterFields(frontmatter.data);
  const extra = Object.fromEntries(
    Object.entries(given).filter(([key]) => !knownFrontmatterKeys.has(key)),
  );
  const title = fields.title || firstHeading(body) || titleFromPath(path);
  return {
    ok: true,
    document: {
      path,
      contentHash,
      ...fields,
      title,
      kind: normaliseKind(fields.kind) ?? kindFromPath(path),
      aliases: withLeadingHeading(fields.aliases, title, body),
      extra,
      body,
    },
  };
}

const incidentWords = new Set([
  "incident",
  "incidents",
  "postmortem",
  "postmortems",
  "post-mortem",
  "post-mortems",
]);
const runbookWords = new Set(["runbook", "runbooks", "playbook", "playbooks"]);

function normaliseKind(kind: string | undefined): string | undefined {
  if (kind === undefined) return undefined;
  if (incidentWords.has(kind)) return "incident";
  if (runbookWords.has(kind)) return "runbook";
  return kind;
}

/** Real-world folders say what they hold: `runbooks/`, `incidents/`, `postmortems/`. */
export function kindFromPath(path: string): string {
  const folders = path.toLowerCase().split("/").slice(0, -1);
  for (let index = folders.length - 1; index >= 0; index--) {
    const folder = folders[index] ?? "";
    if (incidentWords.has(folder)) return "incident";
    if (runbookWords.has(folder)) return "runbook";
  }
  return "runbook";
}

/**
 * A leading `# H1` that differs from the frontmatter title is another name for
 * the document (runbooks often title themselves with the alert name, such as
 * `# KubePodCrashLooping`), so it joins the aliases that every chunk is searched by.
 */
function withLeadingHeading(aliases: string[], title: string, body: string): string[] {
  const firstLine = body.trimStart().split("\n", 1)[0] ?? "";
  const match = /^#[ \t]+(.+?)[ \t#]*$/.exec(firstLine);
  const heading = match?.[1]?.replace(/[`*_]/g, "").trim();
  if (!heading || heading.toLowerCase() === title.toLowerCase()) return aliases;
  if (aliases.some((alias) => alias.toLowerCase() === heading.toLowerCase())) return aliases;
  return [...aliases, heading];
}

function firstHeading(body: string): string | undefined {
  for (const token of lexBlocks(body)) {
    if (token.type === "heading") {
      const heading = headingText(token as Tokens.Heading);
      if (heading !== "") return heading;
    }
  }
  return undefined;
}

function titleFromPath(path: string): string {
  const name = path.split("/").pop() ?? path;
  const words = name
    .replace(/\.(md|markdown)$/i, "")
    .replace(/[-_]+/g, " ")
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
