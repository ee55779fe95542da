import { labelKey } from "../../taxonomy/label-key.js";

/** One field's outcome on one ticket: the gold label, the prediction (null: none), its confidence. */
export interface LabelOutcome {
  gold: string;
  predicted: string | null;
  confidence: number;
}

export interface LabelScores {
  accuracy: number;
  macroF1: number;
}

const key = labelKey;

/** Accuracy, and F1 averaged over every label that is gold or predicted (an unanswered ticket is a miss). */
export function labelScores(outcomes: readonly LabelOutcome[]): LabelScores {
  if (outcomes.length === 0) return { accuracy: 0, macroF1: 0 };
  const counts = new Map<
    string,
    { truePositive: number; falsePositive: number; falseNegative: number }
  >();
  const count = (label: string) => {
    let entry = counts.get(label);
    if (!entry) {
      entry = { truePositive: 0, falsePositive: 0, falseNegative: 0 };
      counts.set(label, entry);
    }
    return entry;
  };
  let correct = 0;
  for (const { gold, predicted } of outcomes) {
    const goldKey = key(gold);
    const predictedKey = predicted === null ? null : key(predicted);
    if (predictedKey === goldKey) {
      correct++;
      count(goldKey).truePositive++;
    } else {
      count(goldKey).falseNegative++;
      if (predictedKey !== null) count(predictedKey).falsePositive++;
    }
  }
  let f1Sum = 0;
  for (const { truePositive, falsePositive, falseNegative } of counts.values()) {
    const denominator = 2 * truePositive + falsePositive + falseNegative;
    f1Sum += denominator === 0 ? 0 : (2 * truePositive) / denominator;
  }
  return { accuracy: correct / outcomes.length, macroF1: f1Sum / counts.size };
}

/** Share of tickets at or above the threshold, and accuracy on them (0 when there are none). */
export function confidentScores(
  outcomes: readonly LabelOutcome[],
  threshold: number,
): { share: number; accuracy: number } {
  const confident = outcomes.filter(
    (outcome) => outcome.predicted !== null && outcome.confidence >= threshold,
  );
  const right = confident.filter(
    (outcome) => key(outcome.predicted as string) === key(outcome.gold),
  ).length;
  return {
    share: outcomes.length === 0 ? 0 : confident.length / outcomes.length,
    accuracy: confident.length === 0 ? 0 : right / confident.length,
  };
}

/** Lower bounds of the confidence levels reported. */
export const confidenceLevels = [0, 0.5, 0.7, 0.8, 0.9] as const;

/** Accuracy and share per confidence level: `[from, next from)`, the last up to 1. */
export function accuracyByConfidence(
  outcomes: readonly LabelOutcome[],
): { from: number; share: number; accuracy: number }[] {
  return confidenceLevels.map((from, position) => {
    const to = confidenceLevels[position + 1] ?? Number.POSITIVE_INFINITY;
    const inLevel = outcomes.filter(
      (outcome) =>
        outcome.predicted !== null && outcome.confidence >= from && outcome.confidence < to,
    );
    const right = inLevel.filter(
      (outcome) => key(outcome.predicted as string) === key(outcome.gold),
    ).length;
    return {
      from,
      share: outcomes.length === 0 ? 0 : inLevel.length / outcomes.length,
      accuracy: inLevel.length === 0 ? 0 : right / inLevel.length,
    };
  });
}
