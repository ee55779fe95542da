import { posix } from "node:path";
import type { Source } from "../retrieval/source.js";
import type { IndexSnapshot } from "../store/index-snapshot.js";

/**
 * Where each relative link of the sources leads, keyed by the KB path it
 * resolves to plus its `#anchor`: the `/v1/sections/<id>` of the section it
 * names (the document's first section when it names none). A link whose
 * document or heading the index does not hold is absent.
 */
export type KbLinkTargets = ReadonlyMap<string, string>;

/** `[text](target "title")`, where the target has no spaces; images too (`![alt](…)`). */
const markdownLink = /(!?)\[([^\]\n]*)\]\(([^()\s]+)(\s+"[^"\n]*")?\)/g;
/** A target with a scheme (`https:`, `mailto:`) or from the site root leaves the KB. */
const leavesKb = /^(?:[a-z][a-z0-9+.-]*:|\/)/i;

/** The KB path and anchor a relative link of the document at `fromPath` points to; undefined when it leaves the KB. */
export function resolveKbLink(
  fromPath: string,
  target: string,
): { path: string; anchor: string } | undefined {
  if (leavesKb.test(target)) return undefined;
  const hash = target.indexOf("#");
  const file = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? "" : target.slice(hash + 1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(file);
  } catch {
    // A malformed escape is no path we could find; the link is taken as written.
    decoded = file;
  }
  const path =
    decoded === "" ? fromPath : posix.normalize(posix.join(posix.dirname(fromPath), decoded));
  if (path.startsWith("../") || path === ".." || path.startsWith("/")) return undefined;
  return { path, anchor: anchor.toLowerCase() };
}

function keyOf(path: string, anchor: string): string {
  return `${path}#${anchor}`;
}

/** GitHub's heading anchors: lowercased, punctuation dropped, spaces as hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The sections the sources' relative links name, found in the index in one read. */
export async function readKbLinkTargets(
  snapshot: IndexSnapshot,
  sources: readonly Source[],
): Promise<Map<string, string>> {
  const wanted = new Map<string, { path: string; anchor: string }>();
  for (const source of sources) {
    for (const match of source.text.matchAll(markdownLink)) {
      const link = resolveKbLink(source.path, match[3] ?? "");
      if (link !== undefined) wanted.set(keyOf(link.path, link.anchor), link);
    }
  }
  if (wanted.size === 0) return new Map();
  const paths = [...new Set([...wanted.values()].map((link) => link.path))];
  const chunks = (await snapshot.chunksOfDocuments(paths)).sort(
    (left, right) => left.chunkIndex - right.chunkIndex,
  );
  const targets = new Map<string, string>();
  for (const [key, { path, anchor }] of wanted) {
    const ofDocument = chunks.filter((chunk) => chunk.docPath === path);
    // The first chunk under the heading the anchor names: a section's own text, or its first subsection.
    const target =
      anchor === ""
        ? ofDocument[0]
        : ofDocument.find((chunk) =>
            chunk.headingPath.some((heading) => headingSlug(heading) === anchor),
          );
    if (target !== undefined) targets.set(key, `/v1/sections/${target.id}`);
  }
  return targets;
}

/**
 * The quoted markdown with each relative link made one a reader can follow:
 * to the section it names when the index holds it, else to the KB path it
 * resolves to from the quoting document's folder. Links that leave the KB
 * stay as written; so do links inside code.
 */
export function rewriteKbLinks(markdown: string, fromPath: string, targets: KbLinkTargets): string {
  if (!markdown.includes("](")) return markdown;
  return markdown
    .split(/(```[\s\S]*?```|`[^`\n]*`)/)
    .map((part, index) =>
      // Odd parts are code: a link there is text someone will run or copy.
      index % 2 === 1
        ? part
        : part.replace(
            markdownLink,
            (whole, bang: string, text: string, target: string, title = "") => {
              const link = resolveKbLink(fromPath, target);
              if (link === undefined) return whole;
              const href =
                targets.get(keyOf(link.path, link.anchor)) ??
                (link.anchor === "" ? link.path : `${link.path}#${link.anchor}`);
              return `${bang}[${text}](${href}${title})`;
            },
          ),
    )
    .join("");
}
