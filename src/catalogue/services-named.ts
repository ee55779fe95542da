import type { ServiceEntry } from "../contract/service-entry.js";
import type { Ticket } from "../contract/ticket.js";
import { containsAsWords } from "../text/contains-as-words.js";
import type { ServiceCatalogue } from "./service-catalogue.js";

/** Shorter names and aliases are words (`web`, `api`), not evidence that a service is meant. */
const minimumNameLength = 4;

/** The catalogue's services whose name or an alias `text` contains as words, in the file's order. */
export function servicesNamedIn(catalogue: ServiceCatalogue, text: string): ServiceEntry[] {
  const lower = text.toLowerCase();
  return catalogue.services.filter((service) =>
    [service.name, ...service.aliases].some(
      (name) => name.length >= minimumNameLength && containsAsWords(lower, name.toLowerCase()),
    ),
  );
}

/**
 * The services a ticket is about: the one its `service` field names when the catalogue knows
 * it (the ticketing tool's own field is the best evidence), else those its title or
 * description name. [] without a ticket.
 */
export function servicesOfTicket(
  catalogue: ServiceCatalogue,
  ticket: Ticket | undefined,
): ServiceEntry[] {
  if (!ticket) return [];
  const field = ticket.service ? catalogue.lookup(ticket.service) : undefined;
  if (field) return [field];
  return servicesNamedIn(catalogue, `${ticket.title ?? ""}\n${ticket.description ?? ""}`);
}
