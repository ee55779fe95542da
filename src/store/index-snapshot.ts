import { MatchQuery, type Table } from "@lancedb/lancedb";
import { type ChunkFilters, filterSql } from "./chunk-filters.js";
import { columnNames } from "./column-table.js";
import { createIndexReadCache, type IndexReadScope } from "./index-read-cache.js";
import {
  type ChunkSummary,
  type ChunkText,
  chunkSummaryColumns,
  chunkSummaryFromRecord,
  chunkTextColumns,
  chunkTextFromRecord,
  documentAliasColumns,
  documentAliasesFromRecord,
  documentWriteupColumns,
  documentWriteupFromRecord,
  type IncidentFacts,
  incidentFactColumns,
  incidentFactsFromRecord,
  type TicketSummary,
  type TriageModelRow,
  ticketSummaryColumns,
  ticketSummaryFromRecord,
  triageModelFromRecord,
} from "./index-rows.js";
import type { Generation } from "./index-state.js";
import { sqlIn, sqlString } from "./sql.js";
import { type TicketFilters, ticketFilterSql } from "./ticket-filters.js";

/** A chunk and how well it matched; higher is better, comparable within one list only. */
export interface ScoredChunk {
  item: ChunkSummary;
  score: number;
}

/** A past ticket and how well it matched; higher is better, comparable within one list only. */
export interface ScoredTicket {
  item: TicketSummary;
  score: number;
}

/** An incident writeup's story as its frontmatter tells it; a field not written is absent. */
export interface WriteupFacts {
  date?: string;
  summary?: string;
  impact?: string;
  rootCause?: string;
  resolution?: string;
}

/** What one query reads: the active generation, fixed for that query. */
export interface IndexSnapshot {
  readonly generation: Generation;
  /**
   * Chunks whose search text best matches these words (BM25 score), best
   * first; none for blank text. The text is never read as query syntax.
   */
  fullTextCandidates(
    text: string,
    options: { filters?: ChunkFilters | undefined; limit: number },
  ): Promise<ScoredChunk[]>;
  /** Chunks nearest to the vector, best first; the score is cosine similarity (1 − cosine distance). */
  nearestVectors(
    vector: Float32Array,
    options: { filters?: ChunkFilters | undefined; limit: number; probes: number },
  ): Promise<ScoredChunk[]>;
  /** Every chunk of these documents, with its text, in reading order: by path, then position. */
  chunksOfDocuments(paths: readonly string[]): Promise<ChunkText[]>;
  /** One chunk, or undefined for an unknown id. */
  chunkById(id: string): Promise<ChunkSummary | undefined>;
  counts(): Promise<{ documents: number; chunks: number }>;
  /**
   * Reads every document's chunks, frontmatter and row summaries into the cache at once, one
   * query each, when the index is small enough to hold whole in `budgetBytes` (estimated from
   * its chunk count); false when it is not. A question then reads nothing but the index.
   */
  prewarm(budgetBytes: number): Promise<boolean>;
  /**
   * How many chunks' search text holds each word (stemmed as indexed), counted
   * up to `cap`: how rare a word is, from the full-text index, never a scan.
   */
  termChunkCounts(words: readonly string[], cap: number): Promise<number[]>;
  /** The frontmatter aliases of these documents, by path; a path not indexed is absent. */
  aliasesOf(paths: readonly string[]): Promise<Map<string, string[]>>;
  /** Every document's aliases, by path (documents without any left out): read once per version. */
  allAliases(): Promise<ReadonlyMap<string, readonly string[]>>;
  /** What a similar-ticket answer shows of these writeups, by path. */
  incidentFacts(paths: readonly string[]): Promise<Map<string, IncidentFacts>>;
  /** Past tickets whose title, description and resolution best match these words (BM25), best first; none without tickets. */
  ticketFullTextCandidates(
    text: string,
    options: { filters?: TicketFilters | undefined; limit: number },
  ): Promise<ScoredTicket[]>;
  /** Past tickets nearest to the vector, best first; the score is cosine similarity. */
  nearestTickets(
    vector: Float32Array,
    options: { filters?: TicketFilters | undefined; limit: number; probes: number },
  ): Promise<ScoredTicket[]>;
  /** How many past tickets the generation holds. */
  ticketCount(): Promise<number>;
  /** What the frontmatter of these documents says happened, by path; a path not indexed is absent. */
  writeupFactsOf(paths: readonly string[]): Promise<Map<string, WriteupFacts>>;
  /** When the stored triage model was trained (cheap: the model is not read); undefined without one. */
  triageModelStamp(): Promise<string | undefined>;
  /** The stored triage model, encoded; undefined without one. */
  triageModel(): Promise<TriageModelRow | undefined>;

