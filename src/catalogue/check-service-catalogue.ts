import { KbError } from "../errors.js";
import { readTaxonomyFile } from "../taxonomy/read-taxonomy.js";
import { readServiceCatalogueFile } from "./read-service-catalogue.js";

/** What ingest reports of the KB's service catalogue: the `catalogue` of its summary. */
export interface CatalogueCheck {
  /** `services.yaml`'s version; null when the KB has none, or it was refused. */
  version: string | null;
  /** Services it lists; 0 without a catalogue. */
  services: number;
  /** Runbooks missing from the KB and owners the taxonomy lacks, each naming the file and the entry. */
  warnings: string[];
  /** Why the file was refused (a server keeps its previous catalogue); null when it reads or is absent. */
  error: string | null;
}

/**
 * The catalogue as a server would read it now, checked against the KB folder and its taxonomy
 * file (owners are not checked when the taxonomy does not read: ingest reports that on its own).
 */
export function checkServiceCatalogue(kbDir: string): CatalogueCheck {
  let teams: string[] | null = null;
  try {
    teams = readTaxonomyFile(kbDir)?.teams.map((team) => team.name) ?? null;
  } catch (error) {
    // A broken taxonomy is the tickets' failure to report; owners simply go unchecked.
    if (!(error instanceof KbError)) throw error;
  }
  try {
    const reading = readServiceCatalogueFile(kbDir, teams);
    return {
      version: reading?.catalogue.version ?? null,
      services: reading?.catalogue.services.length ?? 0,
      warnings: reading?.warnings ?? [],
      error: null,
    };
  } catch (error) {
    if (!(error instanceof KbError)) throw error;
    return { version: null, services: 0, warnings: [], error: error.message };
  }
}
