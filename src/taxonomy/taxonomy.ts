/** A label of the desk's vocabulary: a category, priority or team. */
export interface TaxonomyLabel {
  name: string;
  description: string | null;
  /** Phrases that signal this label; [] when the file gives none. */
  keywords: string[];
}

export interface PriorityLabel extends TaxonomyLabel {
  /** 0 is the most urgent: the order of the file (or of the names' natural sort, when derived). */
  rank: number;
  impact: string | null;
  urgency: string | null;
}

export interface TeamLabel extends TaxonomyLabel {
  /** The services this team owns; may be empty. */
  services: string[];
}

/** The labels a ticket may carry, from `kb/taxonomy.yaml` or, without one, from the history. */
export interface Taxonomy {
  /** The file's `version:`, or `history-<first 8 hex of sha256 of the label lists>` when derived. */
  version: string;
  source: "file" | "history";
  categories: TaxonomyLabel[];
  priorities: PriorityLabel[];
  teams: TeamLabel[];
  /** Optional vocabulary of tags; [] when none. */
  tags: string[];
}
