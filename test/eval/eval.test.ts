import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEvalCli } from "../../src/cli/eval-cli.js";
import { answerMissCause } from "../../src/eval/answer-miss-cause.js";
import { parseQuestionFile } from "../../src/eval/eval-question.js";
import { scoreQuestion, summariseOutcomes } from "../../src/eval/retrieval-metrics.js";
import { fixtureKbDir } from "../helpers/start-app.js";
import { makeTempDir, writeFiles } from "../helpers/temp-dir.js";

/** A stream stand-in that hands each write to `onWrite`. */
function collector(onWrite: (chunk: string) => void): NodeJS.WritableStream {
  return {
    write: (chunk: string) => {
      onWrite(chunk);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
}

describe("why an answer missed its facts", () => {
  it.each([
    [{ coverage: "weak", sourcesWithFact: 1, siblingsWithFact: 1 }, "not_covered"],
    [{ coverage: "covered", sourcesWithFact: 1, siblingsWithFact: 1 }, "in_a_source"],
    [{ coverage: "covered", sourcesWithFact: 0, siblingsWithFact: 2 }, "in_a_sibling_section"],
    [{ coverage: "covered", sourcesWithFact: 0, siblingsWithFact: 0 }, "not_in_the_documents"],
  ] as const)("names the earliest loss for %j: %s", (evidence, cause) => {
    expect(answerMissCause(evidence)).toBe(cause);
  });
});

describe("retrieval metrics", () => {
  const results = [
    { path: "a.md", text: "alpha kubectl" },
    { path: "b.md", text: "beta" },
    { path: "c.md", text: "gamma" },
  ];

  it("scores the first gold rank and whether every fact is in the top five", () => {
    expect(
      scoreQuestion({ id: "1", gold: ["b.md", "c.md"], facts: ["beta", "gamma"] }, results),
    ).toEqual({
      id: "1",
      category: "uncategorised",
      firstHitRank: 2,
      factsCovered: true,
    });
    expect(
      scoreQuestion({ id: "2", gold: ["z.md"], facts: ["delta"], kind: "incident" }, results),
    ).toMatchObject({
      category: "incident",
      firstHitRank: null,
      factsCovered: false,
    });
  });

  it("summarises recall@1, recall@5, MRR@10 and fact coverage", () => {
    const outcomes = [
      { id: "1", category: "runbook", firstHitRank: 1, factsCovered: true },
      { id: "2", category: "runbook", firstHitRank: 4, factsCovered: false },
      { id: "3", category: "incident", firstHitRank: null, factsCovered: null },
      { id: "4", category: "incident", firstHitRank: 8, factsCovered: null },
    ];
    expect(summariseOutcomes(outcomes)).toEqual({
      n: 4,
      "recall@1": 0.25,
      "recall@5": 0.5,
      "mrr@10": Math.round(((1 + 1 / 4 + 1 / 8) / 4) * 1000) / 1000,
      fact_coverage: 0.5,
    });
  });
});

describe("question files", () => {
  it("names the line and the problem of every bad question", () => {
    const text = [
      '{"id":"q1","question":"ok","gold":["a.md"]}',
      "{not json",
      '{"id":"q3","question":"no gold","gold":[]}',
      '{"id":"q1","question":"dup","gold":["a.md"]}',
    ].join("\n");
    expect(() => parseQuestionFile(text, "q.jsonl")).toThrow(
      /line 2: not valid JSON[\s\S]*line 3: gold[\s\S]*line 4: duplicate id q1/,
    );
  });
});

describe("npm run eval", () => {
  it("reports our metrics and the BM25 baseline's, by category, with the JSON contract and a report of misses", async () => {
    const root = await makeTempDir();
    await writeFiles(root, {
      "q.jsonl": [
        '{"id":"f1","question":"how do I roll back checkout-api","gold":["runbooks/rollback-deployment.md"],"facts":["rollout undo"],"kind":"runbook"}',
        '{"id":"f2","question":"redis says max number of clients reached","gold":["runbooks/redis-pool-exhausted.md"],"kind":"runbook"}',
        '{"id":"f3","question":"what caused the checkout outage in January?","gold":["incidents/2026-01-05-checkout-outage.md"],"kind":"incident"}',
        '{"id":"f4","question":"how do I renew the certificate","gold":["runbooks/redis-pool-exhausted.md"],"kind":"runbook"}',
        // A question the KB cannot answer, filed as if it did: its answer says so.
        '{"id":"f5","question":"how do I book annual leave in Workday","gold":["runbooks/redis-pool-exhausted.md"],"kind":"runbook"}',
      ].join("\n"),
      "off.jsonl": [
        '{"id":"o1","question":"how do I book annual leave in Workday"}',
        '{"id":"o2","question":"the printer on the third floor is jammed"}',
        // Filed as off topic, but its ticket names a runbook's alert: the ticket is judged with it.
        '{"id":"o3","question":"is this urgent?","ticket":{"title":"RedisPoolExhausted firing on checkout"}}',
      ].join("\n"),
    });
    let stdout = "";
    let stderr = "";
    const code = await runEvalCli({
      kb: fixtureKbDir,
      questions: join(root, "q.jsonl"),
      offTopic: join(root, "off.jsonl"),
      db: undefined,
      json: true,
      reportDir: root,
      env: {},
      stdout: collector((chunk) => {
        stdout += chunk;
      }),
      stderr: collector((chunk) => {
        stderr += chunk;
      }),
    });
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
    for (const key of [
      "n",
      "recall@1",
      "recall@5",
      "mrr@10",
      "fact_coverage",
      "answer_facts",
      "called_covered",
      "by_category",
      "coverage",
      "fix_first",
    ]) {
      expect(summary).toHaveProperty(key);
    }
    expect(summary).toMatchObject({
      n: 5,
      "recall@1": 0.6,
      fact_coverage: 1,
      answer_facts: 1,
      called_covered: 0.8,
    });
    expect(summary.coverage).toMatchObject({ off_topic_total: 3, off_topic_not_covered: 2 });
    expect(summary.coverage.in_kb_total).toBeGreaterThan(0);
    expect(summary.suites.custom).toHaveProperty("answer_facts");
    expect(Object.keys(summary.by_category).sort()).toEqual(["incident", "runbook"]);
    expect(summary.baseline).toMatchObject({ n: 5 });
    const report = await readFile(join(root, "eval-custom.md"), "utf8");
    expect(report).toContain("BM25 baseline");
    expect(report).toContain("**f4**: how do I renew the certificate");
    expect(report).toContain("first instead: runbooks/certificate-expiry.md");
    expect(report).toContain("## Coverage set");
    expect(report).toContain("## Called not covered (1; called covered 0.8)");
    expect(report).toContain("- **f5**: how do I book annual leave in Workday");
    expect(report).toContain("- is this urgent? (ticket: RedisPoolExhausted firing on checkout)");
  });

  it("refuses half a suite", async () => {
    let stderr = "";
    const code = await runEvalCli({
      kb: "kb",
      questions: undefined,
      db: undefined,
      json: false,
      reportDir: "data",
      env: {},
      stdout: collector(() => {}),
      stderr: collector((chunk) => {
        stderr += chunk;
      }),
    });
    expect(code).toBe(2);
    expect(stderr).toContain("--questions");
  });
});
