import { proseTexts } from "../markdown/prose-texts.js";

export interface AnswerCitations {
  /** Numbers of sources that were sent, cited as [n] (or [n, m]); ascending, each once. */
  cited: number[];
  /** Numbers cited that name no source sent (a model making one up); ascending, at most 20. */
  unknown: number[];
}

/** `[1]` or `[1, 3]`: how answers cite their numbered sources (the widget links the same). */
const citationPattern = /\[(\d+(?:\s*,\s*\d+)*)\]/g;
/** Bounds the warning a model that cites nonsense can cause. */
const maxUnknown = 20;

/** The citations of an answer's prose, code left out, sorted into sources sent and not. */
export function extractCitations(markdown: string, sourceCount: number): AnswerCitations {
  const cited = new Set<number>();
  const unknown = new Set<number>();
  for (const text of proseTexts(markdown)) {
    for (const match of text.matchAll(citationPattern)) {
      for (const number of (match[1] ?? "").split(",")) {
        const n = Number(number.trim());
        if (!Number.isSafeInteger(n)) continue;
        if (n >= 1 && n <= sourceCount) cited.add(n);
        else if (unknown.size < maxUnknown) unknown.add(n);
      }
    }
  }
  const ascending = (numbers: Set<number>) => [...numbers].sort((left, right) => left - right);
  return { cited: ascending(cited), unknown: ascending(unknown) };
}
