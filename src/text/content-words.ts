import { identifierWords } from "./identifier-words.js";
import { stopWords } from "./stop-words.js";
import { stripLogNoise } from "./strip-log-noise.js";

/**
 * Content words for judging how well text covers a question: log noise
 * dropped, CamelCase names also read as their words, lowercased, stop words
 * dropped, not yet stemmed (typo matching needs the word as written; callers
 * key them with termKey to match inflections).
 */
export function contentWords(text: string): string[] {
  const clean = stripLogNoise(text);
  const parts = identifierWords(clean);
  return (
    (parts.length > 0 ? `${clean} ${parts.join(" ")}` : clean)
      .toLowerCase()
      // "it'll", "we're", "they've", "I'd", "I'm" are their pronoun: "ll" and "re" name nothing.
      .replace(/(\p{L})['’](?:ll|re|ve|d|m)\b/gu, "$1")
      // Contractions stay whole ("won't" is a stop word, not "won" and "t"); other apostrophes split.
      .split(/(?:[^\p{L}\p{N}'’]|['’](?!t\b))+/u)
      .map((word) => word.replace(/’/g, "'"))
      .filter((word) => word.length >= 2 && !stopWords.has(word))
  );
}
