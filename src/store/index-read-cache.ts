/**
 * What a server remembers of the index between questions: reads whose answer depends only on
 * the index's content (a document's chunks and frontmatter, a word's chunk count), never on the
 * question. One cache per reader, shared by its snapshots; it serves one index version at a time
 * (`scope`), so a re-ingest or a generation swap starts it empty and a stale read never lands.
 */
export interface IndexReadCache {
  /** The view for this index version; a new version drops everything remembered of the last. */
  scope(version: string): IndexReadScope;
  /** What is held now, for tests and metrics. */
  stats(): { entries: number; bytes: number; version: string | undefined };
}

/** One index version's view of the cache; once a newer version is scoped it reads nothing and keeps nothing. */
export interface IndexReadScope {
  get<Value>(kind: string, key: string): Value | undefined;
  /** `bytes`: roughly what the value holds, charged against the cache's bound. */
  set(kind: string, key: string, value: unknown, bytes: number): void;
}

export interface IndexReadCacheOptions {
  /** Bound on what is held, in bytes (values' estimated size); the least recently used go first. 0 keeps nothing. */
  maxBytes: number;
}

/** Bookkeeping a Map entry costs beyond its value, roughly: the key string and the entry object. */
const entryOverheadBytes = 100;

export function createIndexReadCache(options: IndexReadCacheOptions): IndexReadCache {
  const { maxBytes } = options;
  // A Map iterates in insertion order: re-inserting on each hit makes the first entry the least recently used.
  const entries = new Map<string, { value: unknown; bytes: number }>();
  let bytes = 0;
  let version: string | undefined;

  const evictTo = (limit: number) => {
    for (const [key, entry] of entries) {
      if (bytes <= limit) break;
      entries.delete(key);
      bytes -= entry.bytes;
    }
  };

  return {
    scope(wanted) {
      if (wanted !== version) {
        entries.clear();
        bytes = 0;
        version = wanted;
      }
      return {
        get<Value>(kind: string, key: string): Value | undefined {
          if (version !== wanted) return undefined;
          const id = `${kind}\u0000${key}`;
          const entry = entries.get(id);
          if (!entry) return undefined;
          entries.delete(id);
          entries.set(id, entry);
          return entry.value as Value;
        },
        set(kind, key, value, valueBytes) {
          if (version !== wanted) return;
          const id = `${kind}\u0000${key}`;
          const size = valueBytes + entryOverheadBytes;
          if (size > maxBytes) return;
          const previous = entries.get(id);
          if (previous) {
            entries.delete(id);
            bytes -= previous.bytes;
          }
          evictTo(maxBytes - size);
          entries.set(id, { value, bytes: size });
          bytes += size;
        },
      };
    },
    stats: () => ({ entries: entries.size, bytes, version }),
  };
}
