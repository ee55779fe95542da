import { describe, expect, it } from "vitest";
import { assessCoverage, termCoverage } from "../../src/retrieval/assess-coverage.js";
import type { Source } from "../../src/retrieval/source.js";
import type { TermRarity } from "../../src/retrieval/term-rarity.js";

const source = (text: string, overrides: Partial<Source> = {}): Source => ({
  n: 1,
  id: "c1",
  path: "runbooks/a.md",
  title: "Order confirmation emails delayed",
  headingPath: ["Remediation"],
  kind: "runbook",
  services: ["notification-service"],
  score: 1,
  text,
  position: 0,
  ...overrides,
});

/** Rarity as the index would tell it: listed words weigh their figure, the rest 1; `unseen` the KB never holds. */
const rarityOf = (weights: Record<string, number>, unseen: readonly string[] = []): TermRarity => ({
  weight: (word) => weights[word] ?? 1,
  unseen: (word) => unseen.includes(word),
});

describe("assessCoverage: typos", () => {
  it("forgives a typo that keeps the first letter, but does not read another word one edit away as one", () => {
    const email = [source("Check the email provider's bounce log, then resend the queue.")];
    expect(termCoverage({ question: "emial bounce", topK: 5 }, email)).toBe(1);
    // "gmail" is one edit from "email": a product the KB never names, not a typo.
    const rarity = rarityOf({ gmail: 5, bounce: 2 }, ["gmail"]);
    expect(termCoverage({ question: "Gmail bounce", topK: 5 }, email, rarity)).toBeLessThan(0.35);
    expect(assessCoverage({ question: "Gmail bounce", topK: 5 }, email, { rarity })).toBe("weak");
  });
});
