import { readServiceCatalogueFile } from "../catalogue/read-service-catalogue.js";
import type { Embedder } from "../embed/embedder.js";
import { type IngestSummary, runIngest } from "../ingest/run-ingest.js";
import { buildSearchText } from "../retrieval/build-search-text.js";
import type { QueryExpander } from "../retrieval/query-expander.js";
import type { Reranker } from "../retrieval/reranker.js";
import type { RetrievalTuning } from "../retrieval/retrieval-tuning.js";
import { searchKb } from "../retrieval/search-kb.js";
import type { SearchQuery } from "../retrieval/search-query.js";
import type { Source } from "../retrieval/source.js";
import type { KbIndex } from "../store/kb-index.js";
import { createKbReader, type KbReader } from "../store/kb-reader.js";
import { answerHasFact } from "./answer-has-fact.js";
import { type AnswerMissCause, answerMissCause, answerMissCauses } from "./answer-miss-cause.js";
import { buildBm25Baseline } from "./bm25-baseline.js";
import { collectAnswer } from "./collect-answer.js";
import type { EvalQuestion } from "./eval-question.js";
import type { OffTopicQuestion } from "./off-topic-question.js";
import {
  metricsByCategory,
  type QuestionOutcome,
  type RankedResult,
  type RetrievalMetrics,
  scoreQuestion,
  summariseOutcomes,
} from "./retrieval-metrics.js";
import { type CoverageReport, runCoverageEval } from "./run-coverage-eval.js";

export interface EvalOptions {
  kbDir: string;
  questions: readonly EvalQuestion[];
  index: KbIndex;
  embedder: Embedder;
  tuning?: Partial<RetrievalTuning>;
  reranker?: Reranker | undefined;
  queryExpander?: QueryExpander | undefined;
  /** Given: the coverage set also runs (the KB's aliases, and these questions it does not answer). */
  offTopic?: readonly OffTopicQuestion[] | undefined;
  /** Sources an answer is built from: the server's default, 5. */
  answerTopK?: number;
}

export type MetricsWithCategories = RetrievalMetrics & {
  by_category: Record<string, RetrievalMetrics>;
};

export interface AnswerMetrics {
  /** Share of questions with facts whose streamed answer quotes at least one of them. */
  answer_facts: number;
  /**
   * Share of the questions (all answered by the KB: each has a gold document) whose answer the
   * coverage call lets through rather than saying the KB does not cover it.
   */
  called_covered: number;
}

export interface EvalMiss {
  id: string;
  question: string;
  gold: string[];
  /** Rank of the first gold result within the top 10, or null. */
  rank: number | null;
  /** What came first instead: path and heading path. */
  first: string | null;
}

export interface AnswerMiss {
  id: string;
  question: string;
  facts: string[];
  /** The answer's sources holding an expected fact: `[n] path › heading`. */
  sourcesWithFact: string[];
  /** Other sections of the sources' documents holding one: `path › heading`. */
  siblingsWithFact: string[];
  cause: AnswerMissCause;
  answer: string;
}

export interface EvalReport {
  ingest: IngestSummary;
  ours: MetricsWithCategories & AnswerMetrics;
  baseline: MetricsWithCategories;
  misses: EvalMiss[];
  /** Questions with facts whose answer quoted none of them. */
  answerMisses: AnswerMiss[];
  /** Questions whose answer said the KB does not cover them. */
  calledNotCovered: { id: string; question: string }[];
  /** Present when off-topic questions were given. */
  coverage: CoverageReport | undefined;
}

/**
 * Ingest the KB, then run every question through the retrieval the server
 * uses (question plus ticket) and through a plain BM25 baseline over whole
 * documents, in the same run, and score both.
 */
