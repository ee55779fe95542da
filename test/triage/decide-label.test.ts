import { describe, expect, it } from "vitest";
import type { Taxonomy } from "../../src/taxonomy/taxonomy.js";
import { assertsPhrase } from "../../src/text/contains-as-words.js";
import { type DecideContext, decideLabel } from "../../src/triage/decide-label.js";
import type { FieldPrediction } from "../../src/triage/triage-model.js";

const taxonomy: Taxonomy = {
  version: "t1",
  source: "file",
  categories: [
    { name: "Application", description: null, keywords: ["slow"] },
    { name: "Database", description: null, keywords: ["replica"] },
    { name: "Access", description: null, keywords: [] },
  ],
  priorities: [
    { name: "P1", description: null, keywords: ["urgent"], rank: 0, impact: null, urgency: null },
    { name: "P2", description: null, keywords: [], rank: 1, impact: null, urgency: null },
    { name: "P3", description: null, keywords: [], rank: 2, impact: null, urgency: null },
  ],
  teams: [],
  tags: [],
};

function prediction(scores: Record<string, number>): FieldPrediction {
  const sorted = Object.entries(scores)
    .map(([label, score]) => ({ label, score }))
    .sort((left, right) => right.score - left.score);
  const best = sorted[0] as { label: string; score: number };
  return { label: best.label, confidence: best.score, raw: best.score, scores: sorted };
}

const context = (text: string): DecideContext => ({
  taxonomy,
  text,
  service: null,
  threshold: 0.9,
  neighbours: 10,
});

describe("the taxonomy's keyword rules", () => {
  it("reads a phrase the reporter negates as no evidence", () => {
    expect(assertsPhrase("this is urgent, please", "urgent")).toBe(true);
    expect(assertsPhrase("not urgent but annoying", "urgent")).toBe(false);
    expect(assertsPhrase("no data loss so far", "data loss")).toBe(false);
    expect(assertsPhrase("not urgent. but now it is urgent", "urgent")).toBe(true);
    expect(assertsPhrase("the urgently needed fix", "urgent")).toBe(false);
  });

  it("escalates a priority on an asserted keyword, never on a negated one", () => {
    const unsure = prediction({ P3: 0.5, P2: 0.3, P1: 0.2 });
    expect(decideLabel("priority", unsure, context("checkout errors. urgent!"))).toMatchObject({
      label: "P1",
      confidence: 0.9,
      reason: 'the taxonomy rates "urgent" P1',
    });
    expect(decideLabel("priority", unsure, context("a typo, not urgent"))).toMatchObject({
      label: "P3",
    });
  });

  it("raises an unsure classifier to the rule's confidence when an asserted keyword agrees", () => {
    const agreeing = prediction({ P1: 0.6, P2: 0.3, P3: 0.1 });
    expect(decideLabel("priority", agreeing, context("checkout down, urgent"))).toMatchObject({
      label: "P1",
      confidence: 0.9,
      reason: expect.stringMatching(/the taxonomy rates "urgent" P1$/),
    });
    expect(decideLabel("priority", agreeing, context("checkout down, not urgent"))).toMatchObject({
      label: "P1",
      confidence: 0.6,
    });
  });

  it("sends an escalation the classifier finds implausible to review rather than claiming confidence", () => {
    const sure = prediction({ P3: 0.9, P2: 0.07, P1: 0.03 });
    const decided = decideLabel("priority", sure, context("urgent: change my desk phone"));
    expect(decided).toMatchObject({
      label: "P1",
      reason: expect.stringMatching(/over the classifier/),
    });
    expect(decided?.confidence).toBeLessThan(0.9);
  });

  it("lets a category keyword decide only among labels the classifier finds plausible", () => {
    // "slow" names Application, which the classifier rules out: its own best stays.
    const access = prediction({ Access: 0.6, Database: 0.3, Application: 0.1 });
    expect(decideLabel("category", access, context("login is slow"))?.label).toBe("Access");
    // Two keywords, both plausible: the classifier's better one, at the rule's confidence.
    const split = prediction({ Access: 0.4, Database: 0.35, Application: 0.25 });
    expect(decideLabel("category", split, context("slow replica"))).toMatchObject({
      label: "Database",
      confidence: 0.9,
      reason: expect.stringMatching(/"replica" is a Database keyword/),
    });
  });
});