  /**
   * A tiny real query: a full-text search and one whole row of each table read, so that
   * missing or damaged files show here rather than in the next question. Throws what LanceDB throws.
   */
  probe(): Promise<void>;
}

/** No text: ranking does not need it, and the section text is read once for the few hits kept. */
const summaryColumns = columnNames(chunkSummaryColumns);
const textColumns = columnNames(chunkTextColumns);
const aliasColumns = columnNames(documentAliasColumns);
const incidentFactNames = columnNames(incidentFactColumns);
const ticketSummaryNames = columnNames(ticketSummaryColumns);

const writeupColumns = columnNames(documentWriteupColumns);

export function indexSnapshot(
  generation: Generation,
  tables: {
    /** Absent while the KB has past tickets but no document yet: document reads find nothing. */
    chunks?: Table | undefined;
    documents?: Table | undefined;
    tickets?: Table | undefined;
    triage?: Table | undefined;
  },
  /**
   * Reads remembered for this index version (see IndexReadCache): document chunks, frontmatter
   * and word counts are read once per version, not once per question. Default: this snapshot's own.
   */
  cache: IndexReadScope = createIndexReadCache({ maxBytes: 8 * 1024 * 1024 }).scope(""),
): IndexSnapshot {
  const { chunks, documents, tickets, triage } = tables;
  /**
   * The full-text hits as row ids and scores, which the index alone holds, and their rows from
   * `cache`; the rows not remembered yet are read in one take. On an object store a warm search
   * is then no round trip at all. A row id addresses a row in its data file, which is never
   * rewritten (an edit deletes and appends, compaction writes new files), so a remembered row
   * stays right however far the table has moved since.
   */
  /** Chunk summaries read with their row ids, remembered by row id; returned by row id. */
  const rememberRows = (records: Record<string, unknown>[]): Map<string, ChunkSummary> => {
    const byRowId = new Map<string, ChunkSummary>();
    for (const record of records) {
      const chunk = chunkSummaryFromRecord(record);
      byRowId.set(rowKey(record._rowid), chunk);
      cache.set("row", rowKey(record._rowid), chunk, approximateBytes(chunk));
    }
    return byRowId;
  };
  const fullTextByRowId = async (
    table: Table,
    text: string,
    limit: number,
  ): Promise<{ item: ChunkSummary; score: number }[]> => {
    const hits = await table
      .query()
      .fullTextSearch(new MatchQuery(text, "search_text"))
      .select(["_score"])
      .withRowId()
      .limit(limit)
      .toArray();
    const found = new Map<string, ChunkSummary>();
    const missing: bigint[] = [];
    for (const hit of hits) {
      const key = rowKey(hit._rowid);
      const remembered = cache.get<ChunkSummary>("row", key);
      if (remembered) found.set(key, remembered);
      else if (!found.has(key)) missing.push(hit._rowid as bigint);
    }
    if (missing.length > 0) {
      const rows = await table.takeRowIds(missing).select(summaryColumns).withRowId().toArray();
      for (const [key, chunk] of rememberRows(rows)) found.set(key, chunk);
    }
    return hits.flatMap((hit) => {
      const item = found.get(rowKey(hit._rowid));
      return item ? [{ item, score: Number(hit._score) }] : [];
    });
  };
  // A word's chunk count changes only with an ingest: remembered, it saves one full-text query per question word.
  const countFor = async (word: string, cap: number): Promise<number> => {
    const key = `${cap}\u0000${word}`;
    const remembered = cache.get<number>("term-count", key);
    if (remembered !== undefined) return remembered;
    if (!chunks) return 0;
    const rows = await chunks
      .query()
      .fullTextSearch(new MatchQuery(word, "search_text"))
      // Counted, not read: the index alone answers, with no data file read.
      .select(["_score"])
      .limit(cap)
      .toArray();
    cache.set("term-count", key, rows.length, key.length * 2 + 8);
    return rows.length;
  };
  /** Per-path reads through the cache: only the paths not remembered are read, in one query. */
  const byPath = <Row>(
    kind: string,
    read: (paths: readonly string[]) => Promise<Map<string, Row>>,
  ) => cachedByKey(cache, kind, read);
  const documentChunks = byPath<ChunkText[]>("document-chunks", async (paths) => {
    const byDocument = new Map<string, ChunkText[]>(paths.map((path) => [path, []]));
    if (!chunks) return byDocument;
    const records = await chunks
      .query()
      .where(sqlIn("doc_path", paths))
      .select(textColumns)
      .toArray();
    for (const chunk of records.map(chunkTextFromRecord))
      byDocument.get(chunk.docPath)?.push(chunk);
    // Rows come in storage order, which a re-ingest of part of a document need not keep.
    for (const list of byDocument.values())
      list.sort((left, right) => left.chunkIndex - right.chunkIndex);
    return byDocument;
  });
  const documentRows = <Row extends { path: string }>(
    kind: string,
    columns: string[],
    fromRecord: (record: Record<string, unknown>) => Row,
  ) =>
    byPath<Row>(kind, async (paths) => {
      if (!documents) return new Map();
      const records = await documents.query().where(sqlIn("path", paths)).select(columns).toArray();
      return new Map(records.map(fromRecord).map((row) => [row.path, row]));
    });
  const aliasRows = documentRows("aliases", aliasColumns, documentAliasesFromRecord);
  const incidentFactRows = documentRows(
    "incident-facts",
    incidentFactNames,
    incidentFactsFromRecord,
  );
  const writeupRows = documentRows("writeup", writeupColumns, documentWriteupFromRecord);
  const allAliases = async (): Promise<ReadonlyMap<string, readonly string[]>> => {
    const remembered = cache.get<ReadonlyMap<string, readonly string[]>>("all-aliases", "");
    if (remembered) return remembered;
    if (!documents) return new Map();
    const records = await documents.query().select(aliasColumns).toArray();
    const all = new Map<string, readonly string[]>();
    let bytes = 0;
    for (const row of records.map(documentAliasesFromRecord)) {
      if (row.aliases.length === 0) continue;
      all.set(row.path, row.aliases);
      bytes += approximateBytes(row);
    }
    cache.set("all-aliases", "", all, bytes);
    return all;
  };
  return {
    generation,

    async fullTextCandidates(text, { filters, limit }) {
      if (!chunks || text.trim() === "") return [];
      const where = filterSql(filters);
      // A filter reads its columns anyway: the rows come with it.
      if (!where) return fullTextByRowId(chunks, text, limit);
      let search = chunks
        .query()
        // A MatchQuery never reads its text as query syntax (a quoted string would otherwise be a phrase query).
        .fullTextSearch(new MatchQuery(text, "search_text"))
        .select([...summaryColumns, "_score"])
        .limit(limit);
      if (where) search = search.where(where);
      return (await search.toArray()).map((record) => ({
        item: chunkSummaryFromRecord(record),
        score: Number(record._score),
      }));
    },

    async nearestVectors(vector, { filters, limit, probes }) {
      if (!chunks) return [];
      const where = filterSql(filters);
      let search = chunks
        .vectorSearch(vector)
        .distanceType("cosine")
        .minimumNprobes(probes)
        // A narrow filter can leave the probed partitions short of matches: search on until the limit fills.
        .maximumNprobes(where ? 1_000_000 : probes)
        .select([...summaryColumns, "_distance"])
        .limit(limit);
      if (where) search = search.where(where);
      // Cosine distance is 0–2; similarity 1 − distance, floored at 0 by the fusion.
      return (await search.toArray()).map((record) => ({
        item: chunkSummaryFromRecord(record),
        score: 1 - Number(record._distance),
      }));
    },

    async chunksOfDocuments(paths) {
      if (!chunks || paths.length === 0) return [];
      const byDocument = await documentChunks(paths);
      return [...byDocument.keys()].sort().flatMap((path) => byDocument.get(path) ?? []);
    },

    async chunkById(id) {
      if (!chunks) return undefined;
      const remembered = cache.get<ChunkSummary | null>("chunk", id);
      if (remembered !== undefined) return remembered ?? undefined;
      const [record] = await chunks
        .query()
        .where(`id = ${sqlString(id)}`)
        .select(summaryColumns)
        .limit(1)
        .toArray();
      const chunk = record ? chunkSummaryFromRecord(record) : undefined;
      cache.set("chunk", id, chunk ?? null, approximateBytes(chunk));
      return chunk;
    },

    async prewarm(budgetBytes) {
      if (!chunks || !documents) return false;
      const { chunks: chunkCount } = await this.counts();
      if (chunkCount * prewarmBytesPerChunk > budgetBytes) return false;
      const [documentPaths, rows] = await Promise.all([
        documents.query().select(["path"]).toArray(),
        chunks.query().select(summaryColumns).withRowId().toArray(),
      ]);
      rememberRows(rows);
      const paths = documentPaths.map((row) => String(row.path));
      await Promise.all([
        documentChunks(paths),
        aliasRows(paths),
        allAliases(),
        incidentFactRows(paths),
        writeupRows(paths),
      ]);
      return true;
    },

    async counts() {
      const remembered = cache.get<{ documents: number; chunks: number }>("counts", "");
      if (remembered) return remembered;
      const [documentCount, chunkCount] = await Promise.all([
        documents ? documents.countRows() : 0,
        chunks ? chunks.countRows() : 0,
      ]);
      const counted = { documents: documentCount, chunks: chunkCount };
      cache.set("counts", "", counted, 32);
      return counted;
    },

    async aliasesOf(paths) {
      if (!documents || paths.length === 0) return new Map();
      return new Map([...(await aliasRows(paths))].map(([path, row]) => [path, row.aliases]));
    },

    allAliases,

    async incidentFacts(paths) {
      if (!documents || paths.length === 0) return new Map();
      return incidentFactRows(paths);
    },

    async ticketFullTextCandidates(text, { filters, limit }) {
      if (!tickets || text.trim() === "") return [];
      const where = ticketFilterSql(filters);
      let search = tickets
        .query()
        .fullTextSearch(new MatchQuery(text, "search_text"))
        .select([...ticketSummaryNames, "_score"])
        .limit(limit);
      if (where) search = search.where(where);
      return (await search.toArray()).map((record) => ({
        item: ticketSummaryFromRecord(record),
        score: Number(record._score),
      }));
    },

    async nearestTickets(vector, { filters, limit, probes }) {
      if (!tickets) return [];
      const where = ticketFilterSql(filters);
      let search = tickets
        .vectorSearch(vector)
        .distanceType("cosine")
        .minimumNprobes(probes)
        .maximumNprobes(where ? 1_000_000 : probes)
        .select([...ticketSummaryNames, "_distance"])
        .limit(limit);
      if (where) search = search.where(where);
      return (await search.toArray()).map((record) => ({
        item: ticketSummaryFromRecord(record),
        score: 1 - Number(record._distance),
      }));
    },

    ticketCount: async () => (tickets ? tickets.countRows() : 0),

    async triageModelStamp() {
      const [record] = (await triage?.query().select(["trained_at"]).limit(1).toArray()) ?? [];
      return record ? String(record.trained_at) : undefined;
    },

    async triageModel() {
      const [record] = (await triage?.query().limit(1).toArray()) ?? [];
      return record ? triageModelFromRecord(record) : undefined;
    },

    async writeupFactsOf(paths) {
      if (!documents || paths.length === 0) return new Map();
      return new Map(
        [...(await writeupRows(paths))].map(([path, row]) => [path, writeupFactsOf(row)]),
      );
    },

    async probe() {
      // A whole row touches every column's data; counts alone come from metadata and miss damage.
      const readRow = (table: Table) => table.query().limit(1).toArray();
      const search = (table: Table) =>
        table
          .query()
          .fullTextSearch(new MatchQuery("error", "search_text"))
          .select(["id", "_score"])
          .limit(1)
          .toArray();
      const searched = [chunks, tickets].filter((table): table is Table => table !== undefined);
      await Promise.all([
        ...searched.flatMap((table) => [search(table), readRow(table)]),
        ...(documents ? [readRow(documents)] : []),
      ]);
    },

    termChunkCounts(words, cap) {
      return Promise.all(
        words.map((word) => (word.trim() === "" ? Promise.resolve(0) : countFor(word, cap))),
      );
    },
  };
}

