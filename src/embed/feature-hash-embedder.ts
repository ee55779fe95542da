import type { Embedder } from "./embedder.js";

/**
 * Offline embedder: signed feature hashing of words, word pairs and character
 * trigrams into a fixed-size, L2-normalised vector. No model, no network, no
 * download. It captures lexical overlap that survives typos and inflection
 * (trigrams) and a little word order (pairs); it knows nothing of synonyms.
 */
export function createFeatureHashEmbedder(dimensions = 384): Embedder {
  return {
    id: `offline:feature-hash-v1:${dimensions}`,
    dimensions,
    maxBatchSize: 1024,
    embed: async (texts) => texts.map((text) => featureHashVector(text, dimensions)),
  };
}

const wordWeight = 1;
const pairWeight = 0.5;
const trigramWeight = 0.25;

export function featureHashVector(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  const words = tokenizeForHashing(text);
  let previous: string | undefined;
  for (const word of words) {
    addFeature(vector, word, wordWeight);
    if (previous !== undefined) addFeature(vector, `${previous} ${word}`, pairWeight);
    previous = word;
    if (word.length > 3) {
      const padded = `^${word}$`;
      for (let start = 0; start + 3 <= padded.length; start++) {
        addFeature(vector, `#${padded.slice(start, start + 3)}`, trigramWeight);
      }
    }
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let index = 0; index < dimensions; index++) vector[index] = (vector[index] ?? 0) * scale;
  }
  return vector;
}

/** Lowercased words, with camelCase and snake_case identifiers also split into their parts. */
export function tokenizeForHashing(text: string): string[] {
  const words: string[] = [];
  for (const raw of text.split(/[^\p{L}\p{N}_]+/u)) {
    if (raw === "") continue;
    const lower = raw.toLowerCase();
    words.push(lower);
    const parts = raw
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .split(/[\s_]+/)
      .filter((part) => part !== "");
    if (parts.length > 1) for (const part of parts) words.push(part.toLowerCase());
  }
  return words;
}

function addFeature(vector: Float32Array, feature: string, weight: number): void {
  const hash = fnv1a(feature);
  const index = (hash >>> 1) % vector.length;
  // The lowest bit picks the sign so that collisions cancel out on average.
  vector[index] = (vector[index] ?? 0) + (hash & 1 ? weight : -weight);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
