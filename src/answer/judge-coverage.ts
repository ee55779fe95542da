import type { Coverage } from "../contract/coverage.js";
import { assessCoverage, coverageWords } from "../retrieval/assess-coverage.js";
import type { SearchQuery } from "../retrieval/search-query.js";
import type { Source } from "../retrieval/source.js";
import { readTermRarity, type TermRarity } from "../retrieval/term-rarity.js";
import type { KbReader } from "../store/kb-reader.js";

/**
 * The coverage call, with each question word weighed by its rarity in the
 * index, the top documents' aliases, and retrieval's first document read whole.
 */
export async function judgeCoverage(
  reader: KbReader,
  query: SearchQuery,
  sources: readonly Source[],
  /** The question words' rarity, when the caller started reading it already (it needs no sources). */
  rarityRead?: Promise<TermRarity>,
): Promise<Coverage> {
  const [first] = sources;
  if (first === undefined) return "none";
  const snapshot = await reader.snapshot();
  const paths = [...new Set(sources.slice(0, 3).map((source) => source.path))];
  const [rarity, aliases, chunks] = await Promise.all([
    rarityRead ?? readQuestionRarity(reader, query),
    snapshot.aliasesOf(paths),
    snapshot.chunksOfDocuments([first.path]),
  ]);
  // In reading order already (chunksOfDocuments).
  const wholeDocument: Source = {
    ...first,
    headingPath: [...new Set(chunks.flatMap((chunk) => chunk.headingPath))],
    text: chunks.map((chunk) => chunk.text).join("\n\n"),
  };
  return assessCoverage(query, sources, { rarity, aliases, wholeDocuments: [wholeDocument] });
}

/** How rare each of the question's words is in the index: can run while the search does. */
export async function readQuestionRarity(
  reader: KbReader,
  query: SearchQuery,
): Promise<TermRarity> {
  return readTermRarity(await reader.snapshot(), coverageWords(query));
}