/**
 * A read by key through the cache: keys remembered are served from it, the rest read in one
 * query and remembered, a key the index does not hold included (as absent).
 */
function cachedByKey<Row>(
  cache: IndexReadScope,
  kind: string,
  read: (keys: readonly string[]) => Promise<Map<string, Row>>,
): (keys: readonly string[]) => Promise<Map<string, Row>> {
  return async (keys) => {
    const found = new Map<string, Row>();
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      const remembered = cache.get<Row | null>(kind, key);
      if (remembered === undefined) missing.push(key);
      else if (remembered !== null) found.set(key, remembered);
    }
    if (missing.length > 0) {
      const fresh = await read(missing);
      for (const key of missing) {
        const row = fresh.get(key);
        cache.set(kind, key, row ?? null, key.length * 2 + approximateBytes(row));
        if (row !== undefined) found.set(key, row);
      }
    }
    return found;
  };
}

/**
 * What prewarming remembers per chunk, at most: its text and summary, a share of its document's
 * frontmatter, two bytes a character. The sample KB's 436 chunks take about 2 MiB.
 */
const prewarmBytesPerChunk = 8 * 1024;

/** The cache key of a row id (a bigint from LanceDB). */
const rowKey = (rowId: unknown): string => String(rowId);

/** Roughly what a plain row holds in memory: two bytes a character of its JSON. */
function approximateBytes(value: unknown): number {
  return value === undefined ? 0 : JSON.stringify(value).length * 2;
}

function writeupFactsOf(row: ReturnType<typeof documentWriteupFromRecord>): WriteupFacts {
  const facts: WriteupFacts = {};
  const summary = summaryOf(row.extra);
  if (row.date) facts.date = row.date;
  if (summary) facts.summary = summary;
  if (row.impact) facts.impact = row.impact;
  if (row.rootCause) facts.rootCause = row.rootCause;
  if (row.resolution) facts.resolution = row.resolution;
  return facts;
}

/** `summary` is not modelled, so it lives in the JSON of unmodelled keys; only text counts. */
function summaryOf(extra: string): string | undefined {
  try {
    const summary: unknown = (JSON.parse(extra) as Record<string, unknown>).summary;
    return typeof summary === "string" && summary.trim() !== "" ? summary.trim() : undefined;
  } catch {
    // Written by our own ingest as JSON; anything else has no summary to show.
    return undefined;
  }
}