export async function runEval(options: EvalOptions): Promise<EvalReport> {
  const { kbDir, questions, index, embedder } = options;
  const ingest = await runIngest({ kbDir, index, embedder });
  const reader = createKbReader(index, { embedder, refreshMs: 0 });
  const baseline = await buildBm25Baseline(kbDir);
  // As the server reads it: the KB's services.yaml, when it has one (a broken file fails the run).
  const catalogue = readServiceCatalogueFile(kbDir, null)?.catalogue ?? null;

  const ours: QuestionOutcome[] = [];
  const theirs: QuestionOutcome[] = [];
  const misses: EvalMiss[] = [];
  const answerMisses: EvalReport["answerMisses"] = [];
  const calledNotCovered: EvalReport["calledNotCovered"] = [];
  let withFacts = 0;
  const answerTopK = options.answerTopK ?? 5;
  const deps = {
    reader,
    embedder,
    reranker: options.reranker,
    queryExpander: options.queryExpander,
    catalogue: () => catalogue,
    ...(options.tuning ? { tuning: options.tuning } : {}),
  };
  for (const question of questions) {
    const query: SearchQuery = { question: question.question, ticket: question.ticket, topK: 10 };
    const sources = await searchKb(deps, query);
    const answerQuery = { ...query, topK: answerTopK };
    const answer = await collectAnswer(deps, answerQuery);
    if (answer.coverage !== "covered")
      calledNotCovered.push({ id: question.id, question: question.question });
    if (question.facts?.length) {
      withFacts++;
      if (!answerHasFact(answer.text, question.facts)) {
        const facts = question.facts;
        // The same retrieval the answer ran, so a miss shows whether selection or retrieval lost the fact.
        const answerSources = await searchKb(deps, answerQuery);
        const sourcesWithFact = answerSources
          .filter((source) => answerHasFact(source.text, facts))
          .map((source) => `[${source.n}] ${[source.path, ...source.headingPath].join(" › ")}`);
        const siblingsWithFact = await siblingSectionsWithFact(reader, answerSources, facts);
        answerMisses.push({
          id: question.id,
          question: question.question,
          facts,
          sourcesWithFact,
          siblingsWithFact,
          cause: answerMissCause({
            coverage: answer.coverage,
            sourcesWithFact: sourcesWithFact.length,
            siblingsWithFact: siblingsWithFact.length,
          }),
          answer: answer.text,
        });
      }
    }
    const results: RankedResult[] = sources.map((source) => ({
      path: source.path,
      text: source.text,
    }));
    const outcome = scoreQuestion(question, results);
    ours.push(outcome);
    theirs.push(scoreQuestion(question, baseline.search(buildSearchText(query), 10)));
    if (outcome.firstHitRank !== 1) {
      const first = sources[0];
      misses.push({
        id: question.id,
        question: question.question,
        gold: question.gold,
        rank: outcome.firstHitRank,
        first: first ? [first.path, ...first.headingPath].join(" › ") : null,
      });
    }
  }
  const answerFacts = share(withFacts - answerMisses.length, withFacts);
  return {
    ingest,
    ours: {
      ...summariseOutcomes(ours),
      answer_facts: answerFacts,
      called_covered: share(questions.length - calledNotCovered.length, questions.length),
      by_category: metricsByCategory(ours),
    },
    baseline: { ...summariseOutcomes(theirs), by_category: metricsByCategory(theirs) },
    misses,
    answerMisses,
    calledNotCovered,
    coverage: options.offTopic
      ? await runCoverageEval(deps, kbDir, options.offTopic, answerTopK)
      : undefined,
  };
}

/** `part` of `whole` to three decimals; 0 of nothing. */
function share(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000;
}

/** Sections of the sources' documents, other than those sent, whose text holds a fact. */
async function siblingSectionsWithFact(
  reader: KbReader,
  sources: readonly Source[],
  facts: readonly string[],
): Promise<string[]> {
  const snapshot = await reader.snapshot();
  const chunks = await snapshot.chunksOfDocuments([...new Set(sources.map((s) => s.path))]);
  const sent = new Set(sources.map((source) => [source.path, ...source.headingPath].join(" › ")));
  const found = chunks
    .filter((chunk) => answerHasFact(chunk.text, facts))
    .map((chunk) => [chunk.docPath, ...chunk.headingPath].join(" › "))
    .filter((name) => !sent.has(name));
  return [...new Set(found)];
}

