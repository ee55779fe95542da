import type { ServiceCatalogue } from "../catalogue/service-catalogue.js";
import { servicesOfTicket } from "../catalogue/services-named.js";
import type { SearchQuery } from "./search-query.js";

/** The services a search favours, as documents' `services` frontmatter spells them and by runbook. */
export interface NamedServices {
  /** Lowercased names and aliases. */
  names: ReadonlySet<string>;
  /** The catalogue's runbooks of those services, by KB path. */
  runbooks: ReadonlySet<string>;
}

/**
 * The ticket's `service` as given (with or without a catalogue), and with a catalogue every
 * service the ticket names (its `service` field, else its title and description), under each
 * of its names, with its runbooks. A bare question's service names are not used: questions
 * name services in passing ("the sessions-redis pod on it"), and favouring them lowered the
 * eval's recall@1 (kb 0.969 to 0.949).
 */
export function namedServices(
  query: SearchQuery,
  catalogue: ServiceCatalogue | null,
): NamedServices {
  const names = new Set<string>();
  const runbooks = new Set<string>();
  if (query.ticket?.service) names.add(query.ticket.service.toLowerCase());
  if (catalogue) {
    for (const service of servicesOfTicket(catalogue, query.ticket)) {
      for (const name of [service.name, ...service.aliases]) names.add(name.toLowerCase());
      for (const runbook of service.runbooks) runbooks.add(runbook);
    }
  }
  return { names, runbooks };
}
