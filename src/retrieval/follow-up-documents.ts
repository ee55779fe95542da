import type { IndexSnapshot } from "../store/index-snapshot.js";
import { leansOnPreviousTurn } from "../text/leans-on-previous-turn.js";
import { fullTextTerms } from "./full-text-terms.js";
import type { SearchQuery } from "./search-query.js";

/** Without cited ids, how many of the previous question's best documents it is taken to be about. */
const documentsOfUncitedTurn = 1;

/**
 * The documents a follow-up is about, by path, the first cited first: those
 * the last answer cited when the question leans on it ("and how do I verify
 * it?"); none for a question that stands alone or has no history. A turn that
 * carries no ids (a chat client sends back only text) is about the best
 * document for its own question.
 */
export async function followUpDocuments(
  snapshot: IndexSnapshot,
  query: SearchQuery,
): Promise<string[]> {
  const lastTurn = query.history?.at(-1);
  if (!lastTurn || !leansOnPreviousTurn(query.question)) return [];
  const paths = new Set<string>();
  if (lastTurn.citations?.length) {
    const chunks = await Promise.all(lastTurn.citations.map((id) => snapshot.chunkById(id)));
    // An id the index no longer holds (an ingest since) is skipped, not an error.
    for (const chunk of chunks) if (chunk) paths.add(chunk.docPath);
    if (paths.size > 0) return [...paths];
  }
  const hits = await snapshot.fullTextCandidates(fullTextTerms(lastTurn.question), {
    filters: query.filters,
    limit: 10,
  });
  for (const { item } of hits) {
    if (paths.size >= documentsOfUncitedTurn) break;
    paths.add(item.docPath);
  }
  return [...paths];
}
