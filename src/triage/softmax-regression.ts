/**
 * Multinomial logistic regression over sparse features, trained with AdaGrad.
 * Small enough to read, fast enough for 10,000 tickets in about a second, and
 * its probabilities are what triage reports as confidence. Our own rather
 * than a library's: the npm classifiers we tried either store dense per-word
 * objects (slow to train and to serialise at 10k tickets) or lack
 * probabilities.
 */
import { seededRandom, seededShuffle } from "./seeded-shuffle.js";

/** One example: feature indices and their weights (TF-IDF, L2-normalised). */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface SoftmaxModel {
  classes: number;
  features: number;
  /** features × classes, row-major by feature: one feature's class weights sit together. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty per update, scaled by the learning rate. */
  l2?: number;
  /** Weight of each class's examples; balanced weights help rare labels (macro-F1). */
  classWeights?: Float32Array;
  /** Deterministic shuffling between epochs. */
  seed?: number;
}

export function trainSoftmax(
  examples: readonly SparseVector[],
  labels: Int32Array,
  shape: { classes: number; features: number },
  options: TrainOptions = {},
): SoftmaxModel {
  const { classes, features } = shape;
  const epochs = options.epochs ?? 12;
  const rate = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-6;
  const weights = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  // AdaGrad accumulators: rare features keep larger steps than common ones.
  const weightSquares = new Float32Array(features * classes).fill(1e-8);
  const biasSquares = new Float32Array(classes).fill(1e-8);
  const scores = new Float64Array(classes);
  const order = [...examples.keys()];
  const random = seededRandom(options.seed ?? 1);

  for (let epoch = 0; epoch < epochs; epoch++) {
    seededShuffle(order, random);
    for (const position of order) {
      const example = examples[position] as SparseVector;
      const label = labels[position] as number;
      probabilitiesInto(scores, weights, bias, example, classes);
      const scale = options.classWeights?.[label] ?? 1;
      for (let c = 0; c < classes; c++) {
        const gradient = ((scores[c] as number) - (c === label ? 1 : 0)) * scale;
        if (gradient === 0) continue;
        const square = (biasSquares[c] as number) + gradient * gradient;
        biasSquares[c] = square;
        bias[c] = (bias[c] as number) - (rate * gradient) / Math.sqrt(square);
      }
      const { indices, values } = example;
      for (let k = 0; k < indices.length; k++) {
        const row = (indices[k] as number) * classes;
        const value = values[k] as number;
        for (let c = 0; c < classes; c++) {
          const at = row + c;
          const weight = weights[at] as number;
          const gradient =
            ((scores[c] as number) - (c === label ? 1 : 0)) * scale * value + l2 * weight;
          if (gradient === 0) continue;
          const square = (weightSquares[at] as number) + gradient * gradient;
          weightSquares[at] = square;
          weights[at] = weight - (rate * gradient) / Math.sqrt(square);
        }
      }
    }
  }
  return { classes, features, weights, bias };
}

/** Class probabilities for one example. */
export function predictSoftmax(model: SoftmaxModel, example: SparseVector): Float64Array {
  const scores = new Float64Array(model.classes);
  probabilitiesInto(scores, model.weights, model.bias, example, model.classes);
  return scores;
}

function probabilitiesInto(
  scores: Float64Array,
  weights: Float32Array,
  bias: Float32Array,
  example: SparseVector,
  classes: number,
): void {
  for (let c = 0; c < classes; c++) scores[c] = bias[c] as number;
  const { indices, values } = example;
  for (let k = 0; k < indices.length; k++) {
    const row = (indices[k] as number) * classes;
    const value = values[k] as number;
    for (let c = 0; c < classes; c++)
      scores[c] = (scores[c] as number) + (weights[row + c] as number) * value;
  }
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, scores[c] as number);
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    const exp = Math.exp((scores[c] as number) - max);
    scores[c] = exp;
    sum += exp;
  }
  for (let c = 0; c < classes; c++) scores[c] = (scores[c] as number) / sum;
}
