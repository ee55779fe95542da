import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { setImmediate } from "node:timers/promises";
import {
  type CatalogueCheck,
  checkServiceCatalogue,
} from "../catalogue/check-service-catalogue.js";
import type { Embedder } from "../embed/embedder.js";
import { KbError } from "../errors.js";
import { type Logger, silentLogger } from "../logger.js";
import type { ChunkRow, DocumentRow } from "../store/index-rows.js";
import {
  emptyIndexState,
  type Generation,
  type IndexState,
  type RetiredGeneration,
  swapGraceMsFor,
} from "../store/index-state.js";
import type { KbIndex, ManifestEntry } from "../store/kb-index.js";
import { isUnreadableIndexError, unreadableIndexError } from "../store/unreadable-index.js";
import { acquireWriteLock } from "../store/write-lock.js";
import { checkDimensions } from "./check-dimensions.js";
import { CHUNKER_VERSION, type Chunk, type ChunkOptions, chunkDocument } from "./chunk-document.js";
import { embedInBatches } from "./embed-in-batches.js";
import type { KbDocument } from "./kb-document.js";
import { listKbFiles } from "./list-kb-files.js";
import { parseDocument } from "./parse-document.js";
import { createPreviousGenerationReads } from "./previous-generation-reads.js";
import { dropAfterGrace, dropExpiredGenerations } from "./retired-generations.js";
import { sha256 } from "./sha256.js";
import { ingestTickets, type TicketIngestSummary } from "./tickets/ingest-tickets.js";
import { type TriageModelSummary, trainTriageIfNeeded } from "./tickets/train-triage.js";

export interface IngestOptions {
  kbDir: string;
  index: KbIndex;
  embedder: Embedder;
  logger?: Logger;
  /** Rebuild every document into a fresh generation; the current one serves until the swap. */
  force?: boolean;
  /** Let a run empty the index when the KB folder has no markdown files (normally refused). */
  allowEmpty?: boolean;
  /**
   * How long a swapped-out generation is kept for servers still reading it, then dropped (by
   * this run, or the next if this one stops first). Milliseconds; default for INDEX_REFRESH_MS 1000.
   */
  swapGraceMs?: number;
  /** Work out and report what would change; write nothing, embed nothing. */
  dryRun?: boolean;
  signal?: AbortSignal;
  /** Default 1 MiB. */
  maxDocumentBytes?: number;
  /** Largest ticket export read. Default 256 MiB. */
  maxTicketFileBytes?: number;
  chunkOptions?: ChunkOptions;
  /** Refresh search indexes once this many rows are unindexed; 0 refreshes after every change. Default 200. */
  optimizeAfterRows?: number;
  /** Build a vector index once the table has this many rows. Default 10,000. */
  vectorIndexMinRows?: number;
  /** Chunks embedded and written per commit. Default 4000. */
  batchChunks?: number;
  onProgress?: (progress: IngestProgress) => void;
  /** Lease of the ingest lock on an object store (renewed while the run goes on). Default 30 s. */
  lockLeaseMs?: number;
}

export interface IngestProgress {
  /** `retiring`: waiting for servers to leave the swapped-out generation; counted in seconds. */
  phase: "reading" | "writing" | "indexing" | "retiring";
  done: number;
  total: number;
}

export interface IngestFailure {
  path: string;
  reason: string;
}

/** The `--json` contract: keep these keys. */
export interface IngestSummary {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  failed: number;
  chunks: number;
  embedded: number;
  seconds: number;
  dryRun: boolean;
  rebuilt: boolean;
  generation: number;
  failures: IngestFailure[];
  /** Past tickets from the exports under `tickets/`, and the triage model learned from them. */
  tickets: TicketIngestSummary & { triageModel: TriageModelSummary | null };
  /** The KB's `services.yaml`, checked as a server would read it; nothing of it is indexed. */
  catalogue: CatalogueCheck;
}

const readSliceSize = 64;

interface PendingDocument {
  document: KbDocument;
  chunks: Chunk[];
  isNew: boolean;
}

