import * as z from "zod/mini";

/** Labels as the desk wrote them; a writeup's are its severity, owner and first service. */
export const SimilarLabels = z.object({
  category: z.nullable(z.string()),
  priority: z.nullable(z.string()),
  team: z.nullable(z.string()),
  service: z.nullable(z.string()),
});
export type SimilarLabels = z.infer<typeof SimilarLabels>;

/** A past ticket like the one asked about. */
export const SimilarTicket = z.object({
  kind: z.literal("ticket"),
  /** The desk's ticket number. */
  id: z.string(),
  title: z.string(),
  /** The close notes: what fixed it. */
  resolution: z.nullable(z.string()),
  /** ISO 8601 UTC. */
  openedAt: z.nullable(z.string()),
  resolvedAt: z.nullable(z.string()),
  labels: SimilarLabels,
  /** Higher is more alike; comparable within one list of one response only. */
  score: z.number(),
  /** Ids of tickets folded into this one: same title and resolution, lower score. */
  duplicates: z.array(z.string()),
});
export type SimilarTicket = z.infer<typeof SimilarTicket>;

/** An incident writeup like the ticket, from the knowledge base. */
export const SimilarIncident = z.object({
  kind: z.literal("incident"),
  /** The writeup's path relative to the KB folder. */
  id: z.string(),
  title: z.string(),
  rootCause: z.nullable(z.string()),
  resolution: z.nullable(z.string()),
  /** The writeup's `date` (a day, `2026-03-14`). */
  date: z.nullable(z.string()),
  labels: SimilarLabels,
  score: z.number(),
  /** The best matching section's chunk id, for `GET /v1/sections/:id`. */
  sectionId: z.string(),
});
export type SimilarIncident = z.infer<typeof SimilarIncident>;

/** `POST /v1/similar`: each list best first. */
export const SimilarResponse = z.object({
  tickets: z.array(SimilarTicket),
  incidents: z.array(SimilarIncident),
});
export type SimilarResponse = z.infer<typeof SimilarResponse>;
