import * as z from "zod/mini";
import { SimilarIncident, SimilarTicket } from "./similar-response.js";

/** One label and how sure triage is of it: about that share of labels this sure were right. */
export const TriageLabel = z.object({
  label: z.string(),
  /** 0–1, calibrated on held-out past tickets offline; the model's own estimate with a chat model. */
  confidence: z.number(),
  /** Why, in a few words: the rule, keyword or similar tickets behind the label. */
  reason: z.string(),
});
export type TriageLabel = z.infer<typeof TriageLabel>;

/** Another problem the ticket reports, triaged on its own. */
export const OtherProblem = z.object({
  summary: z.string(),
  category: z.nullable(TriageLabel),
  priority: z.nullable(TriageLabel),
  team: z.nullable(TriageLabel),
});
export type OtherProblem = z.infer<typeof OtherProblem>;

/** A runbook section that informed the triage. */
export const TriageDocument = z.object({
  /** Chunk id, for `GET /v1/sections/:id`. */
  id: z.string(),
  path: z.string(),
  title: z.string(),
  headingPath: z.array(z.string()),
  services: z.array(z.string()),
  score: z.number(),
});
export type TriageDocument = z.infer<typeof TriageDocument>;

/**
 * `POST /v1/triage`. A field the history never labelled (or labelled with
 * fewer than two values) is null. `needs_review` is true when any of
 * category, priority and team is null or below `threshold`.
 */
export const TriageResponse = z.object({
  category: z.nullable(TriageLabel),
  priority: z.nullable(TriageLabel),
  team: z.nullable(TriageLabel),
  /** 3–5 tags, from the taxonomy's tag vocabulary when it has one. */
  tags: z.array(TriageLabel),
  /** One sentence: what is wrong, and where. */
  summary: z.string(),
  needs_review: z.boolean(),
  /** Each reason a person should check the labels; empty when needs_review is false. */
  review: z.array(z.string()),
  /** The confidence below which a label needs review. */
  threshold: z.number(),
  /** Further problems the ticket reports; the labels above are for the most critical one. */
  others: z.array(OtherProblem),
  similar: z.object({ tickets: z.array(SimilarTicket), incidents: z.array(SimilarIncident) }),
  documents: z.array(TriageDocument),
  /** `offline`: the classifier trained at ingest; `model`: a chat model. */
  mode: z.enum(["offline", "model"]),
  model: z.nullable(z.string()),
  taxonomy: z.nullable(z.object({ version: z.string(), source: z.enum(["file", "history"]) })),
  promptVersion: z.nullable(z.string()),
});
export type TriageResponse = z.infer<typeof TriageResponse>;
