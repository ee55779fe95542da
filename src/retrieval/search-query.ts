/** The incident ticket an engineer is holding: context that shapes retrieval, never instructions. */
export interface Ticket {
  id?: string | undefined;
  title?: string | undefined;
  description?: string | undefined;
  service?: string | undefined;
  priority?: string | undefined;
  /** Free-form fields from the ticketing tool. */
  fields?: Record<string, string> | undefined;
  /** Pasted log lines. */
  logs?: string | undefined;
}

export interface SearchFilters {
  kind?: string[] | undefined;
  services?: string[] | undefined;
  tags?: string[] | undefined;
}

export interface SearchQuery {
  question: string;
  ticket?: Ticket | undefined;
  filters?: SearchFilters | undefined;
  topK: number;
}
