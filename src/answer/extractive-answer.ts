import type { Token, Tokens } from "marked";
import { lexBlocks } from "../markdown/lex-markdown.js";
import type { Source } from "../retrieval/source.js";
import { identifiersIn } from "../text/identifier-words.js";
import { detectIntents, type QuestionIntents } from "../text/question-intents.js";
import { sectionRole } from "../text/section-role.js";
import { isStopWordAfter } from "../text/stop-words.js";
import { stripLogNoise } from "../text/strip-log-noise.js";
import { termKey } from "../text/term-key.js";
import { type KbLinkTargets, rewriteKbLinks } from "./kb-links.js";
import type { Writeup } from "./read-writeups.js";

export interface ExtractiveOptions {
  /**
   * Upper bound on the answer's length, in characters a reader reads (a link counts by its
   * text, not its address); default 1800. The one exception: a lone code block that is the
   * core of the answer is kept whole up to twice this, and dropped beyond that.
   */
  maxChars?: number;
  /** Most documents the answer quotes, lead included (a document's sections count once); default 3. */
  maxSources?: number;
  /**
   * The other sections of the sources' documents, each numbered as its
   * document's source: quoted when room is left, cited as that source and
   * linked to `/v1/sections/<id>`; those of the best-ranked document may lead.
   */
  otherSections?: readonly Source[];
  /** Incident writeups behind the sources, by path: their frontmatter story is quoted with them. */
  writeups?: ReadonlyMap<string, Writeup>;
  /** Where the sources' relative links lead; a link not found here points to its KB path. */
  linkTargets?: KbLinkTargets;
  /**
   * What else the asker told (a ticket's title and description): its words
   * count too, at `contextShare` of a question word, so "what now?" on a
   * ticket is answered about the ticket.
   */
  context?: string;
}

export interface ExtractiveAnswer {
  /** Markdown ready to stream; empty when nothing could be extracted. */
  text: string;
  /** Numbers of the sources cited in `text`, ascending, each once. */
  citations: number[];
}

const defaultMaxChars = 1800;
const defaultMaxSources = 3;
/** Pieces taken from sources other than the lead, one per source. */
const maxSupportingPieces = 2;
/** Units of the lead section taken when it has no procedure to follow. */
const maxLeadProseUnits = 40;
/** Share of the question (0 to 1) a section of the lead's document must hold to be quoted with room left. */
const minCompanionCoverage = 0.1;
/** Room (characters) below which no further source is quoted as a block: a label and a line. */
const minFurtherQuoteRoom = 160;
/** Extra sentences of the lead section added around its procedure, room permitting. */
const maxLeadExtras = 2;
/**
 * Each rank step down divides a source's weight by `1 + rankDecay·steps`: rank 2
 * leads only when at least 25% more relevant than rank 1, rank 3 when 50% more.
 */
const rankDecay = 0.25;
/** How far ahead of every other document retrieval must rank a fix for it to lead on rank alone (×, 1+). */
const clearLead = 1.25;
/** Relevance every section starts with, so rank still orders sections that match nothing. */
const baseRelevance = 0.05;
/** Weighted support score below which a piece is noise, not support; 0 to 1+. */
const minSupportScore = 0.25;
/** Share of the question (0 to 1) a supporting sentence or command must match itself. */
const minSupportUnitScore = 0.3;
/** Intent bonus from which a section counts as the kind the question asks for. */
const wantedSectionBonus = 0.3;
/** Share of the question (0 to 1) the title and headings of a section of the kind asked for must match for its opening to count as support. */
const minWantedSectionTitleCoverage = 0.5;
/** Weight of a word found only in the ticket, relative to a question word. */
const contextShare = 0.5;
/** Weight of a question term that names a service or cluster, relative to other terms. */
const contextTermWeight = 0.5;
/** Credit for a question term found only in a section's title or headings, not its text. */
const headingOnlyCredit = 0.7;
/** Taken from a runbook's diagnosing section (Diagnosis, Checks) when the question only wants a fix. */
const diagnosingPenalty = 0.15;
/**
 * Asked where to look or how to tell, a Symptoms section is less the answer than the checks:
 * it restates what the asker sees. A third of the diagnosing sections' bonus (0.3).
 */
const restatedSymptomsBonus = 0.1;

/**
 * Builds an answer from the retrieved sections alone, with no model: the best
 * section's procedure (or its most relevant sentences), then a line or command
 * from up to two other sources. Every piece is quoted verbatim and cited as [n].
 */
export function buildExtractiveAnswer(
  question: string,
  sources: readonly Source[],
  options: ExtractiveOptions = {},
): ExtractiveAnswer {
  const maxChars = atLeastOne(options.maxChars, defaultMaxChars);
  const maxSources = atLeastOne(options.maxSources, defaultMaxSources);
  const keyOf = createKeyOf();
  const profile = profileQuestion(question, options.context ?? "", keyOf);
  const ranked = [...sources].sort((left, right) => right.score - left.score || left.n - right.n);
  const sections = ranked
    .map((source, index) => readSection(source, index + 1, profile, keyOf))
    .filter((section) => section.units.length > 0);
  if (sections.length === 0) return { text: "", citations: [] };

  const terms = weighTerms(profile, sections, contextTerms(profile, sources, keyOf));
  scoreSections(sections, terms.weights, profile.intents);
  const others = readOtherSections(options.otherSections ?? [], sections, profile, keyOf);
  scoreSections(others, terms.weights, profile.intents);
  // The next best section leads when nothing of the best fits (say, one oversized fence).
  // Retrieval tells the document better than the section: the best document's other sections may lead too.
  const topPath = sections.find((section) => section.rank === 1)?.source.path;
  const contenders = [...sections, ...others.filter((section) => section.source.path === topPath)];
  const ordered = firstBranchLeads(leadCandidates(contenders, profile.intents), [
    ...sections,
    ...others,
  ]);
  for (const lead of ordered) {
    const draft: Draft = {
      quotes: [quoteOf(lead)],
      intents: profile.intents,
      topical: terms.topical,
      unanswered: terms.unanswered,
      pieces: [],
      limit: maxChars,
      writeups: options.writeups ?? new Map(),
      links: options.linkTargets ?? new Map(),
      stories: new Map(),
      asked: [question, stripLogNoise(options.context ?? "")].join("\n"),
      match: undefined,
    };
    const mode = selectLeadWithStory(draft, maxChars);
    if (leadOf(draft).selected.size > 0) {
      return completeAnswer(
        draft,
        mode,
        [...new Set([...ordered, ...others])],
        maxChars,
        maxSources,
      );
    }
  }
  return { text: "", citations: [] };
}

/** One step of a procedure, or a sentence where the section has none: verbatim markdown. */
export interface SelectedStep {
  /** A list item's first paragraph (marker removed), or a sentence. */
  text: string;
  /** Fenced code blocks that belong to the step. */
  code: string[];
}

export interface SelectedSteps {
  /** The source the steps come from. */
  n: number;
  /** In reading order. */
  steps: SelectedStep[];
}

/**
 * The steps the extractive answer would lead with, for callers that phrase them
 * themselves (a drafted reply): the leading section's procedure (its best run of
 * at most `maxSteps` steps), else its most relevant sentences in reading order.
 * `undefined` when no source has any text.
 */
export function selectSteps(
  question: string,
  sources: readonly Source[],
  options: { context?: string; maxSteps?: number } = {},
): SelectedSteps | undefined {
  const maxSteps = atLeastOne(options.maxSteps, 5);
  const keyOf = createKeyOf();
  const profile = profileQuestion(question, options.context ?? "", keyOf);
  const ranked = [...sources].sort((left, right) => right.score - left.score || left.n - right.n);
  const sections = ranked
    .map((source, index) => readSection(source, index + 1, profile, keyOf))
    .filter((section) => section.units.length > 0);
  if (sections.length === 0) return undefined;
  const terms = weighTerms(profile, sections, contextTerms(profile, sources, keyOf));
  scoreSections(sections, terms.weights, profile.intents);
  const lead = leadCandidates(sections, profile.intents)[0] as Section;
  const procedure = chooseProcedure(lead, profile.intents)?.filter((unit) => unit.kind === "item");
  let chosen: Unit[];
  if (procedure !== undefined && procedure.length > 0) {
    chosen = bestRun(procedure, maxSteps);
  } else {
    const sentences = lead.units.filter((unit) => unit.kind === "sentence");
    const relevant = sentences.some((unit) => unit.score > 0)
      ? [...sentences].sort((left, right) => right.score - left.score).slice(0, maxSteps)
      : sentences.slice(0, maxSteps);
    chosen = relevant.sort((left, right) => left.position - right.position);
  }
  return {
    n: lead.source.n,
    steps: chosen.map((unit) => ({
      text: unit.item?.lead ?? unit.text,
      code: unit.item?.code ?? [],
    })),
  };
}

