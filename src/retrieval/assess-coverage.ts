import type { Coverage } from "../contract/coverage.js";
import { contentWords } from "../text/content-words.js";
import { identifiersIn, identifierWords } from "../text/identifier-words.js";
import { longFormsOf } from "../text/ops-abbreviations.js";
import { rememberByText } from "../text/remember-by-text.js";
import { stripLogNoise } from "../text/strip-log-noise.js";
import { termKey } from "../text/term-key.js";
import { documentsNamedByParts, namedDocuments, ticketOpeningChars } from "./named-documents.js";
import type { SearchQuery } from "./search-query.js";
import type { Source } from "./source.js";
import { type TermRarity, uniformRarity } from "./term-rarity.js";

/**
 * Share of the question's weight (rarer words weigh more) that one of the top
 * sources must hold. Range 0–1, default 0.35: under it, the sources share
 * only common words with the question, or miss what it is about.
 */
export const defaultCoverageThreshold = 0.35;
/**
 * Weight of a word the KB never mentions, relative to its rarity: written as
 * a name (`Jira`, `MongoDB`) it is the subject no section answers, ×2; a
 * misspelling of a word the judged text holds (`qourum`, `que`) is that word,
 * ×1; in lower case otherwise it is mostly how people talk (`unstuck`,
 * `weird`), ×0.2.
 */
const unseenNameFactor = 2;
const misspeltWordFactor = 1;
const unseenWordFactor = 0.2;
/**
 * The most a lower-case word weighs when the KB holds it but none of the
 * judged text does (`hammering`, `kafka`): retrieval read the few sections
 * that hold it and found the question is not about them, so it is the asker's
 * wording or setting more than the subject. About as much as a word half
 * the sections hold.
 */
const unjudgedWordCap = 0.75;
/**
 * Weight of each such lower-case word when the question holds two or more
 * (`laptop` and `wifi`, `parking` and `garage`): together they name a
 * subject, ×1.
 */
const strangeWordsFactor = 1;
/**
 * Share of the question's content words such words must make up to name its subject: two
 * among more than twenty (`piling`, `creeping` in a ticket's long description) are how a
 * long message talks.
 */
const strangeWordsShare = 0.1;
/**
 * Share of the question's weight that retrieval's first document must hold
 * read whole (all its sections), when no section or sent group of sections
 * does. Higher than for sections sent (0.45): a whole runbook shares more
 * words with anything.
 */
const wholeDocumentThreshold = 0.6;
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
 * question's weight by itself, or one document's sources do together, or
 * retrieval's first document read whole does while every word of the question
 * is one the KB or that document holds (typos forgiven); `weak` otherwise;
 * `none` with no sources.
 */
export function assessCoverage(
  query: SearchQuery,
  sources: readonly Source[],
  evidence: CoverageEvidence = {},
  threshold = defaultCoverageThreshold,
): Coverage {
  if (sources.length === 0) return "none";
  const top = sources.slice(0, judgedSources);
  const rarity = evidence.rarity ?? uniformRarity;
  const aliases = evidence.aliases ?? new Map<string, readonly string[]>();
  // An alias quoted verbatim names its document, unless the question also names a product the
  // KB never mentions: "GCP BigQuery … quota exceeded" is BigQuery's error, not the rate limiter's.
  const named = [...namedDocuments(query, aliases)].filter(
    (path) => !namesUnknownToKb(query, rarity, aliases.get(path) ?? []),
  );
  if (top.some((source) => named.includes(source.path)) || namesAnIdentifier(query, top))
    return "covered";
  // So does an alert name the question spells out word by word ("node … RAID … degraded").
  const spelled = documentsNamedByParts(query, aliases);
  if (top.some((source) => spelled.has(source.path))) return "covered";
  // A ticket titled after the runbook ("Gitaly is down on file-23") names it as an alias does.
  if (quotesATitle(query, sources.slice(0, judgedDocumentSources))) return "covered";
  const whole = evidence.wholeDocuments ?? [];
  const vocabulary = vocabularyOf([...sources.slice(0, judgedDocumentSources), ...whole]);
  // Weighed once: each unseen word is matched against the whole vocabulary for typos.
  const weights = weighQuestion(query, rarity, vocabulary);
  if (shareHeld(weights, top, rarity, true) >= threshold) return "covered";
  // A question often spans a document's sections (its symptom in one, its fix in another).
  const documents = documentsOf(sources.slice(0, judgedDocumentSources));
  if (shareHeld(weights, documents, rarity) >= threshold + documentMargin) return "covered";
  // Retrieval finds the document more reliably than the section: the asker's words may be
  // spread over sections that were not sent (the Meaning beside the Mitigation). Not when the
  // question names anything, even a single name, that neither the KB nor the document holds.
  if (weights.strangers.length > 0) return "weak";
  const first = whole.filter((document) => document.path === sources[0]?.path);
  return shareHeld(weights, first, rarity) >= wholeDocumentThreshold ? "covered" : "weak";
}

