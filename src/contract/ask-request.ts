import * as z from "zod/mini";
import { boundedText } from "./bounded-text.js";
import { ConversationHistory } from "./conversation-turn.js";
import { SearchFilters } from "./search-filters.js";
import { Ticket } from "./ticket.js";

/** The body of `POST /v1/ask` (and, as query parameters, `GET /v1/ask`). Unknown fields are refused. */
export const AskRequest = z.strictObject({
  question: boundedText(4_000).check(z.minLength(1, "is required")),
  ticket: z.optional(Ticket),
  filters: z.optional(SearchFilters),
  topK: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(20))),
  /** false asks for one JSON object instead of an event stream. */
  stream: z.optional(z.boolean()),
  /** The previous turns of the conversation, oldest first: a follow-up is read with them. */
  history: z.optional(ConversationHistory),
});
export type AskRequest = z.infer<typeof AskRequest>;