/** The whole list when short enough, else its contiguous run of `size` steps scoring highest (earliest on ties). */
function bestRun(units: readonly Unit[], size: number): Unit[] {
  if (units.length <= size) return [...units];
  let best = 0;
  let bestScore = -1;
  for (let start = 0; start + size <= units.length; start++) {
    const score = units.slice(start, start + size).reduce((total, unit) => total + unit.score, 0);
    if (score > bestScore) {
      best = start;
      bestScore = score;
    }
  }
  return units.slice(best, best + size);
}

/**
 * Sections of the sources' documents that were not sent, ranked just after
 * their document's best source: they may fill room left, and lead when their
 * document ranked first.
 */
function readOtherSections(
  otherSections: readonly Source[],
  sections: readonly Section[],
  profile: QuestionProfile,
  keyOf: KeyOf,
): Section[] {
  const rankOf = new Map<string, number>();
  for (const section of sections) {
    const path = section.source.path;
    rankOf.set(path, Math.min(rankOf.get(path) ?? section.rank, section.rank));
  }
  return otherSections
    .filter((source) => rankOf.has(source.path))
    .map((source) => ({
      ...readSection(source, (rankOf.get(source.path) ?? 0) + 1, profile, keyOf),
      unsent: true as const,
    }))
    .filter((section) => section.units.length > 0);
}

/** A whole number of at least 1; `fallback` for a missing or non-numeric value. */
function atLeastOne(value: number | undefined, fallback: number): number {
  return value === undefined || Number.isNaN(value) ? fallback : Math.max(1, Math.floor(value));
}

/**
 * While room remains: the best content of further relevant sources, each quoted
 * as a block of its own, then a line from others and, beside a procedure, the
 * lead's own caveats.
 */
function completeAnswer(
  draft: Draft,
  mode: LeadMode,
  ordered: readonly Section[],
  maxChars: number,
  maxSources: number,
): ExtractiveAnswer {
  if (draft.limit === maxChars) {
    if (mode === "procedure") addLeadExtras(draft);
    addMatchingLine(draft, ordered);
    addFurtherQuotes(draft, ordered, maxChars, maxSources);
    const cited = draft.quotes.filter((quote) => quote.selected.size > 0).length;
    addSupportingPieces(draft, ordered, Math.min(maxSupportingPieces, maxSources - cited));
    fillProse(draft);
    dropMatchingLineQuotedSince(draft);
  }
  draft.quotes = inReadingOrder(draft);
  const quoted = draft.quotes.filter((quote) => quote.selected.size > 0);
  const citations = [
    ...quoted.map((quote) => quote.section.source.n),
    ...draft.pieces.map((piece) => piece.section.source.n),
    ...(draft.match ? [draft.match.section.source.n] : []),
  ];
  const unique = [...new Set(citations)].sort((left, right) => left - right);
  return { text: render(draft), citations: unique };
}

// Question

type KeyOf = (word: string) => string;

/** `termKey` memoised for one call: KB text repeats its words a lot. */
function createKeyOf(): KeyOf {
  const cache = new Map<string, string>();
  return (word) => {
    let key = cache.get(word);
    if (key === undefined) {
      key = termKey(word);
      cache.set(word, key);
    }
    return key;
  };
}

interface QuestionProfile {
  /** Distinct content words of the question, after stemming. */
  termCount: number;
  /**
   * Each term's share of one question word: `prod-eu-1` is one identifier, so
   * its three parts weigh a third each and cannot outvote `rollback`.
   */
  shares: number[];
  /**
   * Each form a term may take in KB text, to the terms it stands for: its key,
   * the word as asked (`failover` meets `fail over`), and its compounds with a
   * neighbour (`roll back` meets `rollback`, standing for both words).
   */
  forms: Map<string, number[]>;
  /** Every proper prefix of a form: a text's word pair is only joined when it may complete one. */
  prefixes: Set<string>;
  /** First two characters of each form, as `twoCharacterCode` gives them. */
  openings: Set<number>;
  /** By term: digits only (`3` of `Errno -3`, `92` of "92% full"), which any version or count matches. */
  numeric: boolean[];
  /** By term: in the sentence that asks (the last one ending in "?"), not in what the asker describes before it. */
  asking: boolean[];
  intents: QuestionIntents;
}

function profileQuestion(question: string, context: string, keyOf: KeyOf): QuestionProfile {
  const intents = detectIntents(question);
  const isContent = (word: string | undefined, previous: string | undefined): word is string =>
    word !== undefined && !isStopWordAfter(word, previous);
  const termOf = new Map<string, number>();
  const forms = new Map<string, number[]>();
  const addForm = (form: string, ...terms: number[]): void => {
    const known = forms.get(form) ?? [];
    forms.set(form, [...new Set([...known, ...terms])]);
  };
  const shares: number[] = [];
  const numeric: boolean[] = [];
  const readText = (text: string, factor: number): void => {
    const lower = text.toLowerCase();
    const words = wordsOf(lower);
    const wordShares = new Map<string, number>();
    for (const identifier of lower.split(/[^a-z0-9\u00c0-\u024f._/-]+/)) {
      const parts = wordsOf(identifier).filter((part, index, all) =>
        isContent(part, all[index - 1]),
      );
      for (const part of parts) {
        wordShares.set(part, Math.max(wordShares.get(part) ?? 0, 1 / parts.length));
      }
    }
    let previousTerm: number | undefined;
    words.forEach((word, index) => {
      if (!isContent(word, words[index - 1])) {
        previousTerm = undefined;
        return;
      }
      const key = keyOf(word);
      const term = termOf.get(key) ?? termOf.size;
      termOf.set(key, term);
      numeric[term] = /^[0-9]+$/.test(word);
      shares[term] = Math.max(shares[term] ?? 0, factor * (wordShares.get(word) ?? 1));
      addForm(key, term);
      addForm(word, term);
      const previous = words[index - 1];
      if (previousTerm !== undefined && isContent(previous, words[index - 2])) {
        addForm(keyOf(previous) + key, previousTerm, term);
        addForm(keyOf(previous + word), previousTerm, term);
      }
      previousTerm = term;
    });
  };
  readText(question, 1);
  const askingKeys = new Set(wordsOf(askingSentence(question).toLowerCase()).map(keyOf));
  const asking = [...termOf.entries()]
    .sort((left, right) => left[1] - right[1])
    .map(([key]) => askingKeys.has(key));
  // Pasted logs name nothing: only the words of the ticket count.
  if (context !== "") readText(stripLogNoise(context), contextShare);
  const prefixes = new Set<string>();
  const openings = new Set<number>();
  for (const form of forms.keys()) {
    for (let end = 1; end < form.length; end++) prefixes.add(form.slice(0, end));
    openings.add(twoCharacterCode(form));
  }
  return { termCount: termOf.size, shares, forms, prefixes, openings, numeric, asking, intents };
}

/**
 * The question's last sentence ending in "?" ("… mostly mailers. how do I get it to dump
 * backtraces?"), or the whole question: what comes before it describes, it asks.
 */
function askingSentence(question: string): string {
  const sentences = question.trim().split(/(?<=[.!?])\s+/);
  return sentences.findLast((sentence) => sentence.endsWith("?")) ?? question;
}

/** `termKey` keeps a word's first two characters, so words opening differently from every form can be skipped. */
function twoCharacterCode(word: string): number {
  return word.charCodeAt(0) * 0x10000 + (word.length > 1 ? word.charCodeAt(1) : 0);
}

/** Latin letters (accented included) and digits; a Unicode property class is several times slower. */
function wordsOf(lowercase: string): string[] {
  return lowercase.split(/[^a-z0-9\u00c0-\u024f]+/).filter((word) => word !== "");
}

/** Which question terms `text` contains (1) or not (0), by term. */
function hitsOf(text: string, profile: QuestionProfile, keyOf: KeyOf): Uint8Array {
  const hits = new Uint8Array(profile.termCount);
  const mark = (form: string): void => {
    for (const term of profile.forms.get(form) ?? []) hits[term] = 1;
  };
  // Keying every word of every section dominated the run time; most words cannot match.
  let previous: string | undefined;
  for (const word of wordsOf(text.toLowerCase())) {
    const joinTo = previous !== undefined && profile.prefixes.has(previous) ? previous : undefined;
    if (joinTo === undefined && !profile.openings.has(twoCharacterCode(word))) {
      previous = undefined;
      continue;
    }
    const key = keyOf(word);
    mark(key);
    if (joinTo !== undefined) mark(joinTo + key);
    previous = key;
  }
  return hits;
}

