import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createEmbedder } from "../../src/embed/create-embedder.js";
import { parseQuestionFile } from "../../src/eval/eval-question.js";
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
const recorded = { "recall@1": 0.949, "recall@5": 0.99, "mrr@10": 0.969 };
const margin = 0.011;

describe("retrieval quality on the sample KB (a guard for refactors and tuning)", () => {
  it("keeps recall@1, recall@5 and MRR@10 on kb/ within one question of the recorded figures", async () => {
    const questionsPath = join(repoRoot, "test/eval/kb-questions.jsonl");
    const questions = parseQuestionFile(await readFile(questionsPath, "utf8"), questionsPath);
    const config = loadConfig({});
    const index = await openKbIndex(join(await makeTempDir(), "db"));
    try {
      const report = await runEval({
        kbDir: join(repoRoot, "kb"),
        questions,
        index,
        embedder: createEmbedder(config.embedding),
        tuning: config.retrieval,
      });
      const misses = report.misses.map((miss) => `${miss.id} (rank ${miss.rank})`).join(", ");
      expect(report.ours.n).toBe(98);
      for (const [metric, figure] of Object.entries(recorded)) {
        const measured = report.ours[metric as keyof typeof recorded];
        expect(measured, `${metric} ${measured}; misses: ${misses}`).toBeGreaterThanOrEqual(
          figure - margin,
        );
      }
    } finally {
      index.close();
    }
  }, 120_000);
});
