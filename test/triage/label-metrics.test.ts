import { describe, expect, it } from "vitest";
import {
  accuracyByConfidence,
  confidentScores,
  labelScores,
} from "../../src/eval/triage/label-metrics.js";
import { calibrate, fitCalibration } from "../../src/triage/calibration.js";

describe("triage metrics", () => {
  it("averages F1 over every label gold or predicted, and counts an unanswered ticket as a miss", () => {
    const scores = labelScores([
      { gold: "a", predicted: "a", confidence: 0.9 },
      { gold: "a", predicted: "b", confidence: 0.6 },
      { gold: "b", predicted: "b", confidence: 0.95 },
      { gold: "c", predicted: null, confidence: 0 },
    ]);
    expect(scores.accuracy).toBe(0.5);
    // a: 2·1/(2+0+1) = 2/3; b: 2/(2+1+0) = 2/3; c: 0.
    expect(scores.macroF1).toBeCloseTo(4 / 9, 10);
  });

  it("reports the share at or above the threshold and its accuracy, and accuracy per confidence level", () => {
    const outcomes = [
      { gold: "a", predicted: "a", confidence: 0.95 },
      { gold: "a", predicted: "b", confidence: 0.85 },
      { gold: "b", predicted: "b", confidence: 0.4 },
      { gold: "b", predicted: "b", confidence: 0.8 },
    ];
    expect(confidentScores(outcomes, 0.8)).toEqual({ share: 0.75, accuracy: 2 / 3 });
    const levels = accuracyByConfidence(outcomes);
    expect(levels.find((level) => level.from === 0)).toEqual({ from: 0, share: 0.25, accuracy: 1 });
    expect(levels.find((level) => level.from === 0.8)).toEqual({
      from: 0.8,
      share: 0.5,
      accuracy: 0.5,
    });
  });

  it("calibrates so that surer scores never mean a lower accuracy", () => {
    const predictions = Array.from({ length: 200 }, (_, position) => {
      const score = position / 200;
      // Right more often the surer the score, with noise.
      return { score, correct: (position * 7919) % 100 < score * 100 };
    });
    const calibration = fitCalibration(predictions);
    expect(calibration).not.toBeNull();
    const mapped = [0.1, 0.3, 0.5, 0.7, 0.9, 0.99].map((score) => calibrate(calibration, score));
    expect([...mapped].sort((left, right) => left - right)).toEqual(mapped);
    expect(mapped[0]).toBeLessThan(0.3);
    expect(mapped[5]).toBeGreaterThan(0.8);
    expect(fitCalibration(predictions.slice(0, 10))).toBeNull();
  });
});
