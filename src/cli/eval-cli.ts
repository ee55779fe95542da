import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadConfig } from "../config.js";
import { createEmbedder } from "../embed/create-embedder.js";
import { KbError } from "../errors.js";
import { parseQuestionFile } from "../eval/eval-question.js";
import { parseOffTopicFile } from "../eval/off-topic-question.js";
import type { RetrievalMetrics } from "../eval/retrieval-metrics.js";
import { type EvalReport, renderEvalReport, runEval } from "../eval/run-eval.js";
import { createChatModel } from "../model/create-chat-model.js";
import { createChatQueryExpander } from "../retrieval/chat-query-expander.js";
import { createHttpReranker } from "../retrieval/http-reranker.js";
import { openKbIndex } from "../store/kb-index.js";

export interface EvalCliOptions {
  kb: string | undefined;
  questions: string | undefined;
  /** Off-topic questions for a custom suite: the coverage set then runs over it. */
  offTopic?: string | undefined;
  db: string | undefined;
  json: boolean;
  reportDir: string;
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

interface Suite {
  name: string;
  kbDir: string;
  questionsPath: string;
  /** Questions the KB does not answer: with them the coverage set runs over this suite. */
  offTopicPath?: string;
}

/** Question sets run when no --kb/--questions are given: ours always, the shared corpus when present. */
export const defaultSuites: Suite[] = [
  {
    name: "kb",
    kbDir: "kb",
    questionsPath: "test/eval/kb-questions.jsonl",
    offTopicPath: "test/eval/off-topic-questions.jsonl",
  },
  { name: "corpus", kbDir: "../shared/corpus", questionsPath: "test/eval/corpus-questions.jsonl" },
];

/** The eval command. Returns the exit code. */
export async function runEvalCli(options: EvalCliOptions): Promise<number> {
  const { stdout, stderr } = options;
  try {
    if ((options.kb === undefined) !== (options.questions === undefined)) {
      throw new KbError(
        "invalid_request",
        "Give both --kb and --questions, or neither to run the default question sets",
      );
    }
    const config = loadConfig(options.env);
    const embedder = createEmbedder(config.embedding);
    let suites: Suite[];
    if (options.kb && options.questions) {
      suites = [
        {
          name: "custom",
          kbDir: options.kb,
          questionsPath: options.questions,
          ...(options.offTopic ? { offTopicPath: options.offTopic } : {}),
        },
      ];
    } else {
      suites = defaultSuites.filter((suite) => {
        if (existsSync(suite.kbDir)) return true;
        stderr.write(`${suite.kbDir} not found: skipping the ${suite.name} question set\n`);
        return false;
      });
    }

    const results: Record<string, EvalReport> = {};
    for (const suite of suites) {
      const questions = parseQuestionFile(
        await readFile(suite.questionsPath, "utf8"),
        suite.questionsPath,
      );
      const scratch =
        options.db === undefined ? await mkdtemp(join(tmpdir(), "kb-eval-")) : undefined;
      const index = await openKbIndex(options.db ?? join(scratch as string, "db"));
      try {
        stderr.write(
          `evaluating ${questions.length} questions over ${suite.kbDir} with ${embedder.id}\n`,
        );
        const report = await runEval({
          kbDir: suite.kbDir,
          questions,
          index,
          embedder,
          tuning: config.retrieval,
          reranker: config.rerank ? createHttpReranker(config.rerank) : undefined,
          queryExpander:
            config.chat && config.queryExpansion
              ? createChatQueryExpander(createChatModel(config.chat), config.queryExpansion)
              : undefined,
          offTopic: suite.offTopicPath
            ? parseOffTopicFile(await readFile(suite.offTopicPath, "utf8"), suite.offTopicPath)
            : undefined,
          answerTopK: config.server.defaultTopK,
        });
        results[suite.name] = report;
        const reportPath = join(options.reportDir, `eval-${suite.name}.md`);
        await mkdir(dirname(reportPath), { recursive: true });
        await writeFile(reportPath, renderEvalReport(suite.name, report));
        printSuite(stdout, suite.name, report, reportPath);
      } finally {
        index.close();
        if (scratch) await rm(scratch, { recursive: true, force: true });
      }
    }

    if (options.json) {
      const [first] = Object.values(results);
      const withCoverage = Object.values(results).find((report) => report.coverage);
      const summary = first
        ? { ...first.ours, baseline: first.baseline, ...coverageJson(withCoverage) }
        : {};
      const suitesJson = Object.fromEntries(
        Object.entries(results).map(([name, report]) => [
          name,
          { ...report.ours, baseline: report.baseline, ...coverageJson(report) },
        ]),
      );
      stdout.write(
        `${JSON.stringify({ ...summary, embedder: embedder.id, suites: suitesJson })}\n`,
      );
    }
    return 0;
  } catch (error) {
    const code = error instanceof KbError ? error.code : "internal";
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(`eval failed (${code}): ${message}\n`);
    if (options.json) stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
    return code === "invalid_config" || code === "invalid_request" ? 2 : 1;
  }
}

/** `coverage` and `fix_first`, for a suite that ran the coverage set. */
function coverageJson(report: EvalReport | undefined): Record<string, unknown> {
  return report?.coverage
    ? { coverage: report.coverage.coverage, fix_first: report.coverage.fix_first }
    : {};
}

function printSuite(
  stdout: NodeJS.WritableStream,
  name: string,
  report: EvalReport,
  reportPath: string,
): void {
  const line = (label: string, metrics: RetrievalMetrics) =>
    `  ${label.padEnd(12)} recall@1 ${metrics["recall@1"].toFixed(3)}  recall@5 ${metrics["recall@5"].toFixed(3)}  MRR@10 ${metrics["mrr@10"].toFixed(3)}  facts ${metrics.fact_coverage.toFixed(3)}`;
  stdout.write(
    [
      `${name}: ${report.ours.n} questions (${report.ingest.added + report.ingest.unchanged + report.ingest.updated} documents, ${report.ingest.failed} failed to ingest)`,
      line("kb-answers", report.ours),
      line("BM25", report.baseline),
      ...Object.entries(report.ours.by_category).map(([category, metrics]) =>
        line(category, metrics),
      ),
      `  answer facts ${report.ours.answer_facts.toFixed(3)} (answers quoting an expected fact)`,
      `  called covered ${report.ours.called_covered.toFixed(3)} (answers not withheld as not covered)`,
      ...coverageSummary(report),
      `  misses: ${report.misses.length}, listed in ${reportPath}`,
      "",
    ].join("\n"),
  );
}

function coverageSummary(report: EvalReport): string[] {
  if (!report.coverage) return [];
  const { coverage, fix_first } = report.coverage;
  const inKbMissed = coverage.in_kb_total - coverage.in_kb_covered;
  const offTopicCovered = coverage.off_topic_total - coverage.off_topic_not_covered;
  return [
    "  coverage set      covered  not covered",
    `    in the KB       ${String(coverage.in_kb_covered).padStart(7)}  ${String(inKbMissed).padStart(11)}`,
    `    off topic       ${String(offTopicCovered).padStart(7)}  ${String(coverage.off_topic_not_covered).padStart(11)}`,
    `  fix first ${fix_first.hits}/${fix_first.total} ("how do I fix <alias>" quotes the runbook's acting section first)`,
  ];
}