/**
 * Question terms that name a service or cluster of some source (`checkout`, `prod`,
 * `eu`): they say where, not what, and match half the knowledge base.
 */
function contextTerms(
  profile: QuestionProfile,
  sources: readonly Source[],
  keyOf: KeyOf,
): boolean[] {
  const serviceKeys = new Set<string>();
  for (const source of sources) {
    for (const service of source.services) {
      for (const word of wordsOf(service.toLowerCase())) serviceKeys.add(keyOf(word));
    }
  }
  const context = new Array<boolean>(profile.termCount).fill(false);
  for (const [form, terms] of profile.forms) {
    if (!serviceKeys.has(form)) continue;
    // A compound form stands for several terms; only a single term's own key marks it.
    const [only] = terms;
    if (terms.length === 1 && only !== undefined) context[only] = true;
  }
  return context;
}

interface TermWeights {
  /** By term; 0 for terms no section contains. */
  weights: number[];
  /** By term: weighted and about the subject rather than a service or cluster. */
  topical: boolean[];
  /** By term: about the subject, yet in none of the sections sent (a word only a sibling section may answer). */
  unanswered: boolean[];
}

/**
 * Rarer terms count more: 1 for a term every section has, up to 1 + ln(sections),
 * times its share of a question word, halved for service and cluster names.
 */
function weighTerms(
  profile: QuestionProfile,
  sections: readonly Section[],
  context: readonly boolean[],
): TermWeights {
  const weights: number[] = [];
  const topical: boolean[] = [];
  const unanswered: boolean[] = [];
  for (let term = 0; term < profile.termCount; term++) {
    const documentFrequency = sections.filter(
      (section) => section.hits[term] === 1 || section.headingHits[term] === 1,
    ).length;
    // Terms no section contains would lower every score alike and tell nothing apart.
    const share = (profile.shares[term] ?? 1) * (context[term] ? contextTermWeight : 1);
    weights.push(
      documentFrequency === 0 ? 0 : share * (1 + Math.log(sections.length / documentFrequency)),
    );
    topical.push(documentFrequency > 0 && !context[term]);
    unanswered.push(
      documentFrequency === 0 &&
        !context[term] &&
        profile.numeric[term] !== true &&
        profile.asking[term] === true,
    );
  }
  return { weights, topical, unanswered };
}

// Sections and their units

type UnitKind = "sentence" | "item" | "code" | "table" | "quote";
type BlockKind = "prose" | "procedure" | "code" | "table" | "quote";

interface Block {
  kind: BlockKind;
  /** A numbered list: steps, whatever the section's heading. */
  ordered: boolean;
}

interface Unit {
  kind: UnitKind;
  /** Verbatim markdown; prose sentences have their soft line breaks joined. */
  text: string;
  /** Index into the section's blocks; a procedure's list items and fences share one. */
  block: number;
  /** Index in the section's units, which are in reading order. */
  position: number;
  /** Which question terms this unit contains, by term. */
  hits: Uint8Array;
  /** For a list item: its first paragraph, marker removed, and the fences nested in it. */
  item?: { lead: string; code: string[] };
  /** Weighted share of question terms found in this unit, 0 to 1. */
  score: number;
}

interface Section {
  source: Source;
  /** Not among the sources sent: another section of a source's document. */
  unsent?: true;
  /** 1 for the highest retrieval score. */
  rank: number;
  units: Unit[];
  blocks: Block[];
  /** Which question terms the section's text contains, by term. */
  hits: Uint8Array;
  headingHits: Uint8Array;
  coverage: number;
  /** Weighted share of question terms in the section's own text, headings not counted. */
  textCoverage: number;
  /** Weighted share of question terms in the title and headings alone. */
  headingCoverage: number;
  bonus: number;
  relevance: number;
}

function readSection(
  source: Source,
  rank: number,
  profile: QuestionProfile,
  keyOf: KeyOf,
): Section {
  const { units, blocks } = splitUnits(source.text, (text) => hitsOf(text, profile, keyOf));
  const hits = new Uint8Array(profile.termCount);
  for (const unit of units) {
    for (let term = 0; term < hits.length; term++) hits[term] ||= unit.hits[term] ?? 0;
  }
  const headingHits = hitsOf([source.title, ...source.headingPath].join(" "), profile, keyOf);
  return {
    source,
    rank,
    units,
    blocks,
    hits,
    headingHits,
    coverage: 0,
    textCoverage: 0,
    headingCoverage: 0,
    bonus: 0,
    relevance: 0,
  };
}

