import type { KbReader } from "../store/kb-reader.js";
import { sqlString } from "../store/sql.js";
import { candidateColumns, toCandidate } from "./candidate.js";
import type { Source } from "./source.js";
import { widenToSections } from "./widen-to-sections.js";

/** The whole section a chunk belongs to, as a citation link shows it; undefined for an unknown id. */
export async function readSection(
  reader: KbReader,
  chunkId: string,
  maxChars = 6000,
): Promise<Omit<Source, "n" | "score"> | undefined> {
  const snapshot = await reader.snapshot();
  const [row] = await snapshot.chunks
    .query()
    .where(`id = ${sqlString(chunkId)}`)
    .select(candidateColumns)
    .limit(1)
    .toArray();
  if (!row) return undefined;
  const [section] = await widenToSections(
    snapshot,
    [{ item: toCandidate(row), score: 0 }],
    maxChars,
  );
  if (!section) return undefined;
  const { score: _score, ...rest } = section;
  return rest;
}
