/**
 * Raw top probability → how often a prediction that sure was right, fitted on
 * tickets the model did not train on (pool-adjacent-violators, so that a surer
 * score never maps to a lower accuracy). A confidence of 0.9 then means about
 * nine in ten such predictions were right.
 */
export interface Calibration {
  /** Ascending upper bounds of raw scores. */
  upTo: number[];
  /** Accuracy for raw scores up to the matching bound. */
  accuracy: number[];
}

/** Fewest held-out predictions a calibration is fitted from; below it, scores stay raw. */
const minimumPredictions = 50;

export function fitCalibration(
  predictions: readonly { score: number; correct: boolean }[],
): Calibration | null {
  if (predictions.length < minimumPredictions) return null;
  const sorted = [...predictions].sort((a, b) => a.score - b.score);
  // Blocks of [sum correct, count, upper score], merged while accuracy would fall.
  const blocks: { correct: number; count: number; upTo: number }[] = [];
  for (const { score, correct } of sorted) {
    blocks.push({ correct: correct ? 1 : 0, count: 1, upTo: score });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1] as (typeof blocks)[number];
      const before = blocks[blocks.length - 2] as (typeof blocks)[number];
      if (before.correct / before.count < last.correct / last.count) break;
      blocks.splice(blocks.length - 2, 2, {
        correct: before.correct + last.correct,
        count: before.count + last.count,
        upTo: last.upTo,
      });
    }
  }
  // A little shrinkage towards the block's neighbours' mean: small blocks should not claim 1.0.
  return {
    upTo: blocks.map((block) => block.upTo),
    accuracy: blocks.map((block) => (block.correct + 0.5) / (block.count + 1)),
  };
}

export function calibrate(calibration: Calibration | null, score: number): number {
  if (calibration === null) return score;
  const { upTo, accuracy } = calibration;
  for (let i = 0; i < upTo.length; i++)
    if (score <= (upTo[i] as number)) return accuracy[i] as number;
  return accuracy[accuracy.length - 1] as number;
}