/** A typo of a word of `vocabulary`, or for a short word, its first letters (`que` for `queue`). */
function isMisspeltFrom(word: string, vocabulary: ReadonlySet<string>): boolean {
  return hasNearMiss(word, vocabulary) || isShortFormIn(word, vocabulary);
}

/** A word of three or four letters that a longer word of `vocabulary` starts with: `que`, `repo`, `conf`. */
function isShortFormIn(word: string, vocabulary: ReadonlySet<string>): boolean {
  if (word.length < 3 || word.length > 4 || !/^\p{L}+$/u.test(word)) return false;
  for (const candidate of vocabulary) {
    if (candidate.length > word.length && candidate.startsWith(word)) return true;
  }
  return false;
}

/**
 * Every content word of the texts judged, as written (what a misspelt question word is
 * matched against) and as keys (what an inflected one is).
 */
interface Vocabulary {
  words: ReadonlySet<string>;
  keys: ReadonlySet<string>;
}

function vocabularyOf(sources: readonly Source[]): Vocabulary {
  const words = new Set<string>();
  const keys = new Set<string>();
  for (const source of sources) {
    const { present, presentKeys } = wordsOf(searchableText(source));
    for (const word of present) words.add(word);
    for (const key of presentKeys) keys.add(key);
  }
  return { words, keys };
}

function searchableText(source: Source): string {
  return `${source.title} ${source.headingPath.join(" ")} ${source.services.join(" ")} ${source.text}`;
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
  /** The top documents read whole (all their sections joined), one source each. */
  wholeDocuments?: readonly Source[];
}

/** The words coverage weighs (see askedText), log noise and stop words dropped. */
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
  vocabulary: Vocabulary = vocabularyOf(sources),
): number {
  return shareHeld(weighQuestion(query, rarity, vocabulary), sources, rarity);
}

/** The question's words, what each weighs, and its strange words, judged against `vocabulary`. */
interface QuestionWeights {
  wanted: string[];
  weight: Map<string, number>;
  total: number;
  /**
   * The words the asker wrote (not the parts of an identifier such as
   * `PayNorthLatencyHigh`) that neither the index nor the judged text holds,
   * even misspelt: a subject the KB never mentions (`laptop`, `battery`).
   */
  strangers: string[];
}

