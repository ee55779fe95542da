/** A parsed KB document: frontmatter resolved, body still markdown. */
export interface KbDocument {
  /** Relative to the KB directory, `/` separators. */
  path: string;
  /** sha256 of the file's bytes. */
  contentHash: string;
  title: string;
  kind: string;
  services: string[];
  tags: string[];
  aliases: string[];
  severity: string | null;
  owner: string | null;
  updated: string | null;
  date: string | null;
  impact: string | null;
  rootCause: string | null;
  resolution: string | null;
  /** Related runbook paths (incidents). */
  runbooks: string[];
  /** Frontmatter keys we do not model, kept as written. */
  extra: Record<string, unknown>;
  body: string;
}