export async function runIngest(options: IngestOptions): Promise<IngestSummary> {
  const lock = options.dryRun
    ? undefined
    : await acquireWriteLock(options.index.uri, {
        storageOptions: options.index.storageOptions,
        ...(options.lockLeaseMs === undefined ? {} : { leaseMs: options.lockLeaseMs }),
      });
  // A writer whose lease on an object-store lock was taken over stops at its next step.
  const signals = [options.signal, lock?.lost].filter((signal) => signal !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  try {
    return await ingestUnderLock({ ...options, ...(signal ? { signal } : {}) });
  } catch (error) {
    // Whatever the lost lease cut short (an embedding request, say), the reason is the lease.
    if (lock?.lost.aborted) throw lock.lost.reason;
    if (!isUnreadableIndexError(error)) throw error;
    throw unreadableIndexError(`The index at ${options.index.uri}`, error);
  } finally {
    await lock?.release();
  }
}

async function ingestUnderLock(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { index, embedder, signal } = options;
  const logger = options.logger ?? silentLogger;
  const dryRun = options.dryRun ?? false;
  const maxBytes = options.maxDocumentBytes ?? 1024 * 1024;

  const files = await listKbFiles(options.kbDir);
  let state = await readStateOrStartOver(index, options.force ?? false, logger);
  if (!dryRun) state = await dropExpiredGenerations(index, state);
  if (files.length === 0 && !options.allowEmpty) {
    // Checked against what is served, before a rebuild starts: an unmounted or emptied folder
    // must never replace a good index, with or without --force.
    const served = state.active ? (await index.readManifest(state.active)).size : 0;
    if (served > 0) {
      throw new KbError(
        "invalid_request",
        `KB directory ${options.kbDir} has no markdown files; refusing to remove all ${served} documents from the index. Check --kb or KB_DIR, or pass --allow-empty.`,
      );
    }
  }
  const plan = planGeneration(state, embedder, options.force ?? false, index.uri);
  if (!dryRun && plan.startState) {
    // Clear what an abandoned rebuild left before reusing its generation number.
    await index.dropOrphanTables(state);
    if (plan.abandoned) await index.dropGeneration(plan.abandoned);
    await index.writeState(plan.startState);
  }
  const { target } = plan;
  const manifest: Map<string, ManifestEntry> = plan.fresh
    ? new Map()
    : await index.readManifest(target);
  const chunkTable = plan.fresh ? undefined : await index.chunkTable(target);
  const storedChunks = chunkTable ? await chunkTable.countRows() : 0;
  // Both tables, or a lost chunk table would add a second manifest row per document.
  const knownAbsent = storedChunks === 0 && manifest.size === 0;
  const incomplete = await documentsMissingChunks(index, target, manifest, storedChunks);
  if (incomplete.size > 0) {
    logger.warn("chunks missing from the index: re-ingesting their documents", {
      documents: incomplete.size,
    });
  }

  if (files.length === 0 && manifest.size > 0 && !options.allowEmpty) {
    // A rebuild in progress (not yet served) that the folder no longer backs.
    throw new KbError(
      "invalid_request",
      `KB directory ${options.kbDir} has no markdown files; refusing to remove all ${manifest.size} documents from the index. Check --kb or KB_DIR, or pass --allow-empty.`,
    );
  }

  const failures: IngestFailure[] = [];
  const pending: PendingDocument[] = [];
  let unchanged = 0;
  // Synchronous reads are about 3x faster than fs/promises for thousands of
  // small files; slices keep the event loop responsive between them.
  for (let start = 0; start < files.length; start += readSliceSize) {
    signal?.throwIfAborted();
    for (const path of files.slice(start, start + readSliceSize)) {
      const outcome = readAndParse(options.kbDir, path, maxBytes, (hash) => {
        const entry = manifest.get(path);
        return (
          entry?.contentHash === hash &&
          entry.chunkerVersion === CHUNKER_VERSION &&
          !incomplete.has(path)
        );
      });
      if (outcome.status === "unchanged") unchanged++;
      else if (outcome.status === "failed") failures.push({ path, reason: outcome.reason });
      else {
        const chunks = chunkDocument(outcome.document, options.chunkOptions);
        if (chunks.length === 0) failures.push({ path, reason: "document has no text" });
        else pending.push({ document: outcome.document, chunks, isNew: !manifest.has(path) });
      }
    }
    options.onProgress?.({
      phase: "reading",
      done: Math.min(start + readSliceSize, files.length),
      total: files.length,
    });
    await setImmediate();
  }
  pending.sort((left, right) => left.document.path.localeCompare(right.document.path));
  failures.sort((left, right) => left.path.localeCompare(right.path));
  for (const failure of failures) logger.warn("document skipped", { ...failure });

  const present = new Set(files);
  const removed = [...new Set([...manifest.keys(), ...incomplete])]
    .filter((path) => !present.has(path))
    .sort();

  const reusableGeneration =
    plan.rebuild &&
    state.active &&
    state.active.number !== target.number &&
    state.active.embedderId === embedder.id
      ? state.active
      : undefined;
  // The generation being replaced may be the reason for the rebuild: damaged files there mean
  // nothing to reuse, never a failed rebuild.
  const readPrevious = createPreviousGenerationReads(logger);
  let dimensions = target.dimensions;
  let embedded = 0;
  let chunksWritten = 0;
  const totalChunks = pending.reduce((total, item) => total + item.chunks.length, 0);
  for (const batch of batchesOf(pending, options.batchChunks ?? 4000)) {
    signal?.throwIfAborted();
    const chunks = batch.flatMap((item) => item.chunks);
    const hashes = chunks.map((chunk) => sha256(chunk.searchText));
    const vectors = knownAbsent
      ? new Map<string, Float32Array>()
      : await index.vectorsByTextHash(target, hashes);
    // A rebuild with the same embedder need not pay again for text the serving generation already embedded.
    if (reusableGeneration) {
      const missingHashes = hashes.filter((hash) => !vectors.has(hash));
      for (const [hash, vector] of await readPrevious(
        () => index.vectorsByTextHash(reusableGeneration, missingHashes),
        new Map<string, Float32Array>(),
      )) {
        vectors.set(hash, vector);
      }
    }
    const missing = new Map<string, string>();
    chunks.forEach((chunk, position) => {
      const hash = hashes[position] as string;
      if (!vectors.has(hash)) missing.set(hash, chunk.searchText);
    });
    embedded += missing.size;
    if (!dryRun && missing.size > 0) {
      const fresh = await embedInBatches(embedder, [...missing.values()], signal);
      [...missing.keys()].forEach((hash, position) => {
        vectors.set(hash, fresh[position] as Float32Array);
      });
      dimensions = checkDimensions(fresh, dimensions, embedder, index.uri);
    }
    chunksWritten += chunks.length;
    if (!dryRun) {
      const ingestedAt = new Date().toISOString();
      const documents = new Map(batch.map((item) => [item.document.path, item.document]));
      const chunkRows = chunks.map((chunk, position) => {
        const hash = hashes[position] as string;
        const document = documents.get(chunk.docPath) as KbDocument;
        return toChunkRow(chunk, document, hash, vectors.get(hash) as Float32Array);
      });
      const documentRows = batch.map((item) =>
        toDocumentRow(item.document, item.chunks.length, ingestedAt),
      );
      await index.writeDocuments(target, chunkRows, documentRows, { knownAbsent });
    }
    options.onProgress?.({ phase: "writing", done: chunksWritten, total: totalChunks });
  }

  if (!dryRun) {
    if (plan.rebuild && state.active && state.active.number !== target.number) {
      const from = state.active;
      embedded += await carryOverBrokenDocuments(
        index,
        (paths) =>
          readPrevious(() => index.readDocuments(from, paths), { chunks: [], documents: [] }),
        from,
        target,
        failures,
        embedder,
        signal,
      );
    }
  }
  const previous =
    plan.rebuild && state.active && state.active.number !== target.number
      ? state.active
      : undefined;
  const tickets = await ingestTickets({
    kbDir: options.kbDir,
    index,
    embedder,
    target,
    previous,
    dryRun,
    dimensions,
    signal,
    logger,
    readPrevious,
    maxFileBytes: options.maxTicketFileBytes,
  });
  dimensions = tickets.dimensions;
  const { added: ticketsAdded, updated: ticketsUpdated, removed: ticketsRemoved } = tickets.summary;
  const triageModel = await trainTriageIfNeeded({
    index,
    target,
    ticketsChanged: ticketsAdded + ticketsUpdated + ticketsRemoved > 0,
    dryRun,
    logger,
  });

  if (!dryRun) {
    if (removed.length > 0) await index.removeDocuments(target, removed);
    options.onProgress?.({ phase: "indexing", done: 0, total: 1 });
    await index.optimize(target, {
      afterRows: plan.rebuild ? 0 : (options.optimizeAfterRows ?? 200),
      ...(options.vectorIndexMinRows === undefined
        ? {}
        : { vectorIndexMinRows: options.vectorIndexMinRows }),
    });
    options.onProgress?.({ phase: "indexing", done: 1, total: 1 });
    // What servers will read must answer a real query: a rebuild is never swapped in damaged,
    // and a damaged generation fails the run, naming the fix, instead of passing as up to date.
    await index.probe(target);
    let retired: RetiredGeneration | undefined;
    let swapped: IndexState | undefined;
    if (plan.rebuild) {
      // Servers read the old generation until they next read the state: keep it for them a while.
      retired =
        state.active && state.active.number !== target.number
          ? {
              generation: state.active,
              dropAfter: new Date(
                Date.now() + (options.swapGraceMs ?? swapGraceMsFor(1000)),
              ).toISOString(),
            }
          : undefined;
      swapped = {
        ...state,
        active: { ...target, dimensions },
        building: null,
        retired: retired ? [...state.retired, retired] : state.retired,
      };
      await index.writeState(swapped);
    }
    if (retired && swapped) {
      await dropAfterGrace(index, swapped, retired, {
        signal,
        onWait: (waitMs) => {
          const seconds = Math.ceil(waitMs / 1000);
          logger.info("keeping the previous generation for servers still reading it", {
            generation: retired.generation.number,
            seconds,
          });
          options.onProgress?.({ phase: "retiring", done: 0, total: seconds });
        },
      });
    }
  }

  return {
    added: pending.filter((item) => item.isNew).length,
    updated: pending.filter((item) => !item.isNew).length,
    removed: removed.length,
    unchanged,
    failed: failures.length,
    chunks: chunksWritten,
    embedded,
    seconds: Math.round(performance.now() - started) / 1000,
    dryRun,
    rebuilt: plan.rebuild,
    generation: target.number,
    failures,
    tickets: { ...tickets.summary, triageModel },
    catalogue: reportCatalogue(options.kbDir, logger),
  };
}

/** The catalogue's problems in the log too, as ticket labels the taxonomy lacks are. */
function reportCatalogue(kbDir: string, logger: Logger): CatalogueCheck {
  const check = checkServiceCatalogue(kbDir);
  if (check.error !== null) logger.warn("service catalogue refused", { reason: check.error });
  for (const warning of check.warnings)
    logger.warn("service catalogue reference not found", { warning });
  return check;
}

interface GenerationPlan {
  target: Generation;
  /** The target has no tables yet. */
  fresh: boolean;
  /** Target is a rebuild that becomes active when this run completes. */
  rebuild: boolean;
  /** State to record before writing anything, when it changes. */
  startState?: IndexState;
  /** A stale rebuild to drop first. */
  abandoned?: Generation;
}

function planGeneration(
  state: IndexState,
  embedder: Embedder,
  force: boolean,
  uri: string,
): GenerationPlan {
  const building = state.building;
  if (building && !force && building.embedderId === embedder.id) {
    // An earlier rebuild was interrupted: finish it instead of starting over.
    return { target: building, fresh: false, rebuild: true };
  }
  const abandoned = building ?? undefined;
  if (state.active && !force) {
    if (state.active.embedderId !== embedder.id) {
      throw new KbError(
        "index_incompatible",
        `The index at ${uri} was built with embedder ${state.active.embedderId}, but the settings give ${embedder.id}. Rebuild it with \`npm run ingest -- --force\` (the current index keeps serving until the rebuild finishes), or restore the embedding settings.`,
      );
    }
    if (!abandoned) return { target: state.active, fresh: false, rebuild: false };
    return {
      target: state.active,
      fresh: false,
      rebuild: false,
      startState: { ...state, building: null },
      abandoned,
    };
  }
  const target: Generation = {
    number:
      Math.max(
        state.active?.number ?? 0,
        abandoned?.number ?? 0,
        ...state.retired.map((entry) => entry.generation.number),
      ) + 1,
    embedderId: embedder.id,
    dimensions: embedder.dimensions ?? null,
    createdAt: new Date().toISOString(),
  };
  return {
    target,
    fresh: true,
    rebuild: true,
    startState: { ...state, building: target },
    ...(abandoned ? { abandoned } : {}),
  };
}

/**
 * A rebuild must not lose documents that fail to parse now but were stored
 * before: copy their last good version across (re-embedding its stored text
 * when the embedder changed). Returns how many texts were embedded.
 */
async function carryOverBrokenDocuments(
  index: KbIndex,
  readStored: (paths: string[]) => Promise<{ chunks: ChunkRow[]; documents: DocumentRow[] }>,
  from: Generation,
  to: Generation,
  failures: readonly IngestFailure[],
  embedder: Embedder,
  signal: AbortSignal | undefined,
): Promise<number> {
  if (failures.length === 0) return 0;
  const stored = await readStored(failures.map((failure) => failure.path));
  if (stored.documents.length === 0) return 0;
  let embedded = 0;
  let chunks = stored.chunks;
  if (from.embedderId !== embedder.id && chunks.length > 0) {
    const vectors = await embedInBatches(
      embedder,
      chunks.map((chunk) => chunk.searchText),
      signal,
    );
    embedded = chunks.length;
    chunks = chunks.map((chunk, position) => ({
      ...chunk,
      vector: vectors[position] as Float32Array,
    }));
  }
  await index.writeDocuments(to, chunks, stored.documents, { knownAbsent: false });
  return embedded;
}

/**
 * The index state; for `--force`, a state that cannot be read (damaged, or of another layout)
 * is dropped and the rebuild starts from nothing, since no reader can use that index anyway.
 */
async function readStateOrStartOver(
  index: KbIndex,
  force: boolean,
  logger: Logger,
): Promise<IndexState> {
  try {
    return await index.readState();
  } catch (error) {
    const unreadable =
      isUnreadableIndexError(error) ||
      (error instanceof KbError &&
        (error.code === "index_incompatible" || error.code === "index_unreadable"));
    if (!force || !unreadable) throw error;
    logger.warn("the index state cannot be read: rebuilding from nothing", { error });
    await index.dropState();
    return emptyIndexState;
  }
}

/**
 * Documents whose stored chunks do not match the manifest's counts (a chunk table lost or cut
 * short), and chunks of documents the manifest does not know: what a run must write again. The
 * totals are compared first, from metadata, so a whole index is read only when they differ.
 */
async function documentsMissingChunks(
  index: KbIndex,
  generation: Generation,
  manifest: ReadonlyMap<string, ManifestEntry>,
  storedChunks: number,
): Promise<Set<string>> {
  let expected = 0;
  for (const entry of manifest.values()) expected += entry.chunkCount;
  if (expected === storedChunks) return new Set();
  const stored = await index.chunkCountsByDocument(generation);
  const incomplete = new Set<string>();
  for (const [path, entry] of manifest)
    if ((stored.get(path) ?? 0) !== entry.chunkCount) incomplete.add(path);
  for (const path of stored.keys()) if (!manifest.has(path)) incomplete.add(path);
  return incomplete;
}

type ReadOutcome =
  | { status: "unchanged" }
  | { status: "failed"; reason: string }
  | { status: "changed"; document: KbDocument };

function readAndParse(
  kbDir: string,
  path: string,
  maxBytes: number,
  isUnchanged: (hash: string) => boolean,
): ReadOutcome {
  const fullPath = join(kbDir, path);
  try {
    const info = statSync(fullPath);
    if (info.size > maxBytes) {
      return {
        status: "failed",
        reason: `file is ${info.size} bytes, over the ${maxBytes}-byte limit (MAX_DOCUMENT_BYTES)`,
      };
    }
    const bytes = readFileSync(fullPath);
    const hash = sha256(bytes);
    if (isUnchanged(hash)) return { status: "unchanged" };
    const parsed = parseDocument(path, bytes, hash);
    return parsed.ok
      ? { status: "changed", document: parsed.document }
      : { status: "failed", reason: parsed.reason };
  } catch (error) {
    // A file deleted or unreadable mid-run is reported like any other bad file.
    const message = error instanceof Error ? error.message : String(error);
    return { status: "failed", reason: `cannot read file: ${message}` };
  }
}

function* batchesOf(pending: readonly PendingDocument[], maxChunks: number) {
  let batch: PendingDocument[] = [];
  let size = 0;
  for (const item of pending) {
    if (batch.length > 0 && size + item.chunks.length > maxChunks) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(item);
    size += item.chunks.length;
  }
  if (batch.length > 0) yield batch;
}

function toChunkRow(
  chunk: Chunk,
  document: KbDocument,
  textHash: string,
  vector: Float32Array,
): ChunkRow {
  return {
    id: chunk.id,
    docPath: chunk.docPath,
    chunkIndex: chunk.index,
    headingPath: chunk.headingPath,
    title: document.title,
    kind: document.kind,
    services: document.services,
    tags: document.tags,
    severity: document.severity,
    updated: document.updated,
    text: chunk.text,
    searchText: chunk.searchText,
    textHash,
    vector,
  };
}

function toDocumentRow(document: KbDocument, chunkCount: number, ingestedAt: string): DocumentRow {
  const { body: _body, extra, ...fields } = document;
  return {
    ...fields,
    chunkerVersion: CHUNKER_VERSION,
    extra: JSON.stringify(extra),
    chunkCount,
    ingestedAt,
  };
}
