import type { FrontmatterFields } from "./frontmatter.js";

/** A parsed KB document: frontmatter resolved, body still markdown. */
export type KbDocument = Omit<FrontmatterFields, "title" | "kind"> & {
  /** Relative to the KB directory, `/` separators. */
  path: string;
  /** sha256 of the file's bytes. */
  contentHash: string;
  title: string;
  kind: string;
  /** Frontmatter keys we do not model, kept as written. */
  extra: Record<string, unknown>;
  body: string;
};
