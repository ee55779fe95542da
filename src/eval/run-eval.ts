import type { Embedder } from "../embed/embedder.js";
import { type IngestSummary, runIngest } from "../ingest/run-ingest.js";
import { buildSearchText } from "../retrieval/build-search-text.js";
import type { QueryExpander } from "../retrieval/query-expander.js";
import type { Reranker } from "../retrieval/reranker.js";
import type { RetrievalTuning } from "../retrieval/retrieval-tuning.js";
import { searchKb } from "../retrieval/search-kb.js";
import type { SearchQuery } from "../retrieval/search-query.js";
import type { KbIndex } from "../store/kb-index.js";
import { createKbReader } from "../store/kb-reader.js";
import { buildBm25Baseline } from "./bm25-baseline.js";
import type { EvalQuestion } from "./eval-question.js";
import {
  metricsByCategory,
  type QuestionOutcome,
  type RankedResult,
  type RetrievalMetrics,
  scoreQuestion,
  summariseOutcomes,
} from "./retrieval-metrics.js";

export interface EvalOptions {
  kbDir: string;
  questions: readonly EvalQuestion[];
  index: KbIndex;
  embedder: Embedder;
  tuning?: Partial<RetrievalTuning>;
  reranker?: Reranker | undefined;
  queryExpander?: QueryExpander | undefined;
}

export type MetricsWithCategories = RetrievalMetrics & {
  by_category: Record<string, RetrievalMetrics>;
};

export interface EvalMiss {
  id: string;
  question: string;
  gold: string[];
  /** Rank of the first gold result within the top 10, or null. */
  rank: number | null;
  /** What came first instead: path and heading path. */
  first: string | null;
}

export interface EvalReport {
  ingest: IngestSummary;
  ours: MetricsWithCategories;
  baseline: MetricsWithCategories;
  misses: EvalMiss[];
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

  const ours: QuestionOutcome[] = [];
  const theirs: QuestionOutcome[] = [];
  const misses: EvalMiss[] = [];
  for (const question of questions) {
    const query: SearchQuery = { question: question.question, ticket: question.ticket, topK: 10 };
    const sources = await searchKb(
      {
        reader,
        embedder,
        reranker: options.reranker,
        queryExpander: options.queryExpander,
        ...(options.tuning ? { tuning: options.tuning } : {}),
      },
      query,
    );
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
  return {
    ingest,
    ours: { ...summariseOutcomes(ours), by_category: metricsByCategory(ours) },
    baseline: { ...summariseOutcomes(theirs), by_category: metricsByCategory(theirs) },
    misses,
  };
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
  return `${lines.join("\n")}\n`;
}
