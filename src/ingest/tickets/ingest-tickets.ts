import { join, relative, sep } from "node:path";
import type { Embedder } from "../../embed/embedder.js";
import type { Logger } from "../../logger.js";
import type { TicketManifestEntry, TicketRow } from "../../store/index-rows.js";
import type { Generation } from "../../store/index-state.js";
import type { KbIndex } from "../../store/kb-index.js";
import { findTaxonomyFile, readTaxonomyFile } from "../../taxonomy/read-taxonomy.js";
import type { Taxonomy } from "../../taxonomy/taxonomy.js";
import { type UnknownLabel, unknownLabels } from "../../taxonomy/unknown-labels.js";
import { checkDimensions } from "../check-dimensions.js";
import { embedInBatches } from "../embed-in-batches.js";
import type { PreviousGenerationRead } from "../previous-generation-reads.js";
import { sha256 } from "../sha256.js";
import { listTicketFiles } from "./list-ticket-files.js";
import type { PastTicket } from "./past-ticket.js";
import { readTicketFile } from "./read-ticket-file.js";

/** Bump when reading or cleaning changes what a row stores: every ticket is then rewritten (vectors of unchanged text reused). */
export const TICKET_READER_VERSION = 1;

/** A bad row (or file, with `line` null), or a row that replaced an earlier one with its id. */
export interface TicketProblem {
  /** The export file, relative to the KB folder, `/` separators. */
  file: string;
  /** 1-based line the row starts on; null when the whole file is concerned. */
  line: number | null;
  reason: string;
}

/** The `tickets` object of the `--json` contract. */
export interface TicketIngestSummary {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  /** Rows (or whole files) that could not be read; their stored tickets are kept. */
  failed: number;
  /** Rows whose id an earlier row already had: the later one wins. */
  duplicates: number;
  /** Ticket texts sent to the embedder. */
  embedded: number;
  failures: TicketProblem[];
  /** One per duplicate: which row won over which. */
  warnings: TicketProblem[];
  /** The taxonomy file's version; null when the KB has none (or it does not read). */
  taxonomyVersion: string | null;
  /** Labels of the history that the taxonomy file does not know; [] without a file. */
  unknownLabels: UnknownLabel[];
}

export interface TicketIngestOptions {
  kbDir: string;
  index: KbIndex;
  embedder: Embedder;
  /** The generation written to. */
  target: Generation;
  /** The serving generation during a rebuild: kept tickets are carried over from it, its vectors reused. */
  previous: Generation | undefined;
  /** How reads of `previous` run: a failed one gives nothing to reuse. Default: failures throw. */
  readPrevious?: PreviousGenerationRead | undefined;
  dryRun: boolean;
  /** Vector size known so far; null before the first vectors. */
  dimensions: number | null;
  signal?: AbortSignal | undefined;
  logger: Logger;
  /** Default 256 MiB. */
  maxFileBytes?: number | undefined;
  /** Tickets embedded and written per commit. Default 2000. */
  batchRows?: number | undefined;
}

interface WantedTicket {
  ticket: PastTicket;
  file: string;
  line: number;
  contentHash: string;
  searchText: string;
  textHash: string;
}

/**
 * Bring the stored tickets in line with the exports under `tickets/`: every
 * file is read (parsing is cheap; embedding is not), each ticket keyed by id
 * and compared by content hash, so that a re-export embeds only its new and
 * edited rows. A ticket whose row now fails, or whose file cannot be read, is
 * kept as stored.
 */
