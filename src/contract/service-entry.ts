import * as z from "zod/mini";

/** Who answers for a service out of hours: a rotation's name, a contact, or both. */
export const ServiceOnCall = z.object({
  /** The paging rotation, e.g. `payments-primary`; null when the file names only a contact. */
  rotation: z.nullable(z.string()),
  /** A channel, address or phone; null when the file names only a rotation. */
  contact: z.nullable(z.string()),
});
export type ServiceOnCall = z.infer<typeof ServiceOnCall>;

/**
 * One service of the KB's catalogue (`<KB_DIR>/services.yaml`), as `GET /v1/services/:name`
 * returns it and as a `service` source of the answer stream carries it.
 */
export const ServiceEntry = z.object({
  name: z.string(),
  /** Other names people use for it; lookups match these too, ignoring case. */
  aliases: z.array(z.string()),
  description: z.nullable(z.string()),
  /** The owning team, as the taxonomy names it. */
  owner: z.string(),
  onCall: z.nullable(ServiceOnCall),
  /** Criticality: 0 or 1 is the most critical; null when the file gives none. */
  tier: z.nullable(z.int()),
  /** Names of the catalogue's services this one needs. */
  dependencies: z.array(z.string()),
  /** KB paths (relative to the KB folder) of its runbooks. */
  runbooks: z.array(z.string()),
  /** Dashboard URLs. */
  dashboards: z.array(z.string()),
});
export type ServiceEntry = z.infer<typeof ServiceEntry>;
