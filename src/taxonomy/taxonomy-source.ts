import { basename, resolve } from "node:path";
import { watch as watchFiles } from "chokidar";
import type { Logger } from "../logger.js";
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

/** Editors save in bursts (temp file, rename, chmod): read once the burst is over. */
const settleMs = 100;

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

  const folder = resolve(kbDir);
  const names = new Set<string>(taxonomyFileNames);
  // The folder itself must pass the filter, or nothing in it is watched.
  const watcher = watchFiles(folder, {
    ignoreInitial: true,
    depth: 0,
    ignored: (path) => resolve(path) !== folder && !names.has(basename(path)),
  });
  let timer: NodeJS.Timeout | undefined;
  watcher.on("all", () => {
    clearTimeout(timer);
    timer = setTimeout(load, settleMs);
  });
  watcher.on("error", (error) =>
    logger.warn("taxonomy watcher failed; the taxonomy is no longer reloaded", {
      path: kbDir,
      reason: error instanceof Error ? error.message : String(error),
    }),
  );
  const ready = new Promise<void>((resolveReady) => watcher.once("ready", () => resolveReady()));
  return {
    current: () => taxonomy,
    ready,
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
