import type { TriageLabel } from "../contract/triage-response.js";
import { containsAsWords } from "../text/contains-as-words.js";
import { contentWords } from "../text/content-words.js";
import type { TermSpace } from "./term-space.js";

const fewest = 3;
const most = 5;

/**
 * 3–5 tags. From the taxonomy's vocabulary when it has one: the tags the
 * ticket names, then those its similar past tickets name. The ticket's
 * service, then its rarest words the history has seen (by inverse document
 * frequency) complete a short list; English and other languages alike.
 */
export function pickTags(input: {
  /** The ticket's words, lowercased. */
  text: string;
  service: string | null;
  vocabulary: readonly string[];
  /** Text of the similar past tickets, lowercased, best first. */
  neighbourTexts: readonly string[];
  words: TermSpace | null;
}): TriageLabel[] {
  const tags: TriageLabel[] = [];
  const add = (label: string, confidence: number, reason: string) => {
    if (tags.length < most && !tags.some((tag) => tag.label === label))
      tags.push({ label, confidence, reason });
  };
  const spoken = (tag: string) => [tag.toLowerCase(), tag.toLowerCase().replace(/[-_]/g, " ")];
  for (const tag of input.vocabulary) {
    if (spoken(tag).some((form) => containsAsWords(input.text, form)))
      add(tag, 0.9, "named in the ticket");
  }
  if (input.neighbourTexts.length > 0) {
    const shares = input.vocabulary
      .map((tag) => ({
        tag,
        share:
          input.neighbourTexts.filter((text) =>
            spoken(tag).some((form) => containsAsWords(text, form)),
          ).length / input.neighbourTexts.length,
      }))
      .filter(({ share }) => share >= 0.3)
      .sort((left, right) => right.share - left.share);
    for (const { tag, share } of shares)
      add(tag, Math.round(share * 1000) / 1000, "named by similar past tickets");
  }
  if (tags.length >= fewest) return tags;
  const service = input.service?.trim().toLowerCase();
  if (service) add(service, 0.9, "the ticket's service");
  if (tags.length >= fewest || !input.words) return tags;
  const { terms, idf } = input.words;
  const positions = new Map(terms.map((term, position) => [term, position]));
  const rare = [...new Set(contentWords(input.text))]
    .filter((word) => word.length >= 3 && !/^\d+$/.test(word) && positions.has(word))
    .map((word) => ({ word, idf: idf[positions.get(word) as number] as number }))
    .sort((left, right) => right.idf - left.idf);
  for (const { word } of rare) {
    if (tags.length >= fewest) break;
    add(word, 0.5, "a distinctive word of the ticket");
  }
  return tags;
}
