import type { ChunkSummary } from "../store/index-rows.js";

/**
 * The best hits, best first, at most `maxPerDocument` of one document and
 * one per section: a second hit in a section already picked adds nothing,
 * since the whole section is returned.
 */
export function pickSections(
  ranked: readonly { item: ChunkSummary; score: number }[],
  limits: { maxPerDocument: number; count: number },
): { item: ChunkSummary; score: number }[] {
  const perDocument = new Map<string, number>();
  const pickedSections = new Set<string>();
  const picked: { item: ChunkSummary; score: number }[] = [];
  for (const entry of ranked) {
    const section = sectionKey(entry.item);
    if (pickedSections.has(section)) continue;
    const count = perDocument.get(entry.item.docPath) ?? 0;
    if (count >= limits.maxPerDocument) continue;
    perDocument.set(entry.item.docPath, count + 1);
    pickedSections.add(section);
    picked.push(entry);
    if (picked.length >= limits.count) break;
  }
  return picked;
}

function sectionKey(candidate: ChunkSummary): string {
  return `${candidate.docPath}\u0001${candidate.headingPath.join("\u0000")}`;
}
