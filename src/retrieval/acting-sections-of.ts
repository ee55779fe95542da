import type { ChunkSummary } from "../store/index-rows.js";
import type { IndexSnapshot } from "../store/index-snapshot.js";
import { sectionRole } from "../text/section-role.js";

/**
 * The acting sections (Remediation, Steps…) of the first `documents`
 * documents of the ranking that the candidates missed, one chunk per section.
 * A runbook's alert name is in every chunk's search text, so BM25 favours its
 * short Symptoms and Verify over its long Remediation, which may not be a
 * candidate at all; the document's places can only go to the fix if it is.
 * Only the document's own fix counts, not a branch's (`Replication lag ›
 * Resolution` fixes only that): without a score, a branch would be a guess.
 */
export async function actingSectionsOf(
  snapshot: IndexSnapshot,
  ranked: readonly { item: ChunkSummary }[],
  documents: number,
  /** A Rollback is the fix only when the question asks to undo something. */
  intents: { undo: boolean },
): Promise<ChunkSummary[]> {
  const firstOfDocument = new Map<string, ChunkSummary>();
  const hasActing = new Set<string>();
  for (const { item } of ranked) {
    if (!firstOfDocument.has(item.docPath)) {
      if (firstOfDocument.size >= documents) continue;
      firstOfDocument.set(item.docPath, item);
    }
    if (sectionRole(item.headingPath, intents) === "acting") hasActing.add(item.docPath);
  }
  const missing = [...firstOfDocument.keys()].filter((path) => !hasActing.has(path));
  if (missing.length === 0) return [];
  const found = new Map<string, ChunkSummary>();
  for (const chunk of await snapshot.chunksOfDocuments(missing)) {
    const document = firstOfDocument.get(chunk.docPath) as ChunkSummary;
    if (!isDocumentFix(chunk.headingPath, document.title, intents)) continue;
    const key = `${chunk.docPath}\u0001${chunk.headingPath.join("\u0000")}`;
    const known = found.get(key);
    if (known !== undefined && known.chunkIndex <= chunk.chunkIndex) continue;
    found.set(key, {
      id: chunk.id,
      docPath: chunk.docPath,
      chunkIndex: chunk.chunkIndex,
      headingPath: chunk.headingPath,
      title: document.title,
      kind: document.kind,
      services: document.services,
    });
  }
  return [...found.values()].sort((left, right) => left.chunkIndex - right.chunkIndex);
}

/** An acting section with nothing above it but the title or other acting headings (`Remediation › Contain`). */
function isDocumentFix(
  headingPath: readonly string[],
  title: string,
  intents: { undo: boolean },
): boolean {
  if (sectionRole(headingPath, intents) !== "acting") return false;
  const lowerTitle = title.toLowerCase();
  return headingPath
    .slice(0, -1)
    .every(
      (heading) => heading.toLowerCase() === lowerTitle || sectionRole([heading]) === "acting",
    );
}
