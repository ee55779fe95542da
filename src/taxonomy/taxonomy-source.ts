import type { Logger } from "../logger.js";
import { watchKbFiles } from "../watch/watch-kb-files.js";
import { findTaxonomyFile, readTaxonomyFile, taxonomyFileNames } from "./read-taxonomy.js";
import type { Taxonomy } from "./taxonomy.js";

export interface TaxonomySourceOptions {
  kbDir: string;
  logger: Logger;
  /** Reload when the file is saved, removed or created. */
  watch: boolean;
}

export interface TaxonomySource {
  /** The taxonomy file as last read cleanly; null when there is none. */
  current(): Taxonomy | null;
  /** Resolves once changes are being watched (at once when not watching). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * The KB's taxonomy file, live: read now and, when watching, again within about a second
 * of each change. A file that breaks keeps the previous taxonomy (and says why in the
 * log), so a half-finished edit never empties the server's vocabulary; a deleted file
 * leaves none.
 */
export function createTaxonomySource(options: TaxonomySourceOptions): TaxonomySource {
  const { kbDir, logger } = options;
  let taxonomy: Taxonomy | null = null;

  const load = () => {
    try {
      const next = readTaxonomyFile(kbDir);
      if (next === null && taxonomy !== null) logger.info("taxonomy file removed", { kbDir });
      else if (next !== null && next.version !== taxonomy?.version)
        logger.info("taxonomy loaded", { kbDir, version: next.version });
      taxonomy = next;
    } catch (error) {
      logger.warn("taxonomy file not loaded; keeping the previous taxonomy", {
        path: findTaxonomyFile(kbDir) ?? kbDir,
        reason: error instanceof Error ? error.message : String(error),
        keptVersion: taxonomy?.version ?? null,
      });
    }
  };
  load();

  if (!options.watch) {
    return { current: () => taxonomy, ready: Promise.resolve(), close: async () => {} };
  }

  const watch = watchKbFiles({
    kbDir,
    names: taxonomyFileNames,
    onChange: load,
    onError: (reason) =>
      logger.warn("taxonomy watcher failed; the taxonomy is no longer reloaded", {
        path: kbDir,
        reason,
      }),
  });
  return { current: () => taxonomy, ready: watch.ready, close: watch.close };
}
