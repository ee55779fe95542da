import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createEmbedder } from "../../src/embed/create-embedder.js";
import { parseQuestionFile } from "../../src/eval/eval-question.js";
import { parseOffTopicFile } from "../../src/eval/off-topic-question.js";
import { runEval } from "../../src/eval/run-eval.js";
import { openKbIndex } from "../../src/store/kb-index.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const repoRoot = join(import.meta.dirname, "../..");

/**
 * The figures the README reports for kb/ (98 questions, offline default
 * settings), which justify every retrieval weight. The margin is one question
 * (1/98 ≈ 0.0102) on recall and a little less on MRR@10, so a change that
 * loses a question's rank fails here instead of shipping quietly.
 */
const recorded = { "recall@1": 0.969, "recall@5": 1, "mrr@10": 0.979 };
const margin = 0.011;
/** Answers quoting an expected fact (README): two questions of margin, 2/98 ≈ 0.02. */
const recordedAnswerFacts = 0.939;
const answerFactsMargin = 0.021;
/** The coverage matrix on kb/ plus the off-topic set (README), with two questions of margin each. */
const recordedCoverage = { inKbCovered: 624, offTopicNotCovered: 114 };
const coverageMargin = 2;

describe("retrieval quality on the sample KB (a guard for refactors and tuning)", () => {
  it("keeps recall@1, recall@5 and MRR@10 on kb/ within one question of the recorded figures, and answer facts and the coverage call within two", async () => {
    const questionsPath = join(repoRoot, "test/eval/kb-questions.jsonl");
    const questions = parseQuestionFile(await readFile(questionsPath, "utf8"), questionsPath);
    const offTopicPath = join(repoRoot, "test/eval/off-topic-questions.jsonl");
    const offTopic = parseOffTopicFile(await readFile(offTopicPath, "utf8"), offTopicPath);
    const config = loadConfig({});
    const index = await openKbIndex(join(await makeTempDir(), "db"));
    try {
      const report = await runEval({
        kbDir: join(repoRoot, "kb"),
        questions,
        index,
        embedder: createEmbedder(config.embedding),
        tuning: config.retrieval,
        offTopic,
      });
      const misses = report.misses.map((miss) => `${miss.id} (rank ${miss.rank})`).join(", ");
      expect(report.ours.n).toBe(98);
      for (const [metric, figure] of Object.entries(recorded)) {
        const measured = report.ours[metric as keyof typeof recorded];
        expect(measured, `${metric} ${measured}; misses: ${misses}`).toBeGreaterThanOrEqual(
          figure - margin,
        );
      }
      const unanswered = report.answerMisses.map((miss) => miss.id).join(", ");
      expect(
        report.ours.answer_facts,
        `answers without a fact: ${unanswered}`,
      ).toBeGreaterThanOrEqual(recordedAnswerFacts - answerFactsMargin);
      const coverage = report.coverage;
      expect(
        coverage?.coverage.in_kb_covered,
        coverage?.misses.inKb.join("; "),
      ).toBeGreaterThanOrEqual(recordedCoverage.inKbCovered - coverageMargin);
      expect(
        coverage?.coverage.off_topic_not_covered,
        coverage?.misses.offTopic.join("; "),
      ).toBeGreaterThanOrEqual(recordedCoverage.offTopicNotCovered - coverageMargin);
    } finally {
      index.close();
    }
  }, 120_000);
});
