import type { ServiceEntry } from "../contract/service-entry.js";
import type { SourceSummary } from "../contract/source-summary.js";

/** Who to call, in a line: the owner, the on-call rotation and contact, the tier. */
export function ownerLine(service: ServiceEntry): string {
  const onCall = service.onCall
    ? [service.onCall.rotation, service.onCall.contact && `(${service.onCall.contact})`]
        .filter(Boolean)
        .join(" ")
    : null;
  return [
    `${service.name} is owned by ${service.owner}`,
    onCall && `on call: ${onCall}`,
    service.tier !== null && `tier ${service.tier}`,
  ]
    .filter(Boolean)
    .join("; ");
}

/**
 * The ticket's services as sources numbered after the documents' (`firstN` on), so that
 * documents keep the numbers the retrieval gave them whether or not a catalogue is present.
 */
export function serviceSources(
  services: readonly ServiceEntry[],
  firstN: number,
  catalogueFile: string,
): SourceSummary[] {
  return services.map((service, position) => ({
    n: firstN + position,
    id: service.name,
    path: catalogueFile,
    title: service.name,
    headingPath: [],
    kind: "service",
    services: [service.name],
    score: 0,
    snippet: `${ownerLine(service)}.`,
    service,
  }));
}
