import type { KbReader } from "../store/kb-reader.js";
import type { Source } from "./source.js";
import { widenToSections } from "./widen-to-sections.js";

/** The whole section a chunk belongs to, as a citation link shows it; undefined for an unknown id. */
export async function readSection(
  reader: KbReader,
  chunkId: string,
  maxChars = 6000,
): Promise<Omit<Source, "n" | "score"> | undefined> {
  const snapshot = await reader.snapshot();
  const chunk = await snapshot.chunkById(chunkId);
  if (!chunk) return undefined;
  const [section] = await widenToSections(snapshot, [{ item: chunk, score: 0 }], maxChars);
  if (!section) return undefined;
  const { score: _score, ...rest } = section;
  return rest;
}
