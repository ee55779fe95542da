/** One retrieved piece of the knowledge base, as answers cite it. */
export interface Source {
  /** 1-based number the answer cites as [n]. */
  n: number;
  /** Chunk id (of the first chunk when adjacent chunks were joined). */
  id: string;
  /** Document path relative to the KB folder, `/` separators. */
  path: string;
  title: string;
  headingPath: string[];
  kind: string;
  services: string[];
  /** Fused relevance score; higher is better, comparable within one response only. */
  score: number;
  /** The section's markdown (adjacent chunks of one section joined). */
  text: string;
  /**
   * Where the section starts in its document (its first chunk's index): a
   * document's sections read in this order. Internal, never on the wire.
   */
  position: number;
}