const linkTarget = /\]\([^)\s]*(?:\s+"[^"]*")?\)/g;
const listMarker = /^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?/;
const sentenceBoundary = /(?<=[.!?])\s+(?=[A-Z0-9"'(`[*_])/;
const abbreviationEnd = /\b(?:e\.g|i\.e|vs|approx|cf|incl)\.$/i;

/**
 * Paragraphs become sentences and lists become items; fences and tables stay
 * whole. A fence right after a list item joins that list's procedure, and so
 * does a list that resumes after it (an unindented fence splits a numbered list).
 */
function splitUnits(
  markdown: string,
  hitsOfText: (text: string) => Uint8Array,
): { units: Unit[]; blocks: Block[] } {
  const units: Unit[] = [];
  const blocks: Block[] = [];
  const seen = new Set<string>();
  let openProcedure: { block: number; ordered: boolean } | undefined;

  const add = (kind: UnitKind, text: string, block: number, item?: Unit["item"]): void => {
    // Joined chunks repeat a sentence or item as overlap; quote it once.
    if (text === "" || seen.has(text)) return;
    seen.add(text);
    // A link's target names another document; only its text speaks for this one.
    const words = text.includes("](") ? text.replace(linkTarget, "]") : text;
    const hits = hitsOfText(item === undefined ? words : words.replace(listMarker, ""));
    const unit: Unit = { kind, text, block, position: units.length, hits, score: 0 };
    if (item !== undefined) unit.item = item;
    units.push(unit);
  };
  const newBlock = (kind: BlockKind, ordered = false): number => blocks.push({ kind, ordered }) - 1;

  for (const token of lexBlocks(markdown)) {
    if (token.type === "space") continue;
    if (token.type === "list") {
      const list = token as Tokens.List;
      const lastUnit = units.at(-1);
      const resumes =
        openProcedure !== undefined &&
        openProcedure.ordered === list.ordered &&
        lastUnit?.kind === "code" &&
        lastUnit.block === openProcedure.block;
      const block =
        resumes && openProcedure ? openProcedure.block : newBlock("procedure", list.ordered);
      openProcedure = { block, ordered: list.ordered };
      for (const item of list.items) add("item", item.raw.trim(), block, itemParts(item));
      continue;
    }
    if (token.type === "code") {
      add("code", token.raw.trim(), openProcedure?.block ?? newBlock("code"));
      continue;
    }
    openProcedure = undefined;
    if (token.type === "table") add("table", token.raw.trim(), newBlock("table"));
    else if (token.type === "blockquote") add("quote", token.raw.trim(), newBlock("quote"));
    else if (token.type === "paragraph" || token.type === "text") {
      const block = newBlock("prose");
      for (const sentence of splitSentences(token.raw)) add("sentence", sentence, block);
    }
    // Headings, html, rules and link definitions carry no answer text of their own.
  }
  return { units, blocks };
}

function itemParts(item: Tokens.ListItem): NonNullable<Unit["item"]> {
  const nested: Token[] = item.tokens;
  const code = nested.filter((token) => token.type === "code").map((token) => token.raw.trim());
  const firstText = nested.find((token) => token.type === "text" || token.type === "paragraph");
  const lead = collapseSpace(firstText?.raw ?? item.text.split("\n")[0] ?? "");
  return { lead, code };
}

function splitSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  for (const part of paragraph.trim().split(sentenceBoundary)) {
    const previous = sentences.at(-1);
    if (previous !== undefined && abbreviationEnd.test(previous)) {
      sentences[sentences.length - 1] = `${previous} ${part}`;
    } else sentences.push(part);
  }
  return sentences.map(collapseSpace);
}

function collapseSpace(text: string): string {
  return (text.includes("\n") ? text.replace(/\s*\n\s*/g, " ") : text).trim();
}

// Scoring

const procedureHeading =
  /remediat|resolution|resolv|\bfix|\bsteps?\b|roll\s*back|mitigat|recover|workaround|procedure|how to|restor/;
const diagnosisHeading = /diagnos|symptom|\bcheck|investigat|triage|verif|meaning|what it means/;
const causeHeading = /\bcauses?\b/;
const historyHeading = /root\s*cause|resolution|resolved/;

function scoreSections(
  sections: readonly Section[],
  weights: readonly number[],
  intents: QuestionIntents,
): void {
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const coverage = (credit: (term: number) => number): number => {
    if (totalWeight === 0) return 0;
    return weights.reduce((sum, weight, term) => sum + weight * credit(term), 0) / totalWeight;
  };

  for (const section of sections) {
    let bestUnit = 0;
    for (const unit of section.units) {
      unit.score = coverage((term) => unit.hits[term] ?? 0);
      bestUnit = Math.max(bestUnit, unit.score);
    }
    section.coverage = coverage((term) =>
      section.hits[term] === 1 ? 1 : section.headingHits[term] === 1 ? headingOnlyCredit : 0,
    );
    section.textCoverage = coverage((term) => section.hits[term] ?? 0);
    section.headingCoverage = coverage((term) => section.headingHits[term] ?? 0);
    section.bonus = intentBonus(section.source, intents);
    section.relevance = 0.6 * section.coverage + 0.4 * bestUnit + section.bonus;
  }
}

/** Added to relevance (0 to 1) when the section is the kind of text the question asks for. */
function intentBonus(source: Source, intents: QuestionIntents): number {
  const heading = source.headingPath.join(" / ").toLowerCase();
  const incident = source.kind === "incident";
  let bonus = 0;
  const role = sectionRole(source.headingPath, intents);
  // An incident's resolution tells what was done once; a runbook's steps are what to do now.
  if (intents.acting && role === "acting") bonus += incident ? 0.15 : 0.3;
  // Checks and symptoms restate the problem; asked what to do (or pasted an alert), the steps lead.
  if (intents.acting && !intents.diagnosis && role === "restating") bonus -= 0.3;
  // A runbook's checks find the cause; asked only to fix it, its steps lead even when the checks
  // quote the alert ("how do I fix ImagePullBackOff": the grep names it, the steps do not).
  if (
    intents.acting &&
    !intents.diagnosis &&
    !incident &&
    role === undefined &&
    diagnosisHeading.test(heading)
  )
    bonus -= diagnosingPenalty;
  if (intents.diagnosis && diagnosisHeading.test(heading))
    bonus += /symptom/.test(heading) ? restatedSymptomsBonus : 0.3;
  if (intents.cause && causeHeading.test(heading)) bonus += 0.4;
  if (intents.history && incident) bonus += historyHeading.test(heading) ? 0.5 : 0.1;
  return bonus;
}

function rankWeight(rank: number): number {
  return 1 / (1 + rankDecay * (rank - 1));
}

/**
 * A source's retrieval score as a share of the best one: rank alone cannot tell
 * a near tie from a source retrieval found twice as relevant. 1 without scores.
 */
function confidenceShare(score: number, topScore: number): number {
  return topScore > 0 && score > 0 ? score / topScore : 1;
}

/**
 * Sections best first by relevance weighted by rank; better-ranked first among
 * equals. Asked for a fix, a runbook's acting section ranked first leads
 * whatever its wording when retrieval ranked it clearly ahead of every other
 * document (as it does the document whose alert the question names): its
 * steps rarely repeat the alert's name, a writeup quoting it would win on words.
 */
function leadCandidates(sections: readonly Section[], intents: QuestionIntents): Section[] {
  const topScore = Math.max(...sections.map((section) => section.source.score));
  const leadScore = (section: Section): number =>
    (section.relevance + baseRelevance) *
    rankWeight(section.rank) *
    confidenceShare(section.source.score, topScore);
  const ordered = [...sections].sort(
    (left, right) => leadScore(right) - leadScore(left) || left.rank - right.rank,
  );
  const best = sections.find((section) => section.rank === 1);
  const runnerUp = Math.max(
    0,
    ...sections
      .filter((section) => section.source.path !== best?.source.path)
      .map((section) => section.source.score),
  );
  const isFix =
    best !== undefined &&
    intents.acting &&
    best.source.kind !== "incident" &&
    sectionRole(best.source.headingPath, intents) === "acting" &&
    best.source.score >= clearLead * runnerUp;
  if (isFix) return [best, ...ordered.filter((section) => section !== best)];
  // A writeup ranked first tells what was done once; a runbook's fix close behind it is what to
  // do now (a pasted alert both name).
  const fix =
    best?.source.kind === "incident" && intents.acting
      ? sections.find(
          (section) =>
            section.source.kind !== "incident" &&
            !section.unsent &&
            sectionRole(section.source.headingPath, intents) === "acting" &&
            section.source.score * clearLead >= best.source.score,
        )
      : undefined;
  return fix ? [fix, ...ordered.filter((section) => section !== fix)] : ordered;
}

/**
 * A runbook's acting subsections are stages or branches written in the order
 * to take them (contain before communicate, the preferred restore before the
 * last resort): when a later one would lead, the first of its siblings leads
 * instead, unless the later one's own text matches the question better (the
 * branch the asker named, such as OOMKilled). Numbered steps (`Step 3: …`)
 * retrieval sent are not branches: the earliest sent leads whatever its words.
 */
function firstBranchLeads(ordered: Section[], all: readonly Section[]): Section[] {
  const lead = ordered[0];
  if (lead === undefined || !isActingSubsection(lead)) return ordered;
  const [first] = all
    .filter(
      (section) =>
        areSiblings(section, lead) &&
        section.source.position < lead.source.position &&
        isActingSubsection(section) &&
        (section.textCoverage >= lead.textCoverage ||
          (!section.unsent && isNumberedStep(section) && isNumberedStep(lead))),
    )
    .sort((left, right) => left.source.position - right.source.position);
  return first === undefined ? ordered : [first, ...ordered.filter((section) => section !== first)];
}

/** A heading that numbers its stage (`Step 3: Delete the StatefulSet`, `2. Drain`): done in order. */
function isNumberedStep(section: Section): boolean {
  const heading = section.source.headingPath.at(-1) ?? "";
  return /^(?:(?:step|phase|stage)\s*\d+|\d+[.):])/i.test(heading.trim());
}

function isActingSubsection(section: Section): boolean {
  return (
    section.source.kind !== "incident" &&
    section.source.headingPath.length >= 2 &&
    sectionRole(section.source.headingPath) === "acting"
  );
}

/** Sections of one document under the same heading. */
function areSiblings(left: Section, right: Section): boolean {
  return left.source.path === right.source.path && parentKey(left) === parentKey(right);
}

function parentKey(section: Section): string {
  return section.source.headingPath.slice(0, -1).join("\u0000");
}

// Composition

interface Piece {
  section: Section;
  /** A sentence or a step, or the line that introduces `code`. */
  text: string;
  code: string | undefined;
}

/** One section quoted as a block of its own: the lead, or a further source with room left. */
interface Quote {
  section: Section;
  selected: Set<Unit>;
  /** Set when only part of the section's procedure fits, so no one takes it for the whole. */
  partialNote: string | undefined;
  /** Units quoted shorter than written, with the text quoted. */
  shortened: Map<Unit, string>;
}

interface Draft {
  /** The lead first, then further sources in the order they were added. */
  quotes: Quote[];
  intents: QuestionIntents;
  /** By term: about the subject, not a service or cluster name. */
  topical: boolean[];
  /** By term: a word of the asking sentence that no section sent holds. */
  unanswered: boolean[];
  pieces: Piece[];
  /** maxChars, or twice that once an oversized code block became the whole answer. */
  limit: number;
  writeups: ReadonlyMap<string, Writeup>;
  links: KbLinkTargets;
  /** By incident path: the lines of its frontmatter story quoted with its first section. */
  stories: Map<string, string[]>;
  /** What the asker wrote (question, ticket title and description), log noise dropped. */
  asked: string;
  /** The lead document's line that repeats the alert or error the asker pasted, when the quotes do not. */
  match: Piece | undefined;
}

function quoteOf(section: Section): Quote {
  return { section, selected: new Set(), partialNote: undefined, shortened: new Map() };
}

function leadOf(draft: Draft): Quote {
  return draft.quotes[0] as Quote;
}