export async function ingestTickets(
  options: TicketIngestOptions,
): Promise<{ summary: TicketIngestSummary; dimensions: number | null }> {
  const { index, embedder, target, previous, dryRun, signal } = options;
  const readPrevious = options.readPrevious ?? readDirectly;
  const files = await listTicketFiles(options.kbDir);
  const wanted = new Map<string, WantedTicket>();
  const failures: TicketProblem[] = [];
  const warnings: TicketProblem[] = [];
  const keptIds = new Set<string>();
  const keptFiles = new Set<string>();

  for (const file of files) {
    signal?.throwIfAborted();
    const contents = readTicketFile(options.kbDir, file, options.maxFileBytes ?? 256 * 1024 * 1024);
    for (const problem of contents.problems) {
      failures.push({ file, line: problem.line, reason: problem.reason });
      // Without an id the row's stored ticket is unknown: nothing of this file may be removed.
      if (problem.id === undefined) keptFiles.add(file);
      else keptIds.add(problem.id);
    }
    for (const { line, ticket } of contents.tickets) {
      const earlier = wanted.get(ticket.id);
      if (earlier) {
        const where =
          earlier.file === file ? `line ${earlier.line}` : `${earlier.file} line ${earlier.line}`;
        warnings.push({ file, line, reason: `duplicate id ${ticket.id}: replaces ${where}` });
        // Re-inserted so that the ticket takes the later row's place in write order.
        wanted.delete(ticket.id);
      }
      const searchText = ticketSearchText(ticket);
      wanted.set(ticket.id, {
        ticket,
        file,
        line,
        contentHash: sha256(JSON.stringify([TICKET_READER_VERSION, file, ticket])),
        searchText,
        textHash: sha256(searchText),
      });
    }
  }
  if (failures.length > 0 || warnings.length > 0) {
    options.logger.warn("ticket rows skipped or replaced", {
      failed: failures.length,
      duplicates: warnings.length,
      first: failures[0] ?? warnings[0],
    });
  }

  const taxonomy = readTaxonomy(options.kbDir, failures, options.logger);
  const unknown = taxonomy
    ? unknownLabels(
        taxonomy,
        [...wanted.values()].map((item) => item.ticket),
      )
    : [];
  if (unknown.length > 0) {
    options.logger.warn("ticket labels not in the taxonomy", {
      taxonomyVersion: taxonomy?.version,
      labels: unknown.length,
      first: unknown[0],
    });
  }

  const stored = await index.readTicketManifest(target);
  const isKept = (entry: TicketManifestEntry) =>
    !wanted.has(entry.id) && (keptIds.has(entry.id) || keptFiles.has(entry.path));
  const removed = [...stored.values()]
    .filter((entry) => !wanted.has(entry.id) && !isKept(entry))
    .map((entry) => entry.id);
  const changed: WantedTicket[] = [];
  let added = 0;
  let unchanged = 0;
  for (const item of wanted.values()) {
    const entry = stored.get(item.ticket.id);
    if (entry?.contentHash === item.contentHash) {
      unchanged++;
      continue;
    }
    if (!entry) added++;
    changed.push(item);
  }

  const reusable =
    previous && previous.number !== target.number && previous.embedderId === embedder.id
      ? previous
      : undefined;
  let dimensions = options.dimensions;
  let embedded = 0;
  const batchRows = options.batchRows ?? 2000;
  for (let start = 0; start < changed.length; start += batchRows) {
    signal?.throwIfAborted();
    const batch = changed.slice(start, start + batchRows);
    const hashes = batch.map((item) => item.textHash);
    const vectors =
      stored.size === 0
        ? new Map<string, Float32Array>()
        : await index.ticketVectorsByTextHash(target, hashes);
    if (reusable) {
      const missingHashes = hashes.filter((hash) => !vectors.has(hash));
      for (const [hash, vector] of await readPrevious(
        () => index.ticketVectorsByTextHash(reusable, missingHashes),
        new Map<string, Float32Array>(),
      ))
        vectors.set(hash, vector);
    }
    const missing = new Map<string, string>();
    for (const item of batch)
      if (!vectors.has(item.textHash)) missing.set(item.textHash, item.searchText);
    embedded += missing.size;
    if (dryRun) continue;
    if (missing.size > 0) {
      const fresh = await embedInBatches(embedder, [...missing.values()], signal);
      [...missing.keys()].forEach((hash, position) => {
        vectors.set(hash, fresh[position] as Float32Array);
      });
      dimensions = checkDimensions(fresh, dimensions, embedder, index.uri);
    }
    await index.writeTickets(
      target,
      batch.map((item) => toTicketRow(item, vectors.get(item.textHash) as Float32Array)),
    );
  }

  if (!dryRun) {
    if (previous && previous.number !== target.number) {
      embedded += await carryOverKeptTickets(options, stored, isKept);
    }
    if (removed.length > 0) await index.removeTickets(target, removed);
  }

  return {
    summary: {
      added,
      updated: changed.length - added,
      removed: removed.length,
      unchanged,
      failed: failures.length,
      duplicates: warnings.length,
      embedded,
      failures,
      warnings,
      taxonomyVersion: taxonomy?.version ?? null,
      unknownLabels: unknown,
    },
    dimensions,
  };
}

/**
 * A rebuild must not lose tickets whose rows fail now but were stored before:
 * copy them across from the serving generation (re-embedding their text when
 * the embedder changed). Returns how many texts were embedded.
 */
async function carryOverKeptTickets(
  options: TicketIngestOptions,
  stored: ReadonlyMap<string, TicketManifestEntry>,
  isKept: (entry: TicketManifestEntry) => boolean,
): Promise<number> {
  const { index, embedder, target, signal } = options;
  const previous = options.previous as Generation;
  const readPrevious = options.readPrevious ?? readDirectly;
  const previousManifest = await readPrevious(
    () => index.readTicketManifest(previous),
    new Map<string, TicketManifestEntry>(),
  );
  const ids = [...previousManifest.values()]
    .filter((entry) => !stored.has(entry.id) && isKept(entry))
    .map((entry) => entry.id);
  if (ids.length === 0) return 0;
  let rows = await readPrevious(() => index.readTickets(previous, ids), []);
  if (previous.embedderId === embedder.id) {
    await index.writeTickets(target, rows);
    return 0;
  }
  const vectors = await embedInBatches(
    embedder,
    rows.map((row) => row.searchText),
    signal,
  );
  rows = rows.map((row, position) => ({ ...row, vector: vectors[position] as Float32Array }));
  await index.writeTickets(target, rows);
  return rows.length;
}

/**
 * The KB's taxonomy file, to check the history's labels against. A broken one is a failure
 * of the whole file, like an unreadable export: reported, and the run goes on without it.
 */
function readTaxonomy(kbDir: string, failures: TicketProblem[], logger: Logger): Taxonomy | null {
  try {
    return readTaxonomyFile(kbDir);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const path = findTaxonomyFile(kbDir) ?? join(kbDir, "taxonomy.yaml");
    const file = relative(kbDir, path).split(sep).join("/");
    // The message starts with the path, which the failure names apart.
    const reason = message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
    failures.push({ file, line: null, reason });
    logger.warn("taxonomy file not read; ticket labels not checked", { path, reason });
    return null;
  }
}

const readDirectly: PreviousGenerationRead = (read) => read();

/** What is searched and embedded: the title, what was wrong, and what fixed it. */
function ticketSearchText(ticket: PastTicket): string {
  return [
    ticket.title,
    ticket.description,
    ticket.resolution === null ? null : `Resolution: ${ticket.resolution}`,
  ]
    .filter((part): part is string => part !== null && part !== "")
    .join("\n\n");
}

function toTicketRow(item: WantedTicket, vector: Float32Array): TicketRow {
  return {
    ...item.ticket,
    path: item.file,
    searchText: item.searchText,
    contentHash: item.contentHash,
    textHash: item.textHash,
    vector,
  };
}
