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
    // Synchronous: calls side by side would only take turns.
    maxParallelCalls: 1,
    embed: async (texts) => texts.map((text) => featureHashVector(text, dimensions)),
  };
}

const wordWeight = 1;
const pairWeight = 0.5;
const trigramWeight = 0.25;
/** Seeds keep the three feature families apart in hash space. */
const pairSeed = 0x9e3779b9;
const trigramSeed = 0x85ebca6b;
/** Stand-ins for "start of word" and "end of word" around trigrams. */
const wordStart = 0x02;
const wordEnd = 0x03;

export function featureHashVector(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  let previousHash: number | undefined;
  for (const word of tokenizeForHashing(text)) {
    const wordHash = fnv1a(word, 0x811c9dc5);
    addFeature(vector, wordHash, wordWeight);
    if (previousHash !== undefined) {
      addFeature(vector, mix(Math.imul(previousHash ^ pairSeed, 31) ^ wordHash), pairWeight);
    }
    previousHash = wordHash;
    if (word.length > 3) addTrigrams(vector, word);
  }
  let norm = 0;
  for (let index = 0; index < dimensions; index++) norm += (vector[index] as number) ** 2;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let index = 0; index < dimensions; index++)
      vector[index] = (vector[index] as number) * scale;
  }
  return vector;
}

/** Character trigrams of the word with boundary marks, hashed straight from char codes (no substrings). */
function addTrigrams(vector: Float32Array, word: string): void {
  let first = wordStart;
  let second = word.charCodeAt(0);
  for (let position = 1; position <= word.length; position++) {
    const third = position < word.length ? word.charCodeAt(position) : wordEnd;
    let hash = Math.imul(trigramSeed ^ first, 0x01000193);
    hash = Math.imul(hash ^ second, 0x01000193);
    hash = Math.imul(hash ^ third, 0x01000193);
    addFeature(vector, mix(hash), trigramWeight);
    first = second;
    second = third;
  }
}

const identifierBoundary = /[a-z0-9][A-Z]|_/;

/** Lowercased words, with camelCase and snake_case identifiers also split into their parts. */
export function tokenizeForHashing(text: string): string[] {
  const words: string[] = [];
  for (const raw of text.split(/[^\p{L}\p{N}_]+/u)) {
    if (raw === "") continue;
    words.push(raw.toLowerCase());
    if (!identifierBoundary.test(raw)) continue;
    const parts = raw
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .split(/[\s_]+/)
      .filter((part) => part !== "");
    if (parts.length > 1) for (const part of parts) words.push(part.toLowerCase());
  }
  return words;
}

function addFeature(vector: Float32Array, hash: number, weight: number): void {
  const index = (hash >>> 1) % vector.length;
  // The lowest bit picks the sign so that collisions cancel out on average.
  vector[index] = (vector[index] as number) + (hash & 1 ? weight : -weight);
}

function fnv1a(text: string, seed: number): number {
  let hash = seed;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: spreads FNV's weak low bits before we take a modulo. */
function mix(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
