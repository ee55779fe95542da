import type { KbDocument } from "./kb-document.js";

/** One descriptive frontmatter field, ready to be searched: `Root cause` and its text. */
export interface DocumentFact {
  label: string;
  text: string;
}

/** Characters kept of one field's text; longer text is cut at a word. */
const maxFactChars = 600;
/** Items kept of one list field (`keywords`, `categories`). */
const maxListItems = 24;
/** Fields taken from the keys we do not model; the rest are left out. */
const maxUnknownFields = 12;
/** Characters of all facts of one document together; keeps the first chunk within an embedder's input. */
const maxTotalChars = 2000;
/** Keys longer than this are not a field name someone writes by hand. */
const maxKeyChars = 40;

/**
 * Fields that describe what a document is about, known by name, in the order
 * they are listed. `summary`, `description` and `keywords` are not modelled
 * (they stay in `extra`) but are common in postmortem collections.
 */
const describingFields: readonly {
  key: string;
  label: string;
  read: (document: KbDocument) => unknown;
}[] = [
  { key: "summary", label: "Summary", read: (document) => document.extra.summary },
  { key: "description", label: "Description", read: (document) => document.extra.description },
  { key: "impact", label: "Impact", read: (document) => document.impact },
  { key: "root_cause", label: "Root cause", read: (document) => document.rootCause },
  { key: "resolution", label: "Resolution", read: (document) => document.resolution },
  { key: "keywords", label: "Keywords", read: (document) => document.extra.keywords },
  { key: "tags", label: "Tags", read: (document) => document.tags },
];
const describingKeys = new Set(describingFields.map((field) => field.key));

/**
 * Values that name a thing rather than describe it (a link, an id, a file
 * path, a date written as text): searching them would only add noise words.
 */
const identifierLike = [
  /^[a-z][a-z0-9+.-]*:\/\/\S*$/i,
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^\S*\/\S*\.[a-z0-9]{1,10}$/i,
  /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/,
];

/**
 * The frontmatter text that says what the document is about: the known
 * describing fields, then any unknown field whose value is text or a list of
 * text, as written. Other values (numbers, dates, objects) and identifiers are
 * left out, and everything is bounded, so an odd frontmatter cannot flood the
 * searched text. Title, aliases and services are searched on their own.
 */
export function documentFacts(document: KbDocument): DocumentFact[] {
  const facts: DocumentFact[] = [];
  for (const field of describingFields) {
    const text = factText(field.read(document));
    if (text !== undefined) facts.push({ label: field.label, text });
  }
  let unknownFields = 0;
  for (const [key, value] of Object.entries(document.extra)) {
    if (unknownFields >= maxUnknownFields) break;
    if (describingKeys.has(key) || key.length > maxKeyChars) continue;
    const text = factText(value);
    if (text === undefined) continue;
    const label = labelOf(key);
    if (label === "") continue;
    facts.push({ label, text });
    unknownFields++;
  }
  return withinTotal(facts);
}

function factText(value: unknown): string | undefined {
  if (typeof value === "string") {
    const text = value.replace(/\s+/g, " ").trim();
    return text === "" || isIdentifier(text) ? undefined : cutAtWord(text, maxFactChars);
  }
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string")) {
    const items = (value as string[])
      .map((item) => item.replace(/\s+/g, " ").trim())
      .filter((item) => item !== "" && !isIdentifier(item))
      .slice(0, maxListItems);
    return items.length === 0 ? undefined : cutAtWord(items.join(", "), maxFactChars);
  }
  return undefined;
}

function isIdentifier(text: string): boolean {
  return identifierLike.some((pattern) => pattern.test(text));
}

/** `root_cause`, `rootCause` and `root-cause` all read `Root cause`. */
function labelOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_\-.\s]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function withinTotal(facts: readonly DocumentFact[]): DocumentFact[] {
  const kept: DocumentFact[] = [];
  let room = maxTotalChars;
  for (const fact of facts) {
    const cost = fact.label.length + 2;
    if (room - cost < 20) break;
    const text = cutAtWord(fact.text, room - cost);
    kept.push({ label: fact.label, text });
    room -= cost + text.length;
  }
  return kept;
}

function cutAtWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.lastIndexOf(" ", maxChars);
  return text.slice(0, cut > maxChars / 2 ? cut : maxChars).trimEnd();
}
