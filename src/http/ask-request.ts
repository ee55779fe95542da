import { z } from "zod";

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const list = (maxItems: number, maxChars: number) =>
  z
    .union([
      text(maxChars),
      z.array(text(maxChars)).max(maxItems, `must have at most ${maxItems} items`),
    ])
    .transform((value) => (Array.isArray(value) ? value : [value]).filter((item) => item !== ""));

/** The incident ticket an engineer is holding. Every field is optional and bounded. */
export const TicketInput = z.strictObject({
  id: text(200).optional(),
  title: text(500).optional(),
  description: text(20_000).optional(),
  service: text(200).optional(),
  priority: text(50).optional(),
  fields: z
    .record(text(100), text(2_000))
    .refine((fields) => Object.keys(fields).length <= 50, "must have at most 50 fields")
    .optional(),
  logs: text(50_000).optional(),
});

export const FiltersInput = z.strictObject({
  kind: list(10, 50).optional(),
  services: list(20, 200).optional(),
  tags: list(20, 100).optional(),
});

export const AskRequest = z.strictObject({
  question: text(4_000).min(1, "is required"),
  ticket: TicketInput.optional(),
  filters: FiltersInput.optional(),
  topK: z.number().int().min(1).max(20).optional(),
  /** false asks for one JSON object instead of an event stream. */
  stream: z.boolean().optional(),
});
export type AskRequest = z.infer<typeof AskRequest>;
