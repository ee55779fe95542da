/** What one question got back: the document path and text of each result, best first. */
export interface RankedResult {
  path: string;
  text: string;
}

export interface QuestionOutcome {
  id: string;
  category: string;
  /** 1-based rank of the first result from a gold document within the top 10, or null. */
  firstHitRank: number | null;
  /** Whether every expected fact appears verbatim in the top 5 results; null when the question lists none. */
  factsCovered: boolean | null;
}

export interface RetrievalMetrics {
  n: number;
  "recall@1": number;
  "recall@5": number;
  "mrr@10": number;
  /** Share of questions with facts whose facts all appear in the top 5. */
  fact_coverage: number;
}

export function scoreQuestion(
  question: {
    id: string;
    gold: readonly string[];
    facts?: readonly string[] | undefined;
    kind?: string | undefined;
  },
  results: readonly RankedResult[],
): QuestionOutcome {
  const gold = new Set(question.gold);
  const position = results.slice(0, 10).findIndex((result) => gold.has(result.path));
  const topFive = results
    .slice(0, 5)
    .map((result) => result.text)
    .join("\n");
  return {
    id: question.id,
    category: question.kind ?? "uncategorised",
    firstHitRank: position === -1 ? null : position + 1,
    factsCovered: question.facts?.length
      ? question.facts.every((fact) => topFive.includes(fact))
      : null,
  };
}

export function summariseOutcomes(outcomes: readonly QuestionOutcome[]): RetrievalMetrics {
  const n = outcomes.length;
  const share = (count: number, of: number) => (of === 0 ? 0 : round(count / of));
  const withFacts = outcomes.filter((outcome) => outcome.factsCovered !== null);
  return {
    n,
    "recall@1": share(outcomes.filter((outcome) => outcome.firstHitRank === 1).length, n),
    "recall@5": share(outcomes.filter((outcome) => (outcome.firstHitRank ?? 99) <= 5).length, n),
    "mrr@10": share(
      outcomes.reduce(
        (total, outcome) => total + (outcome.firstHitRank ? 1 / outcome.firstHitRank : 0),
        0,
      ),
      n,
    ),
    fact_coverage: share(
      withFacts.filter((outcome) => outcome.factsCovered).length,
      withFacts.length,
    ),
  };
}

export function metricsByCategory(
  outcomes: readonly QuestionOutcome[],
): Record<string, RetrievalMetrics> {
  const categories = [...new Set(outcomes.map((outcome) => outcome.category))].sort();
  return Object.fromEntries(
    categories.map((category) => [
      category,
      summariseOutcomes(outcomes.filter((outcome) => outcome.category === category)),
    ]),
  );
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