function weighQuestion(
  query: SearchQuery,
  rarity: TermRarity,
  { words: vocabulary, keys: vocabularyKeys }: Vocabulary,
): QuestionWeights {
  const asked = askedText(query);
  const wanted = [...new Set(contentWords(asked))];
  const names = writtenAsNames(asked);
  const written = new Set(asked.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  const misspelt = new Set(
    wanted.filter(
      (word) =>
        rarity.unseen(word) &&
        (isMisspeltFrom(word, vocabulary) || isWrittenOutIn(word, vocabularyKeys)),
    ),
  );
  const ownNames = ownNamesIn(asked, rarity, vocabularyKeys);
  const strangers = wanted.filter(
    (word) =>
      written.has(word) && rarity.unseen(word) && !misspelt.has(word) && !ownNames.has(word),
  );
  // One odd word is how someone talks; two or more are what the question is about, unless
  // the question is long enough to hold a few by chance.
  const strangeTalk = strangers.filter((word) => !names.has(word)).length;
  const talkFactor =
    strangeTalk >= 2 && strangeTalk >= strangeWordsShare * wanted.length
      ? strangeWordsFactor
      : unseenWordFactor;
  const unseenFactor = (word: string): number =>
    ownNames.has(word)
      ? unseenWordFactor
      : names.has(word)
        ? unseenNameFactor
        : misspelt.has(word)
          ? misspeltWordFactor
          : talkFactor;
  const weightOf = (word: string): number => {
    if (rarity.unseen(word)) return rarity.weight(word) * unseenFactor(word);
    const judged =
      vocabularyKeys.has(termKey(word)) ||
      hasNearMiss(word, vocabulary) ||
      isWrittenOutIn(word, vocabularyKeys);
    return judged || names.has(word)
      ? rarity.weight(word)
      : Math.min(rarity.weight(word), unjudgedWordCap);
  };
  const weight = new Map(wanted.map((word) => [word, weightOf(word)]));
  const total = wanted.reduce((sum, word) => sum + (weight.get(word) ?? 0), 0);
  return { wanted, weight, total, strangers };
}

/**
 * The best share of the weighed question that one of `sources` holds; 1 when nothing weighs.
 * `byMentions`: each word earns its weight as BM25 would, in full for one mention in a section
 * of about one chunk's length, less for a passing mention in a longer one.
 */
function shareHeld(
  weights: QuestionWeights,
  sources: readonly Source[],
  rarity: TermRarity,
  byMentions = false,
): number {
  if (weights.total === 0) return 1;
  let best = 0;
  for (const source of sources) {
    const { present, presentKeys, mentions, length } = wordsOf(searchableText(source));
    const held = (word: string) =>
      presentKeys.has(termKey(word)) ||
      isWrittenOutIn(word, presentKeys) ||
      hasNearMiss(word, present) ||
      (rarity.unseen(word) && isShortFormIn(word, present));
    const found = weights.wanted
      .filter(held)
      .reduce(
        (sum, word) =>
          sum +
          (weights.weight.get(word) ?? 0) *
            (byMentions ? mentionCredit(mentions.get(termKey(word)) ?? 1, length) : 1),
        0,
      );
    best = Math.max(best, found / weights.total);
  }
  return best;
}

/** BM25's term-frequency saturation and its length normalisation against one chunk's length. */
const saturation = 1.2;
const lengthNormalisation = 0.75;
/** Content words in a section of one chunk (about 1,400 characters, ingest's target). */
const chunkContentWords = 120;

/** A word's share of its weight for `count` mentions in a text of `length` content words, at most 1. */
function mentionCredit(count: number, length: number): number {
  const norm =
    saturation * (1 - lengthNormalisation + (lengthNormalisation * length) / chunkContentWords);
  return Math.min(1, (count * (saturation + 1)) / (count + norm));
}

/**
 * A source's content words as written (for typos), as keys (for inflections), how often each
 * key is mentioned, and how many there are, for the sections judged most.
 */
const wordsOf = rememberByText((text) => {
  const words = contentWords(text);
  const keys = words.map(termKey);
  const mentions = new Map<string, number>();
  for (const key of keys) mentions.set(key, (mentions.get(key) ?? 0) + 1);
  return { present: new Set(words), presentKeys: new Set(keys), mentions, length: words.length };
}, 2048);

/** Shorthand (`cert`, `k8s`) whose written-out form (`certificate`) the text holds, every word of it. */
function isWrittenOutIn(word: string, keys: ReadonlySet<string>): boolean {
  return longFormsOf(word).some((longForm) =>
    contentWords(longForm).every((part) => keys.has(termKey(part))),
  );
}

/**
 * Whether the question names something the index never holds: a word written as a name
 * (`BigQuery`, `GCP`, `Okta` within a sentence; a sentence's capitalised first word is not one).
 */
function namesUnknownToKb(
  query: SearchQuery,
  rarity: TermRarity,
  /** The aliases quoted: an alert name is a name the index may not hold as one word. */
  quoted: readonly string[],
): boolean {
  const quotedText = quoted.join(" ").toLowerCase();
  return askedText(query)
    .split(/(?<=[.!?])\s+|\n/)
    .some((sentence) =>
      (sentence.match(/[\p{L}\p{N}]+/gu) ?? []).some(
        (word, position) =>
          (/.\p{Lu}/u.test(word) || (position > 0 && /^\p{Lu}/u.test(word))) &&
          rarity.unseen(word.toLowerCase()) &&
          !quotedText.includes(word.toLowerCase()),
      ),
    );
}

/** Fewest words of a joined name its words carry: `OpenVPN` and `SharePoint` are products. */
const minimumJoinedParts = 3;

/**
 * The asker's own names the index never holds, which say where, not what: the parts of a
 * compound name with a number in it (`k8s-bm-07`, `CHG-4471`: a host, a change ticket;
 * not `S3` or `O365`, products), and an alert's joined name whose every word the judged
 * text holds (`ContainerRegistryGCOverdueBlobQueueTooLarge`: its words carry it).
 */
function ownNamesIn(
  text: string,
  rarity: TermRarity,
  vocabularyKeys: ReadonlySet<string>,
): Set<string> {
  const own = new Set<string>();
  for (const token of stripLogNoise(text).match(/[\p{L}\p{N}]+(?:[-_.][\p{L}\p{N}]+)*/gu) ?? []) {
    const lower = token.toLowerCase();
    if (/[-_.]/.test(token) && /\p{N}/u.test(token) && /\p{L}/u.test(token)) {
      for (const part of lower.split(/[-_.]/)) if (rarity.unseen(part)) own.add(part);
      continue;
    }
    const parts = identifierWords(token).flatMap((joined) => contentWords(joined));
    const heldWords = parts.every((part) => vocabularyKeys.has(termKey(part)));
    if (parts.length >= minimumJoinedParts && heldWords && rarity.unseen(lower)) own.add(lower);
  }
  return own;
}

/** Words of `text` written with a capital (`Jira`, `MongoDB`, `AWS`), lowercased. */
function writtenAsNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const word of text.match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (/\p{Lu}/u.test(word)) names.add(word.toLowerCase());
  }
  return names;
}