/** A markdown page a person reads to see why each miss happened. */
export function renderEvalReport(name: string, report: EvalReport): string {
  const row = (label: string, metrics: RetrievalMetrics) =>
    `| ${label} | ${metrics.n} | ${metrics["recall@1"]} | ${metrics["recall@5"]} | ${metrics["mrr@10"]} | ${metrics.fact_coverage} |`;
  const lines = [
    `# Retrieval evaluation: ${name}`,
    "",
    "| retrieval | n | recall@1 | recall@5 | MRR@10 | fact coverage |",
    "|---|---|---|---|---|---|",
    row("kb-answers (hybrid)", report.ours),
    row("BM25 baseline (whole documents)", report.baseline),
    ...Object.entries(report.ours.by_category).map(([category, metrics]) =>
      row(`kb-answers, ${category}`, metrics),
    ),
    ...Object.entries(report.baseline.by_category).map(([category, metrics]) =>
      row(`baseline, ${category}`, metrics),
    ),
    "",
    `## Misses (${report.misses.length}): the gold document was not ranked first`,
    "",
  ];
  for (const miss of report.misses) {
    lines.push(
      `- **${miss.id}**: ${miss.question}`,
      `  - expected: ${miss.gold.join(", ")} (${miss.rank === null ? "not in the top 10" : `rank ${miss.rank}`})`,
      `  - first instead: ${miss.first ?? "nothing"}`,
    );
  }
  lines.push(
    "",
    `## Answers quoting none of the expected facts (${report.answerMisses.length}; answer facts ${report.ours.answer_facts})`,
    "",
  );
  const byCause = answerMissCauses.map(
    (cause) => `${cause} ${report.answerMisses.filter((miss) => miss.cause === cause).length}`,
  );
  lines.push(`By cause: ${byCause.join(", ")}.`, "");
  for (const miss of report.answerMisses) {
    const held = miss.sourcesWithFact.length > 0 ? miss.sourcesWithFact.join("; ") : "none";
    const siblings = miss.siblingsWithFact.length > 0 ? miss.siblingsWithFact.join("; ") : "none";
    lines.push(
      `- **${miss.id}** (${miss.cause}): ${miss.question}`,
      `  - facts: ${miss.facts.map((fact) => `\`${fact}\``).join(", ")}`,
      `  - sources holding one: ${held}`,
      `  - other sections of their documents holding one: ${siblings}`,
      "",
      indent(miss.answer),
      "",
    );
  }
  lines.push(
    `## Called not covered (${report.calledNotCovered.length}; called covered ${report.ours.called_covered})`,
    "",
    ...report.calledNotCovered.map(({ id, question }) => `- **${id}**: ${question}`),
  );
  if (report.coverage) lines.push(...coverageLines(report.coverage));
  return `${lines.join("\n")}\n`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

function coverageLines({ coverage, fix_first, misses }: CoverageReport): string[] {
  const list = (items: readonly string[]) => items.map((item) => `- ${item}`);
  return [
    "",
    "## Coverage set",
    "",
    "| asked | covered | not covered |",
    "|---|---|---|",
    `| in the KB (aliases) | ${coverage.in_kb_covered} | ${coverage.in_kb_total - coverage.in_kb_covered} |`,
    `| off topic | ${coverage.off_topic_total - coverage.off_topic_not_covered} | ${coverage.off_topic_not_covered} |`,
    "",
    `Fix first: ${fix_first.hits} of ${fix_first.total}.`,
    "",
    `### In the KB, called not covered (${misses.inKb.length})`,
    ...list(misses.inKb),
    "",
    `### Off topic, called covered (${misses.offTopic.length})`,
    ...list(misses.offTopic),
    "",
    `### Fix not quoted first (${misses.fixFirst.length})`,
    ...list(misses.fixFirst),
  ];
}
