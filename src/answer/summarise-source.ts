import type { SourceSummary } from "../contract/source-summary.js";
import type { Source } from "../retrieval/source.js";
import { withoutPosition } from "../retrieval/without-position.js";
import { snippetOf } from "./snippet-of.js";

/** A source as the stream's `sources` event carries it: a snippet for its text, its place in the document left out. */
export function summariseSource(source: Source): SourceSummary {
  const { text, ...rest } = withoutPosition(source);
  return { ...rest, snippet: snippetOf(text) };
}
