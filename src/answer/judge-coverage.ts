import type { Coverage } from "../contract/coverage.js";
import { assessCoverage, coverageWords } from "../retrieval/assess-coverage.js";
import type { SearchQuery } from "../retrieval/search-query.js";
import type { Source } from "../retrieval/source.js";
import { readTermRarity } from "../retrieval/term-rarity.js";
import type { KbReader } from "../store/kb-reader.js";

/** The coverage call, with each question word weighed by its rarity in the index and the top documents' aliases. */
export async function judgeCoverage(
  reader: KbReader,
  query: SearchQuery,
  sources: readonly Source[],
): Promise<Coverage> {
  if (sources.length === 0) return "none";
  const snapshot = await reader.snapshot();
  const paths = [...new Set(sources.slice(0, 3).map((source) => source.path))];
  const [rarity, aliases] = await Promise.all([
    readTermRarity(snapshot, coverageWords(query)),
    snapshot.aliasesOf(paths),
  ]);
  return assessCoverage(query, sources, { rarity, aliases });
}
