import type { Coverage } from "../contract/coverage.js";
import { contentWords } from "../text/content-words.js";
import { identifiersIn } from "../text/identifier-words.js";
import { stripLogNoise } from "../text/strip-log-noise.js";
import { termKey } from "../text/term-key.js";
import { namedDocuments } from "./named-documents.js";
import type { SearchQuery } from "./search-query.js";
import type { Source } from "./source.js";
import { type TermRarity, uniformRarity } from "./term-rarity.js";

/**
 * Share of the question's weight (rarer words weigh more) that one of the top
 * sources must hold. Range 0–1, default 0.6: under it, the sources share
 * only common words with the question, or miss what it is about.
 */
export const defaultCoverageThreshold = 0.35;
/**
 * Weight of a word the KB never mentions, relative to its rarity: written as
 * a name (`Jira`, `MongoDB`) it is the subject no section answers, ×2; in
 * lower case it is mostly how people talk (`unstuck`, `weird`), ×0.2.
 */
const unseenNameFactor = 2;
const unseenWordFactor = 0.2;
/** Sources judged: an answer quotes these. */
const judgedSources = 3;
/** Sources judged together by document: an answer is built from these (the default topK). */
const judgedDocumentSources = 5;
/**
 * How much more of the question a document's sections must hold together
 * than one section alone (0.35 + 0.1): joined sections share more words with
 * anything, off-topic questions included.
 */
const documentMargin = 0.1;

/**
 * `covered` when a top source names an identifier of the question verbatim
 * (an alert name, an error code, a pasted error), or holds most of the
 * question's weight by itself; `weak` otherwise; `none` with no sources.
 */
export function assessCoverage(
  query: SearchQuery,
  sources: readonly Source[],
  evidence: CoverageEvidence = {},
  threshold = defaultCoverageThreshold,
): Coverage {
  if (sources.length === 0) return "none";
  const top = sources.slice(0, judgedSources);
  const named = namedDocuments(query, evidence.aliases ?? new Map());
  if (top.some((source) => named.has(source.path)) || namesAnIdentifier(query, top))
    return "covered";
  if (termCoverage(query, top, evidence.rarity) >= threshold) return "covered";
  // A question often spans a document's sections (its symptom in one, its fix in another).
  const documents = documentsOf(sources.slice(0, judgedDocumentSources));
  return termCoverage(query, documents, evidence.rarity) >= threshold + documentMargin
    ? "covered"
    : "weak";
}

/** The sources of each document joined into one, in order of their first appearance. */
function documentsOf(sources: readonly Source[]): Source[] {
  const byPath = new Map<string, Source>();
  for (const source of sources) {
    const known = byPath.get(source.path);
    byPath.set(
      source.path,
      known === undefined
        ? source
        : {
            ...known,
            headingPath: [...known.headingPath, ...source.headingPath],
            text: `${known.text}\n\n${source.text}`,
          },
    );
  }
  return [...byPath.values()];
}

/** What the index tells beyond the sources themselves. */
export interface CoverageEvidence {
  /** How rare each question word is; without it every word weighs the same. */
  rarity?: TermRarity;
  /** Frontmatter aliases by document path: the names alerts and errors arrive by. */
  aliases?: ReadonlyMap<string, readonly string[]>;
}

/** The words coverage weighs: question and ticket title, log noise and stop words dropped. */
export function coverageWords(query: SearchQuery): string[] {
  return [...new Set(contentWords(askedText(query)))];
}

/**
 * The best share of the question's weight that one source holds (its title,
 * headings, services and text), forgiving inflections and typos. 1 when the
 * question has no content words.
 */
export function termCoverage(
  query: SearchQuery,
  sources: readonly Source[],
  rarity: TermRarity = uniformRarity,
): number {
  const wanted = coverageWords(query);
  const names = writtenAsNames(askedText(query));
  const weightOf = (word: string): number =>
    rarity.weight(word) *
    (rarity.unseen(word) ? (names.has(word) ? unseenNameFactor : unseenWordFactor) : 1);
  const total = wanted.reduce((sum, word) => sum + weightOf(word), 0);
  if (total === 0) return 1;
  let best = 0;
  for (const source of sources) {
    const words = contentWords(
      `${source.title} ${source.headingPath.join(" ")} ${source.services.join(" ")} ${source.text}`,
    );
    const present = new Set(words);
    const presentKeys = new Set(words.map(termKey));
    const found = wanted
      .filter((word) => presentKeys.has(termKey(word)) || hasNearMiss(word, present))
      .reduce((sum, word) => sum + weightOf(word), 0);
    best = Math.max(best, found / total);
  }
  return best;
}

/** Words of `text` written with a capital (`Jira`, `MongoDB`, `AWS`), lowercased. */
function writtenAsNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const word of text.match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (/\p{Lu}/u.test(word)) names.add(word.toLowerCase());
  }
  return names;
}

function askedText(query: SearchQuery): string {
  return `${query.question} ${query.ticket?.title ?? ""}`;
}

/**
 * A name written as code (`KubePodCrashLooping`, `pg_stat_statements`,
 * `sev1`, `ERR_CONN_RESET`) is one thing: a source naming it verbatim is about
 * it. Names of the sources' services or clusters say where, not what.
 */
function namesAnIdentifier(query: SearchQuery, sources: readonly Source[]): boolean {
  const identifiers = identifiersIn(stripLogNoise(askedText(query)), 4);
  if (identifiers.length === 0) return false;
  return sources.some((source) => {
    const services = new Set(source.services.map((service) => service.toLowerCase()));
    const text = `${source.title}\n${source.headingPath.join("\n")}\n${source.text}`.toLowerCase();
    return identifiers.some((identifier) => !services.has(identifier) && text.includes(identifier));
  });
}

/**
 * Typos count: a term of five or more letters matches a present term one edit
 * (or one swap of neighbours) away with the same first letter. People seldom
 * mistype the first letter, while another word one edit away usually differs
 * there (`gmail` and `email`, `reply` and `replay`).
 */
function hasNearMiss(term: string, present: ReadonlySet<string>): boolean {
  if (term.length < 5) return false;
  for (const candidate of present) {
    if (
      candidate[0] === term[0] &&
      Math.abs(candidate.length - term.length) <= 1 &&
      withinOneEdit(term, candidate)
    )
      return true;
  }
  return false;
}
function withinOneEdit(left: string, right: string): boolean {
  if (left === right) return true;
  if (left.length === right.length && isOneSwap(left, right)) return true;
  const [shorter, longer] = left.length <= right.length ? [left, right] : [right, left];
  let edits = 0;
  let shortIndex = 0;
  let longIndex = 0;
  while (shortIndex < shorter.length && longIndex < longer.length) {
    if (shorter[shortIndex] === longer[longIndex]) {
      shortIndex++;
      longIndex++;
      continue;
    }
    if (++edits > 1) return false;
    if (shorter.length === longer.length) shortIndex++;
    longIndex++;
  }
  return edits + (longer.length - longIndex) <= 1;
}

function isOneSwap(left: string, right: string): boolean {
  const differ: number[] = [];
  for (let index = 0; index < left.length && differ.length <= 2; index++) {
    if (left[index] !== right[index]) differ.push(index);
  }
  const [first, second] = differ;
  return (
    differ.length === 2 &&
    first !== undefined &&
    second === first + 1 &&
    left[first] === right[second] &&
    left[second] === right[first]
  );
}
