import { z } from "zod";

/** Bump when the stored layout changes in a way old code cannot read. */
export const INDEX_SCHEMA_VERSION = 1;

export const Generation = z.object({
  number: z.number().int().min(1),
  embedderId: z.string().min(1),
  /** Vector size, known once the first vectors are written. */
  dimensions: z.number().int().min(1).nullable(),
  createdAt: z.string(),
});
export type Generation = z.infer<typeof Generation>;

/** A generation swapped out, kept for readers still on it until `dropAfter` (ISO time). */
export const RetiredGeneration = z.object({
  generation: Generation,
  dropAfter: z.string(),
});
export type RetiredGeneration = z.infer<typeof RetiredGeneration>;

/**
 * Which tables serve queries (`active`), which a rebuild is filling
 * (`building`) and which were swapped out but may still be read (`retired`).
 * A rebuild swaps them in one write, so readers never see a half-built index,
 * and an interrupted rebuild resumes where it stopped.
 */
export const IndexState = z.object({
  schemaVersion: z.number().int(),
  active: Generation.nullable(),
  building: Generation.nullable(),
  // Absent in states written before swaps had a grace period: nothing retired then.
  retired: z.array(RetiredGeneration).default([]),
});
export type IndexState = z.infer<typeof IndexState>;

export const emptyIndexState: IndexState = {
  schemaVersion: INDEX_SCHEMA_VERSION,
  active: null,
  building: null,
  retired: [],
};

/** Allowance for the longest read a server makes of one snapshot (a search, an answer's extras). */
const longestQueryMs = 10_000;

/**
 * How long a swapped-out generation is kept: a server may read the old state for up to two
 * refresh intervals (its cache, then LanceDB's read consistency), then finish its query.
 */
export const swapGraceMsFor = (indexRefreshMs: number) => 2 * indexRefreshMs + longestQueryMs;

export const chunkTableName = (generation: Generation) => `chunks_g${generation.number}`;
export const documentTableName = (generation: Generation) => `docs_g${generation.number}`;
export const ticketTableName = (generation: Generation) => `tickets_g${generation.number}`;
export const triageTableName = (generation: Generation) => `triage_g${generation.number}`;
