import { contentWords } from "../text/content-words.js";

/** A list item: `1.`, `2)`, `-`, `*`, `•`. */
const listItem = /^\s*(?:\d{1,2}[.)]|[-*•])\s+/;
/** A sentence that turns to another problem. English only. */
const turn =
  /^(?:also|additionally|in addition|another (?:issue|problem|thing)|separately|on top of (?:that|this)|second(?:ly)?|third(?:ly)?|plus|and also|unrelated)\b/i;
/** Fewest content words a part needs to count as a problem of its own. */
const minimumWords = 3;

/**
 * The problems a ticket description reports, in order: its list items, or the
 * runs of sentences each starting where the reporter turns to another problem
 * ("Also, …", "Another issue: …"). One part when the ticket reports one thing.
 */
export function splitProblems(description: string): string[] {
  const lines = description.split("\n").filter((line) => line.trim() !== "");
  const items = lines
    .filter((line) => listItem.test(line))
    .map((line) => line.replace(listItem, "").trim());
  const substantial = (part: string) => contentWords(part).length >= minimumWords;
  if (items.length >= 2 && items.filter(substantial).length >= 2) return items.filter(substantial);

  const sentences = description
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?])\s+(?=[A-Z0-9])/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== "");
  const parts: string[] = [];
  for (const sentence of sentences) {
    if (parts.length === 0 || turn.test(sentence)) parts.push(sentence);
    else parts[parts.length - 1] = `${parts[parts.length - 1]} ${sentence}`;
  }
  const kept = parts.filter(substantial);
  return kept.length >= 2 ? kept : [description.trim()];
}
