import type { Table } from "apache-arrow";
import {
  type ColumnTable,
  pickColumns,
  type RowOf,
  rowDecoder,
  rowsToArrow,
} from "./column-table.js";

/** One stored chunk: what retrieval filters on, shows, and ranks. */
export const chunkColumns = {
  id: "text",
  docPath: "text",
  chunkIndex: "integer",
  headingPath: "texts",
  title: "text",
  kind: "text",
  services: "texts",
  tags: "texts",
  severity: "optionalText",
  updated: "optionalText",
  text: "text",
  searchText: "text",
  /** sha256 of searchText: finds a stored vector for text that did not change. */
  textHash: "text",
  vector: "vector",
} as const satisfies ColumnTable;
export type ChunkRow = RowOf<typeof chunkColumns>;

/** What ranking reads of a stored chunk: no text and no vector, so candidates stay cheap to fetch. */
export const chunkSummaryColumns = pickColumns(chunkColumns, [
  "id",
  "docPath",
  "chunkIndex",
  "headingPath",
  "title",
  "kind",
  "services",
]);
export type ChunkSummary = RowOf<typeof chunkSummaryColumns>;

/** What joining a section back together reads of a chunk. */
export const chunkTextColumns = pickColumns(chunkColumns, [
  "id",
  "docPath",
  "chunkIndex",
  "headingPath",
  "text",
]);
export type ChunkText = RowOf<typeof chunkTextColumns>;

/**
 * The modelled frontmatter fields as stored. A new field is one line here and
 * one in ingest/frontmatter.ts; the compiler names a missing side.
 */
export const documentFieldColumns = {
  title: "text",
  kind: "text",
  services: "texts",
  tags: "texts",
  aliases: "texts",
  severity: "optionalText",
  owner: "optionalText",
  updated: "optionalText",
  date: "optionalText",
  impact: "optionalText",
  rootCause: "optionalText",
  resolution: "optionalText",
  /** Related runbook paths (incidents). */
  runbooks: "texts",
} as const satisfies ColumnTable;

/** One stored document: the manifest re-ingest diffs against, and the metadata the API shows. */
export const documentColumns = {
  path: "text",
  contentHash: "text",
  chunkerVersion: "integer",
  ...documentFieldColumns,
  /** Frontmatter keys we do not model, as JSON. */
  extra: "text",
  chunkCount: "integer",
  ingestedAt: "text",
} as const satisfies ColumnTable;
export type DocumentRow = RowOf<typeof documentColumns>;

export const chunkRowsToArrow = (rows: readonly ChunkRow[], dimensions: number): Table =>
  rowsToArrow(chunkColumns, rows, dimensions);
export const documentRowsToArrow = (rows: readonly DocumentRow[]): Table =>
  rowsToArrow(documentColumns, rows);

export const chunkRowFromRecord = rowDecoder(chunkColumns);
export const chunkSummaryFromRecord = rowDecoder(chunkSummaryColumns);
export const chunkTextFromRecord = rowDecoder(chunkTextColumns);
export const documentRowFromRecord = rowDecoder(documentColumns);

/** What an answer quotes of an incident writeup's frontmatter: what happened, why, and what fixed it. */
export const documentWriteupColumns = pickColumns(documentColumns, [
  "path",
  "date",
  "impact",
  "rootCause",
  "resolution",
  "extra",
]);
export const documentWriteupFromRecord = rowDecoder(documentWriteupColumns);

/** What the coverage call reads of a document: the names its alerts and errors go by. */
export const documentAliasColumns = pickColumns(documentColumns, ["path", "aliases"]);
export const documentAliasesFromRecord = rowDecoder(documentAliasColumns);

/**
 * One past ticket from the desk's exports. Keyed by the desk's ticket `id`;
 * `contentHash` tells an unchanged row from an edited one on re-export.
 */
export const ticketColumns = {
  id: "text",
  /** The export file it came from, relative to the KB folder. */
  path: "text",
  title: "text",
  description: "optionalText",
  category: "optionalText",
  priority: "optionalText",
  team: "optionalText",
  service: "optionalText",
  resolution: "optionalText",
  /** ISO 8601, UTC. */
  openedAt: "optionalText",
  resolvedAt: "optionalText",
  /** Title, description and resolution, as searched and embedded. */
  searchText: "text",
  /** sha256 of the source file's path and every field. */
  contentHash: "text",
  /** sha256 of searchText: finds a stored vector for text that did not change. */
  textHash: "text",
  vector: "vector",
} as const satisfies ColumnTable;
export type TicketRow = RowOf<typeof ticketColumns>;

/** What re-ingest diffs against. */
export const ticketManifestColumns = pickColumns(ticketColumns, [
  "id",
  "path",
  "contentHash",
  "textHash",
]);
export type TicketManifestEntry = RowOf<typeof ticketManifestColumns>;

/** What similar-ticket search returns: everything but the vector and the search text. */
export const ticketSummaryColumns = pickColumns(ticketColumns, [
  "id",
  "path",
  "title",
  "description",
  "category",
  "priority",
  "team",
  "service",
  "resolution",
  "openedAt",
  "resolvedAt",
]);
export type TicketSummary = RowOf<typeof ticketSummaryColumns>;

export const ticketRowsToArrow = (rows: readonly TicketRow[], dimensions: number): Table =>
  rowsToArrow(ticketColumns, rows, dimensions);
export const ticketRowFromRecord = rowDecoder(ticketColumns);
export const ticketManifestEntryFromRecord = rowDecoder(ticketManifestColumns);
export const ticketSummaryFromRecord = rowDecoder(ticketSummaryColumns);

/** What triage trains on: a ticket's words and its labels. */
export const ticketTrainingColumns = pickColumns(ticketColumns, [
  "id",
  "title",
  "description",
  "service",
  "category",
  "priority",
  "team",
]);
export type TicketTraining = RowOf<typeof ticketTrainingColumns>;
export const ticketTrainingFromRecord = rowDecoder(ticketTrainingColumns);

/**
 * The triage model trained on a generation's tickets: one row, the model
 * opaque to the store (the triage layer encodes it). `trainedAt` tells a
 * server its cached copy is stale without reading the model.
 */
export const triageModelColumns = {
  version: "integer",
  trainedAt: "text",
  model: "text",
} as const satisfies ColumnTable;
export type TriageModelRow = RowOf<typeof triageModelColumns>;
export const triageModelRowsToArrow = (rows: readonly TriageModelRow[]): Table =>
  rowsToArrow(triageModelColumns, rows, 0);
export const triageModelFromRecord = rowDecoder(triageModelColumns);

/** What a similar-ticket answer shows of an incident writeup. */
export const incidentFactColumns = pickColumns(documentColumns, [
  "path",
  "title",
  "services",
  "severity",
  "owner",
  "date",
  "rootCause",
  "resolution",
  "tags",
]);
export type IncidentFacts = RowOf<typeof incidentFactColumns>;
export const incidentFactsFromRecord = rowDecoder(incidentFactColumns);
