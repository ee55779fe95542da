import type { Source } from "../retrieval/source.js";
import type { ChunkText } from "../store/index-rows.js";
import type { IndexSnapshot, WriteupFacts } from "../store/index-snapshot.js";

/** An incident writeup as an answer tells it: its frontmatter story and its sections' order. */
export interface Writeup extends WriteupFacts {
  /** Heading paths of the document's sections in reading order, each joined with " › ". */
  sectionOrder: string[];
}

/**
 * The writeups behind the incident sources, by path: what their frontmatter
 * says happened, why and what fixed it, and the order of their sections
 * (from `chunks`, the documents' chunks), so an answer can tell the story in
 * the order it happened.
 */
export async function readWriteups(
  snapshot: IndexSnapshot,
  sources: readonly Source[],
  chunks: readonly ChunkText[],
): Promise<Map<string, Writeup>> {
  const paths = [
    ...new Set(sources.filter((source) => source.kind === "incident").map((source) => source.path)),
  ];
  if (paths.length === 0) return new Map();
  const facts = await snapshot.writeupFactsOf(paths);
  const writeups = new Map<string, Writeup>();
  for (const path of paths) {
    const sectionOrder = [
      ...new Set(
        chunks
          .filter((chunk) => chunk.docPath === path)
          .sort((left, right) => left.chunkIndex - right.chunkIndex)
          .map((chunk) => chunk.headingPath.join(" › ")),
      ),
    ];
    writeups.set(path, { ...facts.get(path), sectionOrder });
  }
  return writeups;
}
