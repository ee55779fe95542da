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

/**
 * Which tables serve queries (`active`) and which a rebuild is filling
 * (`building`). A rebuild swaps them in one write, so readers never see a
 * half-built index, and an interrupted rebuild resumes where it stopped.
 */
export const IndexState = z.object({
  schemaVersion: z.number().int(),
  active: Generation.nullable(),
  building: Generation.nullable(),
});
export type IndexState = z.infer<typeof IndexState>;

export const emptyIndexState: IndexState = {
  schemaVersion: INDEX_SCHEMA_VERSION,
  active: null,
  building: null,
};

export const chunkTableName = (generation: Generation) => `chunks_g${generation.number}`;
export const documentTableName = (generation: Generation) => `docs_g${generation.number}`;
export const ticketTableName = (generation: Generation) => `tickets_g${generation.number}`;
export const triageTableName = (generation: Generation) => `triage_g${generation.number}`;
