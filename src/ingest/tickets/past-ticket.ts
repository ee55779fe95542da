/** A resolved ticket from the desk's history, as ingest stores it: text cleaned, dates ISO 8601 UTC. */
export interface PastTicket {
  id: string;
  /** The export's title, else the description's first line. */
  title: string;
  description: string | null;
  category: string | null;
  priority: string | null;
  /** The assignment group that resolved it. */
  team: string | null;
  service: string | null;
  /** Close notes: what fixed it. */
  resolution: string | null;
  openedAt: string | null;
  resolvedAt: string | null;
}

/** A row that could not be read: its line in the file (null for the whole file), why, and its id when known. */
export interface TicketRowProblem {
  line: number | null;
  reason: string;
  id?: string;
}

/** What one export file yields: tickets in file order, with the line each starts on, and bad rows. */
export interface TicketFileContents {
  tickets: { line: number; ticket: PastTicket }[];
  problems: TicketRowProblem[];
}
