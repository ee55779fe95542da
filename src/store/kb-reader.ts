import type { Table } from "@lancedb/lancedb";
import type { Embedder } from "../embed/embedder.js";
import { KbError } from "../errors.js";
import { createIndexReadCache } from "./index-read-cache.js";
import { type IndexSnapshot, indexSnapshot } from "./index-snapshot.js";
import type { KbIndex } from "./kb-index.js";
import { swapSafeSnapshot } from "./swap-safe-snapshot.js";

/** Read side of the index for servers: follows re-ingests and generation swaps without a restart. */
export interface KbReader {
  snapshot(): Promise<IndexSnapshot>;
  /** The snapshot, or undefined while no index has been built. */
  trySnapshot(): Promise<IndexSnapshot | undefined>;
  /** Settles when the latest prewarm (see `prewarm`) has finished; at once without one. */
  whenPrewarmed(): Promise<void>;
}

export interface KbReaderOptions {
  /** How long a read of the index state is reused. Milliseconds, default 1000. */
  refreshMs?: number;
  /** Queries must embed with the model that built the index. */
  embedder: Embedder;
  /**
   * Bound on what is remembered of the index between questions (documents' chunks and
   * frontmatter, words' chunk counts), dropped whenever the index changes. Bytes, default
   * 64 MiB; 0 remembers nothing.
   */
  cacheBytes?: number;
  /**
   * Read a small index whole into the cache whenever a new version is first seen (at start-up,
   * after each ingest), in the background: the first questions after it read nothing but the
   * index, which over an object store saves their round trips. Only an index estimated to fit
   * in half the cache is read. Default false.
   */
  prewarm?: boolean;
}

/** Default bound of the reader's cache: the sample KB whole takes about 2 MiB. */
export const defaultIndexCacheBytes = 64 * 1024 * 1024;

export function createKbReader(index: KbIndex, options: KbReaderOptions): KbReader {
  const refreshMs = options.refreshMs ?? 1000;
  const cacheBytes = options.cacheBytes ?? defaultIndexCacheBytes;
  const cache = createIndexReadCache({ maxBytes: cacheBytes });
  let unreadableLoads = 0;
  let prewarmedVersion: string | undefined;
  let prewarming: Promise<void> = Promise.resolve();
  let cached: { snapshot: IndexSnapshot | undefined; readAt: number } | undefined;
  let pending: Promise<IndexSnapshot | undefined> | undefined;
  // The last snapshot's table handles, reused while its generation stays active.
  let opened:
    | {
        generation: number;
        tables: {
          chunks?: Table | undefined;
          documents?: Table | undefined;
          tickets?: Table | undefined;
          triage?: Table | undefined;
        };
      }
    | undefined;

  const load = async (): Promise<IndexSnapshot | undefined> => {
    const state = await index.readState();
    const generation = state.active;
    if (!generation) {
      opened = undefined;
      return undefined;
    }
    // A local handle set: a reopen() may forget `opened` while this load awaits.
    const handles =
      opened?.generation === generation.number
        ? opened
        : { generation: generation.number, tables: {} as NonNullable<typeof opened>["tables"] };
    const { tables } = handles;
    // Each table looked up until it exists: documents, the first ticket export and the triage
    // model may all arrive after the generation was opened (a KB of tickets alone has no documents).
    if (!tables.chunks || !tables.documents) {
      [tables.chunks, tables.documents] = await Promise.all([
        index.chunkTable(generation),
        index.documentTable(generation),
      ]);
    }
    tables.tickets ??= await index.ticketTable(generation);
    tables.triage ??= await index.triageTable(generation);
    opened = handles;
    // A generation with neither documents nor tickets (every file failed) has nothing to serve yet.
    if (!tables.chunks && !tables.tickets) return undefined;
    // Keyed by the tables' versions, not the generation alone: a plain ingest rewrites the active generation.
    const [chunksVersion, documentsVersion] = await Promise.all([
      versionOf(tables.chunks),
      versionOf(tables.documents),
    ]);
    // A version that cannot be read (damaged files) shares nothing: the reads themselves report the damage.
    const readable = chunksVersion !== unreadable && documentsVersion !== unreadable;
    const version = readable
      ? `${generation.number}:${chunksVersion}:${documentsVersion}`
      : `${generation.number}:unreadable:${++unreadableLoads}`;
    const snapshot = indexSnapshot(generation, tables, cache.scope(version));
    // A damaged version is not read whole: the questions' own reads report the damage.
    if (options.prewarm && readable && cacheBytes > 0 && version !== prewarmedVersion) {
      prewarmedVersion = version;
      // Not awaited: questions meanwhile read the index as they would without it. A failure
      // costs nothing here: the read that meets it again reports it.
      prewarming = snapshot.prewarm(cacheBytes / 2).then(
        () => undefined,
        () => undefined,
      );
    }
    return snapshot;
  };

  const currentSnapshot = async () => {
    if (cached && performance.now() - cached.readAt < refreshMs) return cached.snapshot;
    // One state read in flight at a time, however many queries arrive together.
    pending ??= load().finally(() => {
      pending = undefined;
    });
    const snapshot = await pending;
    cached = { snapshot, readAt: performance.now() };
    return snapshot;
  };

  // A read that raced a swap (or met damaged files): forget the handles and read the state afresh.
  const reopen = async () => {
    cached = undefined;
    opened = undefined;
    return currentSnapshot();
  };

  // Wrapped per query, so that a retry moves that query alone, and only once.
  const trySnapshot = async () => {
    const snapshot = await currentSnapshot();
    return snapshot && swapSafeSnapshot(snapshot, reopen);
  };

  return {
    trySnapshot,
    whenPrewarmed: () => prewarming,
    async snapshot() {
      const snapshot = await trySnapshot();
      if (!snapshot) {
        throw new KbError(
          "index_not_ready",
          "The knowledge base has not been ingested yet. Run `npm run ingest` and retry.",
        );
      }
      if (snapshot.generation.embedderId !== options.embedder.id) {
        throw new KbError(
          "index_incompatible",
          `The index was built with embedder ${snapshot.generation.embedderId} but the server embeds queries with ${options.embedder.id}. Rebuild with \`npm run ingest -- --force\` or restore the embedding settings.`,
        );
      }
      return snapshot;
    },
  };
}

const unreadable = Symbol("unreadable");

/** A table's version, "-" without the table, `unreadable` when its files cannot tell. */
async function versionOf(table: Table | undefined): Promise<number | "-" | typeof unreadable> {
  if (!table) return "-";
  try {
    return await table.version();
  } catch {
    // Reported by the query that needs the table, through swapSafeSnapshot, as before the cache.
    return unreadable;
  }
}