/** Adds units to a quote when the answer still fits; otherwise leaves the draft as it was. */
function tryAddUnits(draft: Draft, quote: Quote, units: readonly Unit[]): boolean {
  const added = units.filter((unit) => !quote.selected.has(unit));
  for (const unit of added) quote.selected.add(unit);
  if (readLength(draft) <= draft.limit) return true;
  for (const unit of added) quote.selected.delete(unit);
  return false;
}

/** The sentence ending in ":" that introduces the unit at `position`, if any. */
function leadInBefore(section: Section, position: number): Unit | undefined {
  const previous = section.units[position - 1];
  return previous?.kind === "sentence" && previous.text.endsWith(":") ? previous : undefined;
}

type LeadMode = "whole" | "procedure" | "prose";

/**
 * The core of one quoted section: the whole section when it fits, else its
 * procedure (or the best run of it), else its most relevant sentences. Only
 * the lead may keep one oversized code block.
 */
function selectCore(draft: Draft, quote: Quote, maxChars: number): LeadMode {
  const section = quote.section;
  const isLead = quote === leadOf(draft);
  if (tryAddUnits(draft, quote, section.units)) return "whole";
  const procedure = chooseProcedure(section, draft.intents);
  if (procedure !== undefined) {
    const window = bestWindow(draft, quote, procedure, isLead ? maxChars : undefined);
    if (window.length > 0) {
      const partial = window.length < procedure.length && draft.limit === maxChars;
      if (partial) quote.partialNote = partialNoteFor(section);
      if (!tryAddUnits(draft, quote, window)) quote.partialNote = undefined;
      const first = window[0] as Unit;
      const leadIn = leadInBefore(section, first.position);
      const startsAtFirstStep = first.position === procedure[0]?.position;
      if (leadIn !== undefined && startsAtFirstStep && draft.limit === maxChars) {
        tryAddUnits(draft, quote, [leadIn]);
      }
      if (quote.selected.size > 0) return "procedure";
    }
  }
  selectProse(draft, quote);
  if (quote.selected.size === 0 && isLead) addOversizedCore(draft, quote, maxChars);
  return "prose";
}

/**
 * The section's procedure to follow: its most relevant list of steps when the
 * question asks what to do (and the list matches or the heading says
 * Remediation, Steps…), else the list of steps holding the section's best unit.
 * Steps are numbered lists, or any list under such a heading or question; other
 * bullets (symptoms, a timeline) are picked item by item like sentences.
 */
function chooseProcedure(section: Section, intents: QuestionIntents): Unit[] | undefined {
  const heading = section.source.headingPath.join(" / ").toLowerCase();
  const stepsHeading = procedureHeading.test(heading);
  const procedures = new Map<number, Unit[]>();
  for (const unit of section.units) {
    const block = section.blocks[unit.block];
    if (block?.kind !== "procedure") continue;
    if (!block.ordered && !stepsHeading && !intents.procedure) continue;
    const units = procedures.get(unit.block) ?? [];
    units.push(unit);
    procedures.set(unit.block, units);
  }
  if (procedures.size === 0) return undefined;
  let best: Unit[] | undefined;
  let bestSum = -1;
  for (const units of procedures.values()) {
    const sum = units.reduce((total, unit) => total + unit.score, 0);
    if (sum > bestSum) {
      best = units;
      bestSum = sum;
    }
  }
  if (intents.procedure && (bestSum > 0 || stepsHeading)) return best;
  const topUnit = topScoring(section.units);
  return topUnit.score > 0 ? procedures.get(topUnit.block) : undefined;
}

/** The highest-scoring unit, the earliest among equals; `units` is never empty. */
function topScoring(units: readonly Unit[]): Unit {
  return units.reduce((top, unit) => (unit.score > top.score ? unit : top));
}

/**
 * The whole procedure if it fits, else the contiguous run of steps with the
 * highest total score (earliest on ties). A run starts at a step, never at a
 * fence, and does not end on a step whose fence was cut off.
 */
function bestWindow(
  draft: Draft,
  quote: Quote,
  procedure: readonly Unit[],
  oversizedAllowance: number | undefined,
): Unit[] {
  const size = (from: number, to: number): number =>
    procedure.slice(from, to + 1).reduce((total, unit) => total + readingLength(unit.text) + 1, -1);
  // A quote not yet rendered still needs its label line.
  const label = quote.selected.size === 0 ? quoteLabel(quote.section).length + 2 : 0;
  const wholeRoom = draft.limit - readLength(draft) - 2 - label;
  if (size(0, procedure.length - 1) <= wholeRoom) return [...procedure];
  const room = wholeRoom - partialNoteFor(quote.section).length - 2;
  let best: Unit[] = [];
  let bestScore = -1;
  for (let start = 0; start < procedure.length; start++) {
    if (procedure[start]?.kind !== "item") continue;
    let end = start;
    while (end + 1 < procedure.length && size(start, end + 1) <= room) end++;
    if (size(start, end) > room) continue;
    if (end > start && procedure[end]?.kind === "item" && procedure[end + 1]?.kind === "code")
      end--;
    const window = procedure.slice(start, end + 1);
    const score = window.reduce((total, unit) => total + unit.score, 0);
    if (score > bestScore) {
      best = window;
      bestScore = score;
    }
  }
  if (best.length > 0 || oversizedAllowance === undefined) return best;
  // Not even one step fits: keep its command whole if that is the core of the answer.
  const top = topScoring(procedure);
  const next = procedure[procedure.indexOf(top) + 1];
  const core = top.kind === "item" && next?.kind === "code" ? [top, next] : [top];
  if (!core.some((unit) => unit.kind === "code" || (unit.item?.code.length ?? 0) > 0)) return [];
  return withOversizedLimit(draft, quote, core, oversizedAllowance) ? core : [];
}

function partialNoteFor(section: Section): string {
  return `_The full procedure is in [${section.source.n}]._`;
}

/** Tries `units` as the whole lead under the 2×maxChars allowance for one code block. */
function withOversizedLimit(
  draft: Draft,
  quote: Quote,
  units: readonly Unit[],
  maxChars: number,
): boolean {
  draft.limit = 2 * maxChars;
  for (const unit of units) quote.selected.add(unit);
  const fits = readLength(draft) <= draft.limit;
  for (const unit of units) quote.selected.delete(unit);
  if (!fits) draft.limit = maxChars;
  return fits;
}

/**
 * The lead's most relevant sentences, fences and tables, read in their order;
 * asked why, the sentences that state a cause first, each with its neighbours
 * in its paragraph. A fence travels with the sentence that introduces it. When nothing matches
 * the question (the section won on its heading), the section's opening is used.
 */
function selectProse(draft: Draft, quote: Quote): void {
  const section = quote.section;
  const priority = (unit: Unit): number =>
    unit.score + openingBonus(unit) + causeBonus(unit, draft.intents);
  const matches = (unit: Unit): boolean => unit.score > 0 || causeBonus(unit, draft.intents) > 0;
  const anyMatch = section.units.some(matches);
  const candidates = anyMatch
    ? [...section.units]
        .filter(matches)
        .sort((left, right) => priority(right) - priority(left) || left.position - right.position)
    : section.units;
  let taken = 0;
  for (const unit of candidates) {
    if (taken >= maxLeadProseUnits) break;
    if (quote.selected.has(unit)) continue;
    const group = withCompanion(section, unit);
    if (group === undefined) continue;
    if (tryAddUnits(draft, quote, group)) {
      closeGaps(draft, quote, unit);
      if (causeBonus(unit, draft.intents) > 0) continueParagraph(draft, quote, unit);
      taken++;
    } else if (unit.kind === "code" && tryAddUnits(draft, quote, [unit])) taken++;
  }
}

/** Sentences after a stated cause quoted with it (and the one before): they say what it was. */
const continuingSentences = 2;

/**
 * A stated cause's paragraph goes on around it, whatever its words: "The incident was caused
 * by a latent bug in the pipeline." is followed by which bug and what it did.
 */
function continueParagraph(draft: Draft, quote: Quote, unit: Unit): void {
  const following = quote.section.units
    .slice(unit.position + 1, unit.position + 1 + continuingSentences)
    .filter((next) => next.kind === "sentence" && next.block === unit.block);
  for (const next of following) {
    if (quote.selected.has(next)) continue;
    if (!tryAddUnits(draft, quote, [next])) break;
  }
  // The sentence before it often says what the cause refers to ("… a page size of 100.
  // Because the push made more than 100 images, the old ones fell off that page.").
  const previous = quote.section.units[unit.position - 1];
  if (
    previous?.kind === "sentence" &&
    previous.block === unit.block &&
    !quote.selected.has(previous)
  )
    tryAddUnits(draft, quote, [previous]);
}

