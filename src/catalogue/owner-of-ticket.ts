import type { Ticket } from "../contract/ticket.js";
import { labelKey } from "../taxonomy/label-key.js";
import type { ServiceCatalogue } from "./service-catalogue.js";
import { servicesOfTicket } from "./services-named.js";

/**
 * The team that owns the service(s) the ticket names, by the catalogue; null when it names
 * none it knows, or services of different owners (then the text alone cannot say which).
 */
export function ownerOfTicket(
  catalogue: ServiceCatalogue | null,
  ticket: Ticket,
): { team: string; service: string } | null {
  if (!catalogue) return null;
  const services = servicesOfTicket(catalogue, ticket);
  const [first] = services;
  if (!first || new Set(services.map((service) => labelKey(service.owner))).size !== 1) return null;
  return { team: first.owner, service: services.map((service) => service.name).join(", ") };
}
