import type { ChunkSummary } from "../store/index-rows.js";
import type { IndexSnapshot } from "../store/index-snapshot.js";
import { joinSectionText } from "./join-section-text.js";
import type { Source } from "./source.js";

/**
 * Replace each hit by its whole section (the run of chunks of that document
 * with the same heading path), merging hits that land in the same section.
 */
export async function widenToSections(
  snapshot: IndexSnapshot,
  picked: readonly { item: ChunkSummary; score: number }[],
  maxChars: number,
): Promise<Omit<Source, "n">[]> {
  if (picked.length === 0) return [];
  const paths = [...new Set(picked.map((entry) => entry.item.docPath))];
  const chunks = await snapshot.chunksOfDocuments(paths);
  const byDocument = new Map<string, { chunkIndex: number; headingKey: string; text: string }[]>();
  for (const chunk of chunks) {
    const list = byDocument.get(chunk.docPath) ?? [];
    list.push({
      chunkIndex: chunk.chunkIndex,
      headingKey: chunk.headingPath.join("\u0000"),
      text: chunk.text,
    });
    byDocument.set(chunk.docPath, list);
  }

  const sources: Omit<Source, "n">[] = [];
  for (const { item, score } of picked) {
    const headingKey = item.headingPath.join("\u0000");
    const siblings = (byDocument.get(item.docPath) ?? [])
      .filter((chunk) => chunk.headingKey === headingKey)
      .sort((left, right) => left.chunkIndex - right.chunkIndex);
    const run = contiguousRun(siblings, item.chunkIndex);
    // Gone between the two reads: a re-ingest replaced the document meanwhile.
    if (run.length === 0) continue;
    sources.push({
      id: item.id,
      path: item.docPath,
      title: item.title,
      headingPath: item.headingPath,
      kind: item.kind,
      services: item.services,
      score: Number(score.toFixed(6)),
      text: joinSectionText(
        run.map((chunk) => chunk.text),
        maxChars,
      ),
      position: run[0]?.chunkIndex ?? item.chunkIndex,
    });
  }
  return sources;
}

/** The chunks around `chunkIndex` whose indexes follow one another without a gap. */
function contiguousRun<T extends { chunkIndex: number }>(
  chunks: readonly T[],
  chunkIndex: number,
): T[] {
  const position = chunks.findIndex((chunk) => chunk.chunkIndex === chunkIndex);
  if (position === -1) return [];
  let start = position;
  let end = position;
  while (start > 0 && chunks[start - 1]?.chunkIndex === (chunks[start]?.chunkIndex ?? 0) - 1)
    start--;
  while (
    end < chunks.length - 1 &&
    chunks[end + 1]?.chunkIndex === (chunks[end]?.chunkIndex ?? 0) + 1
  )
    end++;
  return chunks.slice(start, end + 1);
}