/**
 * A sentence missing between two quoted ones of a paragraph is quoted too: "stemmed from a
 * bug in Puppet manifests. [Only the authoritative server was restarted.] This resulted in…"
 */
function closeGaps(draft: Draft, quote: Quote, unit: Unit): void {
  const units = quote.section.units;
  for (const [gap, beyond] of [
    [unit.position - 1, unit.position - 2],
    [unit.position + 1, unit.position + 2],
  ] as const) {
    const missing = units[gap];
    const other = units[beyond];
    if (missing?.kind !== "sentence" || missing.block !== unit.block) continue;
    if (other?.block !== unit.block || !quote.selected.has(other) || quote.selected.has(missing))
      continue;
    tryAddUnits(draft, quote, [missing]);
  }
}

/**
 * Asked why, a sentence that states a cause comes before sentences that only share words
 * with the question: in a writeup the question's words name the outage, and every
 * paragraph of its timeline repeats them. The bonus outweighs any share of the words (at most 1).
 */
const causeSentence =
  /\b(?:caus(?:e|es|ed|ing)|due\s+to|because|triggered|(?:was|were)\s+the\s+result|traced\s+(?:back\s+)?to|stemmed|the\s+reason|(?:root|core|underlying|primary|main|real|actual|direct|proximate)\s+(?:defect|problem|issue|bug|flaw|fault|error|trigger))\b/i;
const causeSentenceBonus = 1;

function causeBonus(unit: Unit, intents: QuestionIntents): number {
  return intents.cause && unit.kind === "sentence" && causeSentence.test(unit.text)
    ? causeSentenceBonus
    : 0;
}

/** A section's first sentence usually frames it: a small edge among equals. */
function openingBonus(unit: Unit): number {
  return unit.position === 0 ? 0.05 : 0;
}

/** A fence with its introducing sentence, or a "Run:" sentence with its fence; `undefined` for a lone "Run:". */
function withCompanion(section: Section, unit: Unit): Unit[] | undefined {
  if (unit.kind === "code") {
    const leadIn = leadInBefore(section, unit.position);
    return leadIn === undefined ? [unit] : [leadIn, unit];
  }
  if (unit.kind === "sentence" && unit.text.endsWith(":")) {
    const next = section.units[unit.position + 1];
    return next?.kind === "code" ? [unit, next] : undefined;
  }
  return [unit];
}

/** Nothing fit: a single code block may still be the answer, else the best sentence is shortened. */
function addOversizedCore(draft: Draft, quote: Quote, maxChars: number): void {
  const units = quote.section.units;
  const top = topScoring(units);
  if (top.kind === "code" && withOversizedLimit(draft, quote, [top], maxChars)) {
    quote.selected.add(top);
    return;
  }
  const sentences = units.filter((unit) => unit.kind === "sentence");
  if (sentences.length === 0) return;
  const sentence = topScoring(sentences);
  const room = draft.limit - render(draft).length - 2;
  const cut = sentence.text.lastIndexOf(" ", room - 2);
  if (cut <= 0) return;
  // The unit itself stays whole: a retry of this section may still fit it.
  quote.shortened.set(sentence, `${sentence.text.slice(0, cut)} …`);
  quote.selected.add(sentence);
}

/** A unit of a section other than the lead and how strongly it supports the answer. */
interface Support {
  unit: Unit;
  score: number;
}

/**
 * The unit of `section` that best supports the answer: it matches enough of
 * the question by itself, on its subject (not only a service or cluster name),
 * or opens a section of the kind asked for whose title is about the same
 * thing. `undefined` when nothing clears the bar.
 */
function bestSupport(
  draft: Draft,
  section: Section,
  accept: (unit: Unit) => boolean = () => true,
): Support | undefined {
  const anyTopical = draft.topical.includes(true);
  let best: Support | undefined;
  for (const unit of section.units) {
    // A section of the kind asked for ("Root cause" to "why") may open without the
    // question's words when its title says it is about the same thing.
    const opensWantedSection =
      unit.position === 0 &&
      section.bonus >= wantedSectionBonus &&
      section.headingCoverage >= minWantedSectionTitleCoverage;
    const unitScore = opensWantedSection
      ? Math.max(unit.score, section.headingCoverage)
      : unit.score;
    if (unitScore < minSupportUnitScore) continue;
    // A line sharing only service or cluster names with the question is about something else.
    const onTopic =
      opensWantedSection ||
      !anyTopical ||
      unit.hits.some((hit, term) => hit === 1 && draft.topical[term] === true);
    if (!onTopic || !accept(unit)) continue;
    // The intent bonus amplifies relevance rather than adding to it: a Remediation
    // heading must not carry a line that shares only a cluster name with the question.
    const relevance = 0.7 * unitScore + 0.3 * section.coverage;
    const score = relevance * (1 + section.bonus) * rankWeight(section.rank);
    if (score >= minSupportScore && (best === undefined || score > best.score)) {
      best = { unit, score };
    }
  }
  return best;
}

/** The documents the answer quotes so far: sections of one document count once against `maxSources`. */
function citedDocuments(draft: Draft): Set<string> {
  return new Set(
    draft.quotes
      .filter((quote) => quote.selected.size > 0)
      .map((quote) => quote.section.source.path),
  );
}

function isQuoted(draft: Draft, section: Section): boolean {
  return draft.quotes.some((quote) => quote.section === section && quote.selected.size > 0);
}

/**
 * Further sources quoted as blocks of their own, most supportive first, while
 * room and the source limit allow: a short lead leaves room for the next
 * source's steps or sentences, which often hold what the lead does not.
 */
function addFurtherQuotes(
  draft: Draft,
  ordered: readonly Section[],
  maxChars: number,
  maxSources: number,
): void {
  const candidates = ordered
    .filter((section) => !isQuoted(draft, section))
    .map((section) => ({ section, support: bestSupport(draft, section) }))
    .filter((candidate) => candidate.support !== undefined)
    .sort(
      (left, right) =>
        (right.support?.score ?? 0) - (left.support?.score ?? 0) ||
        left.section.rank - right.section.rank,
    )
    .map((candidate) => candidate.section);
  const leadPath = leadOf(draft).section.source.path;
  // First the lead document's sections not sent that hold a question word no section sent holds
  // ("backtraces" beside a queue's Resolution): retrieval answered the rest of the question, not that part.
  const answering = ordered
    .filter(
      (section) =>
        section.unsent === true &&
        section.source.path === leadPath &&
        sectionRole(section.source.headingPath) !== "restating" &&
        unansweredHeld(draft, section) > 0,
    )
    .sort(
      (left, right) =>
        unansweredHeld(draft, right) - unansweredHeld(draft, left) ||
        byPlaceInDocument(left, right),
    );
  // Then the lead document's sections of the kind asked for (its Diagnosis to "where do I start"),
  // sent ones first, then in reading order: the document answers the question, and they rarely repeat its words.
  const wanted = ordered
    .filter((section) => section.source.path === leadPath && section.bonus >= wantedSectionBonus)
    .sort(byPlaceInDocument);
  firstSiblingFirst(wanted, ordered);
  // Asked to act or diagnose, then its other sections that act or diagnose, ahead of other documents:
  // the fix, and how to tell which branch applies.
  const working = ordered
    .filter(
      (section) =>
        !draft.intents.history &&
        section.source.kind !== "incident" &&
        section.source.path === leadPath &&
        (sectionRole(section.source.headingPath) === "acting" ||
          diagnosisHeading.test(section.source.headingPath.join(" / ").toLowerCase())) &&
        sectionRole(section.source.headingPath) !== "restating",
    )
    .sort(byPlaceInDocument);
  firstSiblingFirst(working, ordered);
  // Then the lead document's other sections, with room left: retrieval chose them for this question.
  const companions = ordered.filter(
    (section) =>
      section.source.path === leadPath &&
      !candidates.includes(section) &&
      section.coverage >= minCompanionCoverage,
  );
  // Asked to act, a section restating the problem (Symptoms, When to use) tells the asker what they already see.
  const restates = (section: Section): boolean =>
    draft.intents.acting &&
    !draft.intents.diagnosis &&
    sectionRole(section.source.headingPath) === "restating";
  for (const section of [
    ...new Set(
      draft.intents.acting || draft.intents.diagnosis
        ? [...answering, ...wanted, ...working, ...candidates, ...companions]
        : [...answering, ...wanted, ...candidates, ...working, ...companions],
    ),
  ]) {
    if (isQuoted(draft, section) || restates(section)) continue;
    const cited = citedDocuments(draft);
    if (cited.size >= maxSources && !cited.has(section.source.path)) continue;
    if (draft.limit - readLength(draft) < minFurtherQuoteRoom) break;
    const quote = quoteOf(section);
    draft.quotes.push(quote);
    const toldStory = addStory(draft, section);
    selectCore(draft, quote, maxChars);
    if (quote.selected.size === 0 || repeatsQuoted(draft, quote)) {
      draft.quotes.pop();
      if (toldStory) draft.stories.delete(section.source.path);
    }
  }
}

