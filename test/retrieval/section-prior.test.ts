import { describe, expect, it } from "vitest";
import { overviewWeight } from "../../src/retrieval/overview-weight.js";
import { sectionPrior } from "../../src/retrieval/section-prior.js";
import { detectIntents } from "../../src/text/question-intents.js";

const weights = { navigation: 0.6, escalation: 0.8 };

describe("sectionPrior", () => {
  it.each([
    ["what do I do?", ["Related runbooks"], 0.6],
    ["what do I do?", ["Remediation", "See also"], 0.6],
    ["what do I do?", ["Escalation"], 0.8],
    ["who do I page for this?", ["Escalation"], 1],
    ["is this a sev1?", ["Escalation"], 1],
    ["what do I do?", ["Remediation"], 1],
  ])("weighs %s against section %j by %s", (question, headingPath, weight) => {
    expect(sectionPrior(question, headingPath, weights)).toBe(weight);
  });
});

describe("history questions", () => {
  it.each([
    "has the SSO login broken before?",
    "have we ever seen pgbouncer do this",
    "did checkout fail like this before",
  ])("reads %s as asking about past incidents", (question) => {
    expect(detectIntents(question).history).toBe(true);
  });
});

describe("overviewWeight", () => {
  it.each([
    ["runbooks/gitlab/monitoring/README.md", 0.8],
    ["README.markdown", 0.8],
    ["docs/_index.md", 0.8],
    ["runbooks/readme-generator.md", 1],
    ["runbooks/redis.md", 1],
  ])("weighs %s by %s", (path, weight) => {
    expect(overviewWeight(path, 0.8)).toBe(weight);
  });
});
