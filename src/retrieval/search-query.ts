import type { SearchFilters } from "../contract/search-filters.js";
import type { Ticket } from "../contract/ticket.js";

export interface SearchQuery {
  question: string;
  ticket?: Ticket | undefined;
  filters?: SearchFilters | undefined;
  topK: number;
}