/** How many words of the asking sentence that no section sent holds `section` holds. */
function unansweredHeld(draft: Draft, section: Section): number {
  let held = 0;
  draft.unanswered.forEach((unanswered, term) => {
    if (unanswered && section.hits[term] === 1) held += 1;
  });
  return held;
}

/**
 * The sections retrieval sent first (it chose them for this question), then the
 * document's others in the order it is written: checks and stages build on the
 * ones before them.
 */
function byPlaceInDocument(left: Section, right: Section): number {
  const unsent = (section: Section): number => (section.unsent ? 1 : 0);
  return unsent(left) - unsent(right) || left.source.position - right.source.position;
}

/**
 * A runbook's subsections under one heading are checks or stages written in the
 * order to take them: the first of them, when not sent, moves ahead of a later
 * sent sibling whose own text matches the question no better (the first check
 * before the branches it decides between). In place; `sections` is in
 * `byPlaceInDocument` order, `all` every section known of the documents.
 */
function firstSiblingFirst(sections: Section[], all: readonly Section[]): void {
  for (const first of [...sections]) {
    if (!first.unsent || !isSubsection(first)) continue;
    const siblings = all.filter(
      (section) => section !== first && isSubsection(section) && areSiblings(section, first),
    );
    if (siblings.some((sibling) => sibling.source.position < first.source.position)) continue;
    const later = sections.find(
      (section) =>
        !section.unsent && siblings.includes(section) && section.textCoverage <= first.textCoverage,
    );
    if (later === undefined) continue;
    sections.splice(sections.indexOf(first), 1);
    sections.splice(sections.indexOf(later), 0, first);
  }
}

function isSubsection(section: Section): boolean {
  return section.source.kind !== "incident" && section.source.headingPath.length >= 2;
}

/** A further quote whose every unit is already in the answer adds nothing. */
function repeatsQuoted(draft: Draft, quote: Quote): boolean {
  const others = normalise(
    draft.quotes
      .filter((other) => other !== quote)
      .map((other) => quoteBlocks(other).join("\n"))
      .join("\n"),
  );
  return [...quote.selected].every((unit) => others.includes(normalise(unit.text)));
}

/** Consecutive words of the asker's text a line must repeat to count as the error they pasted. */
const minMatchingRun = 3;
/** Of which words that are not stop words: a shared "how do I" or "is in the" is no error. */
const minMatchingContentWords = 2;
/** Shortest identifier (`PostgresDiskFullSoon`, `pg_wal`, `ERR_CONN`) that ties a line to the asker's alert. */
const minIdentifierLength = 6;

/**
 * The asker pasted an alert name or an error and the answer quotes the fix,
 * which rarely repeats it: one line of the lead document that does (often
 * under Symptoms) tells them the fix is for what they see. The line repeats
 * an identifier of theirs, or a run of their words, verbatim.
 */
function addMatchingLine(draft: Draft, sections: readonly Section[]): void {
  if (!draft.intents.acting) return;
  const lead = leadOf(draft).section;
  const answer = render(draft).toLowerCase();
  // A service or host name says where, not what went wrong.
  const services = lead.source.services.map((service) => service.toLowerCase());
  const identifiers = identifiersIn(draft.asked, minIdentifierLength).filter(
    (name) => !answer.includes(name) && !services.some((service) => name.includes(service)),
  );
  const askedWords = wordsOf(draft.asked.toLowerCase());
  let best: { piece: Piece; strength: number } | undefined;
  for (const section of sections) {
    if (section.source.path !== lead.source.path) continue;
    for (const unit of section.units) {
      const piece = pieceOf(section, unit);
      if (piece === undefined || piece.code !== undefined) continue;
      const text = piece.text.toLowerCase();
      const named = identifiers.filter((name) => text.includes(name)).length;
      const run = sharedRun(askedWords, wordsOf(text));
      const strength = named > 0 ? 100 * named + run.length : isPastedRun(run) ? run.length : 0;
      if (strength === 0 || answer.includes(normalise(piece.text))) continue;
      if (named === 0 && answer.includes(run.join(" "))) continue;
      if (best === undefined || strength > best.strength) best = { piece, strength };
    }
  }
  if (best === undefined) return;
  draft.match = best.piece;
  if (readLength(draft) > draft.limit) draft.match = undefined;
}

/** The matching line is chosen before the further quotes: one of them may quote it since. */
function dropMatchingLineQuotedSince(draft: Draft): void {
  const match = draft.match;
  if (match === undefined) return;
  draft.match = undefined;
  const quotedSince = normalise(render(draft)).includes(normalise(match.text));
  if (!quotedSince) draft.match = match;
}

/** A run of the asker's words long enough to be what they pasted, not how they asked ("how do I"). */
function isPastedRun(run: readonly string[]): boolean {
  const content = run.filter((word, index) => !isStopWordAfter(word, run[index - 1]));
  return run.length >= minMatchingRun && content.length >= minMatchingContentWords;
}

/** The longest run of words `left` and `right` share in the same order. */
function sharedRun(left: readonly string[], right: readonly string[]): string[] {
  let best: string[] = [];
  for (let start = 0; start < left.length; start++) {
    for (let other = 0; other < right.length; other++) {
      let length = 0;
      while (
        start + length < left.length &&
        other + length < right.length &&
        left[start + length] === right[other + length]
      )
        length++;
      if (length > best.length) best = left.slice(start, start + length);
    }
  }
  return best;
}

/** One sentence, step or command from each of the best other sources, most relevant first. */
function addSupportingPieces(draft: Draft, sections: readonly Section[], count: number): void {
  if (count <= 0) return;
  const candidates: { piece: Piece; score: number }[] = [];
  for (const section of sections) {
    if (isQuoted(draft, section)) continue;
    const support = bestSupport(draft, section, (unit) => pieceOf(section, unit) !== undefined);
    const piece = support && pieceOf(section, support.unit);
    if (support && piece) candidates.push({ piece, score: support.score });
  }
  candidates.sort(
    (left, right) => right.score - left.score || left.piece.section.rank - right.piece.section.rank,
  );
  for (const { piece } of candidates) {
    if (draft.pieces.length >= count) break;
    if (repeatsAnswer(draft, piece)) continue;
    draft.pieces.push(piece);
    if (readLength(draft) > draft.limit) draft.pieces.pop();
  }
}

function pieceOf(section: Section, unit: Unit): Piece | undefined {
  switch (unit.kind) {
    case "sentence":
      return unit.text.endsWith(":") ? undefined : { section, text: unit.text, code: undefined };
    case "item":
      return {
        section,
        text: unit.item?.lead ?? unit.text,
        code: unit.item?.code.length ? unit.item.code.join("\n\n") : undefined,
      };
    case "code": {
      const leadIn = leadInBefore(section, unit.position);
      return { section, text: leadIn?.text ?? "", code: unit.text };
    }
    default:
      // Tables and quotes are too large for a one-line aside.
      return undefined;
  }
}

function repeatsAnswer(draft: Draft, piece: Piece): boolean {
  const answer = normalise(render(draft));
  const quoted = normalise(piece.code ?? piece.text);
  return quoted === "" || answer.includes(quoted);
}

function normalise(text: string): string {
  return text.replace(/\s+/g, " ").trim().toLowerCase();
}

/**
 * Room still left once every source had its say: the lead's quote continues
 * with the rest of its sentences in reading order, as they fit. A writeup told
 * in one long section often holds the detail asked for in a sentence that
 * shares no word with the question.
 */
function fillProse(draft: Draft): void {
  const lead = leadOf(draft);
  for (const unit of lead.section.units) {
    if (lead.selected.has(unit) || unit.kind !== "sentence") continue;
    tryAddUnits(draft, lead, [unit]);
  }
}

/**
 * Sentences and fences of the lead section beside its procedure (a caveat, a
 * check, the log lines that say this procedure applies), best first; a fence
 * comes with the sentence introducing it.
 */
