import type { ServiceEntry } from "../contract/service-entry.js";
import { labelKey } from "../taxonomy/label-key.js";

/** The KB's services, read from `services.yaml`: who owns each, who is on call, what it needs. */
export interface ServiceCatalogue {
  /** The file's `version:`. */
  version: string;
  /** The file's path relative to the KB folder: `services.yaml` (or `.yml`). */
  file: string;
  /** In the file's order. */
  services: readonly ServiceEntry[];
  /** The service with this name or alias, ignoring case and surrounding space. */
  lookup(name: string): ServiceEntry | undefined;
}

export function createServiceCatalogue(
  version: string,
  services: readonly ServiceEntry[],
  file = "services.yaml",
): ServiceCatalogue {
  const byKey = new Map<string, ServiceEntry>();
  for (const service of services) {
    for (const name of [service.name, ...service.aliases]) byKey.set(labelKey(name), service);
  }
  return { version, file, services, lookup: (name) => byKey.get(labelKey(name)) };
}