/**
 * What the asker asks: the question and the ticket's title, and when the question says little
 * itself ("how do I fix this?", "is this urgent?") the opening of the ticket's description:
 * the ticket is then the question, and a title alone ("Web shop checkout fails at the payment
 * step") shares a word or two with many runbooks. A question that says what it asks is judged
 * on its own words, whatever the description holds.
 */
function askedText(query: SearchQuery): string {
  const { question, ticket } = query;
  const description =
    contentWords(question).length <= vagueQuestionWords
      ? (ticket?.description?.slice(0, ticketOpeningChars) ?? "")
      : "";
  return `${question} ${ticket?.title ?? ""} ${description}`;
}
/** Content words up to which a question leans on its ticket. */
const vagueQuestionWords = 2;

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
 * there (`gmail` and `email`, `mouse` and `house`), or in the last
 * (`floor` and `flood`).
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
  // Another last letter makes another word: `floor` and `flood`.
  if (left.length === right.length && left.slice(0, -1) === right.slice(0, -1)) return false;
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

/** The question or its ticket's title quotes a source's document title, of two words or more, verbatim. */
function quotesATitle(query: SearchQuery, sources: readonly Source[]): boolean {
  const titles = new Map(
    sources
      .filter((source) => contentWords(source.title).length >= 2)
      .map((source) => [source.path, [source.title]]),
  );
  return namedDocuments(query, titles).size > 0;
}
