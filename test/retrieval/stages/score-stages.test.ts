import { describe, expect, it } from "vitest";
import {
  defaultRetrievalTuning,
  type RetrievalTuning,
} from "../../../src/retrieval/retrieval-tuning.js";
import { applyScoreStages } from "../../../src/retrieval/stages/apply-score-stages.js";
import { defaultScoreStages } from "../../../src/retrieval/stages/default-score-stages.js";
import { followUpDocumentBoost } from "../../../src/retrieval/stages/follow-up-document-boost.js";
import { incidentWeightForSteps } from "../../../src/retrieval/stages/incident-weight-for-steps.js";
import { intentBoost } from "../../../src/retrieval/stages/intent-boost.js";
import { namedDocumentBoost } from "../../../src/retrieval/stages/named-document-boost.js";
import { overviewWeight } from "../../../src/retrieval/stages/overview-weight.js";
import type { RankingContext } from "../../../src/retrieval/stages/score-stage.js";
import { sectionPrior } from "../../../src/retrieval/stages/section-prior.js";
import { ticketServiceBoost } from "../../../src/retrieval/stages/ticket-service-boost.js";
import type { ChunkSummary } from "../../../src/store/index-rows.js";
import { detectIntents } from "../../../src/text/question-intents.js";

const candidate = (overrides: Partial<ChunkSummary> = {}): ChunkSummary => ({
  id: "c1",
  docPath: "runbooks/a.md",
  chunkIndex: 0,
  headingPath: [],
  title: "A",
  kind: "runbook",
  services: [],
  ...overrides,
});

const context = (
  question: string,
  tuning: Partial<RetrievalTuning> = {},
  ticketService?: string,
  runbooks: string[] = [],
): RankingContext => ({
  question,
  intents: detectIntents(question),
  services: {
    names: new Set(ticketService ? [ticketService] : []),
    runbooks: new Set(runbooks),
  },
  namedDocuments: new Set(),
  documentsNamedByParts: new Set(),
  followUpDocuments: new Set(),
  tuning: { ...defaultRetrievalTuning, ...tuning },
});

describe("sectionPrior", () => {
  const weights = { navigationSectionWeight: 0.6, escalationSectionWeight: 0.8 };
  it.each([
    ["what do I do?", ["Related runbooks"], 0.6],
    ["what do I do?", ["Remediation", "See also"], 0.6],
    ["what do I do?", ["Escalation"], 0.8],
    ["who do I page for this?", ["Escalation"], 1],
    ["is this a sev1?", ["Escalation"], 1],
    ["what do I do?", ["Remediation"], 1],
  ])("weighs %s against section %j by %s", (question, headingPath, weight) => {
    expect(sectionPrior(candidate({ headingPath }), context(question, weights))).toBe(weight);
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
  ])("weighs %s by %s", (docPath, weight) => {
    expect(overviewWeight(candidate({ docPath }), context("", { overviewPageWeight: 0.8 }))).toBe(
      weight,
    );
  });
});

describe("intentBoost", () => {
  it("boosts runbook steps for procedures and incidents for history, nothing else", () => {
    const boost = { intentBoost: 1.2 };
    const procedure = context("how do I fix it", boost);
    const history = context("has this happened before", boost);
    const none = context("disk full", boost);
    const remediation = candidate({ headingPath: ["Remediation"], kind: "runbook" });
    expect(intentBoost(remediation, procedure)).toBe(1.2);
    expect(
      intentBoost(candidate({ headingPath: ["Resolution"], kind: "incident" }), procedure),
    ).toBe(1);
    expect(intentBoost(candidate({ headingPath: ["Timeline"], kind: "incident" }), history)).toBe(
      1.2,
    );
    expect(intentBoost(remediation, none)).toBe(1);
    // A runbook's FAQ heading "How do I" holds its procedures.
    const howDoI = candidate({ headingPath: ["How do I", "Apply a quick configuration?"] });
    expect(intentBoost(howDoI, procedure)).toBe(1.2);
  });
});

describe("ticketServiceBoost", () => {
  it("boosts chunks of the ticket's service, whatever its case, and nothing without one", () => {
    const cart = candidate({ services: ["Cart-Service", "sessions-redis"] });
    expect(ticketServiceBoost(cart, context("pool exhausted", {}, "cart-service"))).toBe(1.3);
    expect(ticketServiceBoost(cart, context("pool exhausted", {}, "orders-db"))).toBe(1);
    expect(ticketServiceBoost(cart, context("pool exhausted"))).toBe(1);
  });

  it("boosts a runbook the catalogue lists for the service, though its frontmatter names none", () => {
    const runbook = candidate({ docPath: "runbooks/rollback.md", services: [] });
    const listed = context("pool exhausted", {}, "checkout-api", ["runbooks/rollback.md"]);
    expect(ticketServiceBoost(runbook, listed)).toBe(1.3);
    expect(ticketServiceBoost(runbook, context("pool exhausted", {}, "checkout-api"))).toBe(1);
  });
});

describe("incidentWeightForSteps", () => {
  it("weighs incident writeups down for step questions, not for history questions", () => {
    const incident = candidate({ kind: "incident" });
    expect(incidentWeightForSteps(incident, context("how do I roll back checkout?"))).toBe(0.8);
    expect(incidentWeightForSteps(incident, context("how did we fix this last time?"))).toBe(1);
    expect(incidentWeightForSteps(candidate(), context("how do I roll back checkout?"))).toBe(1);
  });
});

describe("followUpDocumentBoost", () => {
  it("boosts chunks of the documents a follow-up leans on, and nothing for a question on its own", () => {
    const leaning = { ...context("and how do I verify it?"), followUpDocuments: new Set(["a.md"]) };
    expect(followUpDocumentBoost(candidate({ docPath: "a.md" }), leaning)).toBe(1.5);
    expect(followUpDocumentBoost(candidate({ docPath: "b.md" }), leaning)).toBe(1);
    expect(followUpDocumentBoost(candidate({ docPath: "a.md" }), context("verify?"))).toBe(1);
  });
});

describe("score stages", () => {
  it("run by default in the documented order", () => {
    expect(defaultScoreStages).toEqual([
      ticketServiceBoost,
      sectionPrior,
      intentBoost,
      incidentWeightForSteps,
      overviewWeight,
      namedDocumentBoost,
      followUpDocumentBoost,
    ]);
  });

  it("multiply each candidate's score, keeping the list's order", () => {
    const scored = [
      { item: candidate({ id: "a" }), score: 2 },
      { item: candidate({ id: "b", headingPath: ["See also"] }), score: 1 },
    ];
    const halveA = (item: ChunkSummary) => (item.id === "a" ? 0.5 : 1);
    const weighed = applyScoreStages(scored, [sectionPrior, halveA], context("what now?"));
    expect(weighed.map((entry) => [entry.item.id, entry.score])).toEqual([
      ["a", 1],
      ["b", 0.6],
    ]);
    expect(applyScoreStages(scored, [], context("what now?"))).toEqual(scored);
  });
});
