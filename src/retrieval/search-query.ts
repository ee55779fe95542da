import type { ConversationTurn } from "../contract/conversation-turn.js";
import type { SearchFilters } from "../contract/search-filters.js";
import type { Ticket } from "../contract/ticket.js";

export interface SearchQuery {
  question: string;
  ticket?: Ticket | undefined;
  filters?: SearchFilters | undefined;
  topK: number;
  /** Previous turns, oldest first: a question that leans on the last one searches within what it cited. */
  history?: readonly ConversationTurn[] | undefined;
}