function addLeadExtras(draft: Draft): void {
  const lead = leadOf(draft);
  const extras = lead.section.units
    .filter((unit) => isExtraKind(unit) && unit.score > 0 && !lead.selected.has(unit))
    .filter((unit) => !unit.text.endsWith(":"))
    .sort((left, right) => right.score - left.score || left.position - right.position);
  let added = 0;
  for (const unit of extras) {
    if (added >= maxLeadExtras) break;
    const group = withCompanion(lead.section, unit) ?? [unit];
    if (tryAddUnits(draft, lead, group)) added++;
  }
}

function isExtraKind(unit: Unit): boolean {
  return unit.kind === "sentence" || unit.kind === "code";
}

// Incident writeups

/**
 * The lead's core with its writeup's story before it. The section itself
 * matters more than the story: when the story leaves no room for the whole
 * section but the section alone fits, the section is quoted whole and the
 * story keeps the lines that still fit.
 */
function selectLeadWithStory(draft: Draft, maxChars: number): LeadMode {
  const lead = leadOf(draft);
  const path = lead.section.source.path;
  if (!addStory(draft, lead.section)) return selectCore(draft, lead, maxChars);
  const mode = selectCore(draft, lead, maxChars);
  if (mode === "whole") return mode;
  const withStory = { selected: new Set(lead.selected), story: draft.stories.get(path) ?? [] };
  const partialNote = lead.partialNote;
  const shortened = new Map(lead.shortened);
  lead.selected.clear();
  lead.shortened.clear();
  lead.partialNote = undefined;
  draft.stories.delete(path);
  draft.limit = maxChars;
  const alone = selectCore(draft, lead, maxChars);
  if (alone === "whole" || withStory.selected.size === 0) {
    if (alone === "whole") addStory(draft, lead.section);
    return alone;
  }
  lead.selected = withStory.selected;
  lead.shortened = shortened;
  lead.partialNote = partialNote;
  draft.stories.set(path, withStory.story);
  draft.limit = maxChars;
  return mode;
}

/**
 * Tells an incident's story from its frontmatter (what happened, the root
 * cause, what fixed it) with the first section quoted of it, as much as fits.
 * True when this call added it.
 */
function addStory(draft: Draft, section: Section): boolean {
  const path = section.source.path;
  const writeup = draft.writeups.get(path);
  if (section.source.kind !== "incident" || writeup === undefined || draft.stories.has(path)) {
    return false;
  }
  const answer = normalise(render(draft));
  const lines = storyLines(writeup).filter((line) => !answer.includes(normalise(line.text)));
  const story = lines.map((line) => `**${line.label}:** ${line.text}`);
  draft.stories.set(path, story);
  while (story.length > 0 && readLength(draft) > draft.limit) story.pop();
  return true;
}

function storyLines(writeup: Writeup): { label: string; text: string }[] {
  const lines: { label: string; text: string }[] = [];
  const happened = writeup.summary ?? writeup.impact;
  if (happened !== undefined) lines.push({ label: "What happened", text: happened });
  if (writeup.rootCause !== undefined) lines.push({ label: "Root cause", text: writeup.rootCause });
  if (writeup.resolution !== undefined) {
    lines.push({ label: "What fixed it", text: writeup.resolution });
  }
  return lines;
}

/**
 * Quotes grouped by document, in the order each document first appears (the
 * lead's first), each document's in the order it is written: an incident's
 * story reads from what happened to what fixed it. A runbook's first quote
 * stays first (the fix first); the rest follow in the runbook's order.
 */
function inReadingOrder(draft: Draft): Quote[] {
  const byPath = new Map<string, Quote[]>();
  for (const quote of draft.quotes) {
    const path = quote.section.source.path;
    byPath.set(path, [...(byPath.get(path) ?? []), quote]);
  }
  const byPlace = (left: Quote, right: Quote): number =>
    left.section.source.position - right.section.source.position;
  const ordered: Quote[] = [];
  for (const quotes of byPath.values()) {
    const [first, ...rest] = quotes;
    if (first === undefined) continue;
    if (first.section.source.kind === "incident") ordered.push(...[...quotes].sort(byPlace));
    else ordered.push(first, ...rest.sort(byPlace));
  }
  return ordered;
}

// Rendering

/**
 * What the answer's room is spent on: the text a reader reads. A link counts by its words,
 * not its address: one dashboard link with a 1,000-character query string would otherwise
 * push the steps after it out of the answer.
 */
function readLength(draft: Draft): number {
  return readingLength(render(draft));
}

/** `text`'s length without the addresses of its markdown links. */
function readingLength(text: string): number {
  let length = text.length;
  for (const [, address] of text.matchAll(markdownLinkAddress)) length -= address?.length ?? 0;
  return length;
}
/** The `(address)` after a link's `]`, one level of parentheses inside allowed. */
const markdownLinkAddress = /\]\(((?:[^()\s]|\([^()\s]*\))+)\)/g;

function render(draft: Draft): string {
  const blocks: string[] = [];
  const told = new Set<string>();
  for (const quote of draft.quotes) {
    if (quote.selected.size === 0 && quote !== leadOf(draft)) continue;
    blocks.push(quoteLabel(quote.section));
    const path = quote.section.source.path;
    const story = told.has(path) ? undefined : draft.stories.get(path);
    told.add(path);
    if (story !== undefined && story.length > 0) blocks.push(story.join("\n"));
    blocks.push(...quoteBlocks(quote).map((block) => rewriteKbLinks(block, path, draft.links)));
    if (quote.partialNote !== undefined) blocks.push(quote.partialNote);
  }
  if (draft.match !== undefined) {
    const piece = draft.match;
    blocks.push(
      `What you reported, as *${linkedName(piece.section)}* [${piece.section.source.n}] describes it: ${linked(draft, piece)}`,
    );
  }
  const bullets = draft.pieces.filter((piece) => piece.code === undefined).sort(byRank);
  const commands = draft.pieces.filter((piece) => piece.code !== undefined).sort(byRank);
  if (draft.pieces.length > 0) blocks.push("Also relevant:");
  if (bullets.length > 0) {
    blocks.push(
      bullets
        .map(
          (piece) =>
            `- From *${linkedName(piece.section)}*: ${linked(draft, piece)} [${piece.section.source.n}]`,
        )
        .join("\n"),
    );
  }
  for (const piece of commands) {
    const introduction = piece.text === "" ? "" : ` ${linked(draft, piece)}`;
    blocks.push(`From *${linkedName(piece.section)}* [${piece.section.source.n}]:${introduction}`);
    blocks.push(piece.code ?? "");
  }
  return blocks.join("\n\n");
}

function linked(draft: Draft, piece: Piece): string {
  return rewriteKbLinks(piece.text, piece.section.source.path, draft.links);
}

function byRank(left: Piece, right: Piece): number {
  return left.section.rank - right.section.rank;
}

/**
 * Selected units in reading order: sentences of one paragraph share a line,
 * items of one list stay a list. Where items of a numbered list were skipped, a
 * "…" line ends the list, or markdown would renumber `4.` after `1.` as `2.`.
 */
function quoteBlocks(quote: Quote): string[] {
  const chosen = quote.section.units.filter((unit) => quote.selected.has(unit));
  const blocks: string[] = [];
  let previous: Unit | undefined;
  for (const unit of chosen) {
    const block = quote.section.blocks[unit.block];
    const text = quote.shortened.get(unit) ?? unit.text;
    if (previous === undefined || previous.block !== unit.block) blocks.push(text);
    else if (block?.kind === "prose") blocks[blocks.length - 1] += ` ${text}`;
    else if (block?.ordered && unit.position > previous.position + 1) blocks.push("…", text);
    else blocks[blocks.length - 1] += `\n${text}`;
    previous = unit;
  }
  return blocks;
}

function quoteLabel(section: Section): string {
  return `From **${linkedName(section)}**${incidentDate(section.source)} [${section.source.n}]:`;
}

/** The section's name; for a section not sent, a link to it, since [n] opens its sibling. */
function linkedName(section: Section): string {
  const name = sectionName(section);
  return section.unsent ? `[${name}](/v1/sections/${section.source.id})` : name;
}

function sectionName(section: Section): string {
  const { title, headingPath } = section.source;
  return [title, ...headingPath].join(" › ").replaceAll("*", "\\*");
}

/** " (incident, 2026-03-14)" for incident writeups, whose file names start with their date. */
function incidentDate(source: Source): string {
  if (source.kind !== "incident") return "";
  const date = /(?:^|\/)(\d{4}-\d{2}-\d{2})[^/]*$/.exec(source.path)?.[1];
  return date === undefined ? " (incident)" : ` (incident, ${date})`;
}
