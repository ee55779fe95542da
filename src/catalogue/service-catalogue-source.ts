import type { Logger } from "../logger.js";
import { watchKbFiles } from "../watch/watch-kb-files.js";
import {
  catalogueFileNames,
  findServiceCatalogueFile,
  readServiceCatalogueFile,
} from "./read-service-catalogue.js";
import type { ServiceCatalogue } from "./service-catalogue.js";

export interface ServiceCatalogueSourceOptions {
  kbDir: string;
  logger: Logger;
  /** Reload when the file is saved, removed or created. */
  watch: boolean;
  /** The taxonomy's team names as they are now, to check owners against; null without one. */
  teams: () => readonly string[] | null;
}

export interface ServiceCatalogueSource {
  /** The catalogue as last read cleanly; null when the KB has none. */
  current(): ServiceCatalogue | null;
  /** Resolves once changes are being watched (at once when not watching). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * The KB's service catalogue, live, as the taxonomy is: read now and, when watching, again
 * within about a second of each change. A file that breaks keeps the previous catalogue (and
 * says why in the log), so a half-finished edit never loses every owner and on-call; a
 * deleted file leaves none. Dangling runbooks and unknown owners are logged as warnings.
 */
export function createServiceCatalogueSource(
  options: ServiceCatalogueSourceOptions,
): ServiceCatalogueSource {
  const { kbDir, logger } = options;
  let catalogue: ServiceCatalogue | null = null;

  const load = () => {
    try {
      const next = readServiceCatalogueFile(kbDir, options.teams());
      if (next === null && catalogue !== null) logger.info("service catalogue removed", { kbDir });
      if (next !== null) {
        logger.info("service catalogue loaded", {
          kbDir,
          version: next.catalogue.version,
          services: next.catalogue.services.length,
        });
        for (const warning of next.warnings)
          logger.warn("service catalogue reference not found", { warning });
      }
      catalogue = next?.catalogue ?? null;
    } catch (error) {
      logger.warn("service catalogue not loaded; keeping the previous catalogue", {
        path: findServiceCatalogueFile(kbDir) ?? kbDir,
        reason: error instanceof Error ? error.message : String(error),
        keptVersion: catalogue?.version ?? null,
      });
    }
  };
  load();

  if (!options.watch) {
    return { current: () => catalogue, ready: Promise.resolve(), close: async () => {} };
  }

  const watch = watchKbFiles({
    kbDir,
    names: catalogueFileNames,
    onChange: load,
    onError: (reason) =>
      logger.warn("service catalogue watcher failed; the catalogue is no longer reloaded", {
        path: kbDir,
        reason,
      }),
  });
  return { current: () => catalogue, ready: watch.ready, close: watch.close };
}
