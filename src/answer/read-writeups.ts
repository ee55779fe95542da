import type { Source } from "../retrieval/source.js";
import type { IndexSnapshot, WriteupFacts } from "../store/index-snapshot.js";

/** An incident writeup as an answer tells it: its frontmatter story (its sections' order is their `position`). */
export type Writeup = WriteupFacts;

/**
 * The writeups behind the incident sources, by path: what their frontmatter
 * says happened, why and what fixed it, so an answer can tell the story with
 * the sections it quotes.
 */
export async function readWriteups(
  snapshot: IndexSnapshot,
  sources: readonly Source[],
): Promise<Map<string, Writeup>> {
  const paths = [
    ...new Set(sources.filter((source) => source.kind === "incident").map((source) => source.path)),
  ];
  if (paths.length === 0) return new Map();
  const facts = await snapshot.writeupFactsOf(paths);
  return new Map(paths.map((path) => [path, { ...facts.get(path) }]));
}
