import type { Embedder } from "../embed/embedder.js";
import { KbError } from "../errors.js";

/** The vectors' width, or an `index_incompatible` error when it differs between them or from the index's. */
export function checkDimensions(
  vectors: readonly Float32Array[],
  expected: number | null,
  embedder: Embedder,
  uri: string,
): number | null {
  const width = vectors[0]?.length ?? expected;
  if (width === undefined || width === null) return expected;
  if (
    vectors.some((vector) => vector.length !== width) ||
    (expected !== null && width !== expected)
  ) {
    throw new KbError(
      "index_incompatible",
      `Embedder ${embedder.id} returned ${width}-d vectors but the index at ${uri} holds ${expected}-d vectors. Rebuild it with \`npm run ingest -- --force\`.`,
    );
  }
  return width;
}
