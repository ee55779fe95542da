import type { ChunkRow } from "../store/index-rows.js";

/** What ranking reads of a stored chunk: no text and no vector. */
export type Candidate = Pick<
  ChunkRow,
  "id" | "docPath" | "chunkIndex" | "headingPath" | "title" | "kind" | "services"
>;

/** No text: ranking does not need it, and the section text is read once for the few hits kept. */
export const candidateColumns = [
  "id",
  "doc_path",
  "chunk_index",
  "heading_path",
  "title",
  "kind",
  "services",
];

export function toCandidate(record: Record<string, unknown>): Candidate {
  return {
    id: String(record.id),
    docPath: String(record.doc_path),
    chunkIndex: Number(record.chunk_index),
    headingPath: Array.from((record.heading_path ?? []) as Iterable<string>),
    title: String(record.title),
    kind: String(record.kind),
    services: Array.from((record.services ?? []) as Iterable<string>),
  };
}
