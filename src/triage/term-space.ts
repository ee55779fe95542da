import type { SparseVector } from "./softmax-regression.js";

/** A vocabulary with inverse document frequencies: terms to TF-IDF vectors. */
export interface TermSpace {
  terms: string[];
  idf: Float32Array;
}

/**
 * Terms seen in at least `minDocuments` training tickets. A term seen once
 * teaches a linear model only that one ticket's label, and costs a row of
 * weights per class.
 */
export function buildTermSpace(
  documents: readonly (readonly string[])[],
  minDocuments = 2,
): TermSpace {
  const counts = new Map<string, number>();
  for (const terms of documents)
    for (const term of new Set(terms)) counts.set(term, (counts.get(term) ?? 0) + 1);
  const floor = documents.length < 200 ? 1 : minDocuments;
  const terms = [...counts]
    .filter(([, count]) => count >= floor)
    .map(([term]) => term)
    .sort();
  const idf = Float32Array.from(
    terms,
    (term) => Math.log((1 + documents.length) / (1 + (counts.get(term) as number))) + 1,
  );
  return { terms, idf };
}

export function termIndex(space: TermSpace): Map<string, number> {
  return new Map(space.terms.map((term, position) => [term, position]));
}

/** Sublinear TF-IDF, L2-normalised; unknown terms are dropped. */
export function vectorize(
  terms: readonly string[],
  space: TermSpace,
  index: ReadonlyMap<string, number>,
): SparseVector {
  const counts = new Map<number, number>();
  for (const term of terms) {
    const position = index.get(term);
    if (position !== undefined) counts.set(position, (counts.get(position) ?? 0) + 1);
  }
  const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const values = new Float32Array(indices.length);
  let norm = 0;
  indices.forEach((position, k) => {
    const value = (1 + Math.log(counts.get(position) as number)) * (space.idf[position] as number);
    values[k] = value;
    norm += value * value;
  });
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < values.length; k++) values[k] = (values[k] as number) / norm;
  return { indices, values };
}
