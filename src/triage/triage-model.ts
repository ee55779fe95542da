import { labelKey } from "../taxonomy/label-key.js";
import { type Calibration, calibrate, fitCalibration } from "./calibration.js";
import { seededRandom, seededShuffle } from "./seeded-shuffle.js";
import {
  predictSoftmax,
  type SoftmaxModel,
  type SparseVector,
  trainSoftmax,
} from "./softmax-regression.js";
import { buildTermSpace, type TermSpace, termIndex, vectorize } from "./term-space.js";
import { plainTerms, type TicketText, ticketTerms } from "./ticket-terms.js";

export const triageFields = ["category", "priority", "team"] as const;
export type TriageField = (typeof triageFields)[number];

/** A past ticket as training reads it. */
export interface LabelledTicket extends TicketText {
  labels: Record<TriageField, string | null>;
}

/** Bump when training or features change: a stored model of another version is retrained. */
export const TRIAGE_MODEL_VERSION = 3;

/**
 * Two views of a ticket's words, each with its own linear model per field:
 * `terms` (stemmed content words, title words, word pairs, the service) and
 * `words` (the plain lowercased words, stop words included: "please" and
 * "hi" tell a request from an incident). Their probabilities are averaged.
 */
export interface TriageModel {
  version: number;
  trainedOn: number;
  views: { terms: TermSpace; words: TermSpace };
  fields: Partial<Record<TriageField, FieldModel>>;
}

export interface FieldModel {
  labels: string[];
  /** Training tickets per label. */
  counts: number[];
  terms: SoftmaxModel;
  words: SoftmaxModel;
  /** Fitted on held-out tickets with the chosen mix; null for small histories. */
  calibration: Calibration | null;
}

/** Shares of the combined score: the `terms` view's against the `words` view's, and the neighbours' vote against both. */
const mix = { terms: 0.5, neighbours: 0.25 };

/**
 * Logit adjustment: each label's combined score is divided by its share of the
 * history to this power. Both the models and the neighbours' vote learn how
 * common a label is and lean to the common ones, which costs the rare labels
 * (an urgent ticket, a small team) most of their hits. 0 leaves the scores as
 * they are; 1 would judge every label as if all were equally common.
 */
const priorCorrection = 0.3;

const trainOptions = { epochs: 12, learningRate: 0.5, l2: 1e-6 } as const;

/** Probabilities over a field's labels, in the model's label order. */
export type LabelScores = Float64Array;

export interface Neighbour {
  labels: Partial<Record<TriageField, string | null>>;
  /** Similarity, higher is nearer; only relative sizes matter. */
  score: number;
}

/**
 * Train a model for every field with at least two labels in the history. A
 * fifth of the history (when there are 100 tickets or more) is held out
 * first to fit each field's confidence calibration; the final model is then
 * trained on all of it.
 */
export function trainTriageModel(tickets: readonly LabelledTicket[], seed = 1): TriageModel {
  const model = trainViews(tickets, seed);
  if (tickets.length < 100) return model;
  const shuffled = seededShuffle([...tickets], seededRandom(seed));
  const cut = Math.floor(shuffled.length * 0.8);
  // A thousand held-out tickets fit a calibration well; more only cost training time.
  const heldOut = shuffled.slice(cut, cut + 1000);
  const trial = trainViews(shuffled.slice(0, cut), seed);
  const trialVectors = trainingVectors(trial, shuffled.slice(0, cut));
  for (const field of triageFields) {
    const target = model.fields[field];
    if (!target || !trial.fields[field]) continue;
    const held = heldOut.filter((ticket) => ticket.labels[field] !== null);
    target.calibration = fitCalibration(
      held.map((ticket) => {
        const neighbours = nearestInMemory(trialVectors, vectorsOf(trial, ticket), 10);
        const scored = scoreField(trial, field, ticket, neighbours) as FieldPrediction;
        return {
          score: scored.raw,
          correct: labelKey(scored.label) === labelKey(ticket.labels[field] as string),
        };
      }),
    );
  }
  return model;
}

function trainViews(tickets: readonly LabelledTicket[], seed: number): TriageModel {
  const termDocs = tickets.map(ticketTerms);
  const wordDocs = tickets.map(plainTerms);
  const views = { terms: buildTermSpace(termDocs), words: buildTermSpace(wordDocs) };
  const termIdx = termIndex(views.terms);
  const wordIdx = termIndex(views.words);
  const termVectors = termDocs.map((terms) => vectorize(terms, views.terms, termIdx));
  const wordVectors = wordDocs.map((words) => vectorize(words, views.words, wordIdx));
  const fields: TriageModel["fields"] = {};
  for (const field of triageFields) {
    const byLabel = new Map<string, number>();
    const rows: number[] = [];
    const labelIds: number[] = [];
    const spelling = new Map<string, string>();
    tickets.forEach((ticket, row) => {
      const label = ticket.labels[field];
      if (label === null) return;
      const key = labelKey(label);
      if (!spelling.has(key)) spelling.set(key, label);
      if (!byLabel.has(key)) byLabel.set(key, byLabel.size);
      rows.push(row);
      labelIds.push(byLabel.get(key) as number);
    });
    if (byLabel.size < 2) continue;
    const labels = [...byLabel.keys()].map((key) => spelling.get(key) as string);
    const y = Int32Array.from(labelIds);
    const counts = labels.map(() => 0);
    for (const id of labelIds) counts[id] = (counts[id] as number) + 1;
    const shape = (view: TermSpace) => ({ classes: labels.length, features: view.terms.length });
    fields[field] = {
      labels,
      counts,
      terms: trainSoftmax(
        rows.map((row) => termVectors[row] as SparseVector),
        y,
        shape(views.terms),
        { ...trainOptions, seed },
      ),
      words: trainSoftmax(
        rows.map((row) => wordVectors[row] as SparseVector),
        y,
        shape(views.words),
        { ...trainOptions, seed },
      ),
      calibration: null,
    };
  }
  return { version: TRIAGE_MODEL_VERSION, trainedOn: tickets.length, views, fields };
}

/** A field's best label, its calibrated confidence, the raw score, and every label's score. */
export interface FieldPrediction {
  label: string;
  confidence: number;
  raw: number;
  scores: { label: string; score: number }[];
}

/**
 * Classify one field: the two views' probabilities averaged, mixed with the
 * score-weighted vote of the nearest past tickets when there are any, and
 * adjusted for how common each label is.
 */
export function scoreField(
  model: TriageModel,
  field: TriageField,
  ticket: TicketText,
  neighbours: readonly Neighbour[],
  vectors: TicketVectors = vectorsOf(model, ticket),
): FieldPrediction | null {
  const fieldModel = model.fields[field];
  if (!fieldModel) return null;
  const picked = mixed(fieldModel, field, neighbours, vectors);
  return { ...picked, confidence: calibrate(fieldModel.calibration, picked.raw) };
}

/** The views' probabilities averaged, mixed with the score-weighted vote of the neighbours when there are any. */
function mixed(
  fieldModel: FieldModel,
  field: TriageField,
  neighbours: readonly Neighbour[],
  vectors: TicketVectors,
): Omit<FieldPrediction, "confidence"> {
  const { labels } = fieldModel;
  const terms = predictSoftmax(fieldModel.terms, vectors.terms);
  const words = predictSoftmax(fieldModel.words, vectors.words);
  const vote = neighbourVote(labels, field, neighbours);
  const combined = new Float64Array(labels.length);
  for (let c = 0; c < combined.length; c++) {
    const views = mix.terms * (terms[c] as number) + (1 - mix.terms) * (words[c] as number);
    combined[c] = vote
      ? (1 - mix.neighbours) * views + mix.neighbours * (vote[c] as number)
      : views;
  }
  adjustForPriors(combined, fieldModel.counts);
  let best = 0;
  for (let c = 1; c < combined.length; c++)
    if ((combined[c] as number) > (combined[best] as number)) best = c;
  return {
    label: labels[best] as string,
    raw: combined[best] as number,
    scores: labels
      .map((label, c) => ({ label, score: combined[c] as number }))
      .sort((left, right) => right.score - left.score),
  };
}

/** Divide each score by its label's share of the history to the power `priorCorrection`, then normalise. */
function adjustForPriors(scores: Float64Array, counts: readonly number[]): void {
  const total = counts.reduce((sum, count) => sum + count, 0);
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    const share = Math.max(1, counts[c] as number) / total;
    scores[c] = (scores[c] as number) / share ** priorCorrection;
    sum += scores[c] as number;
  }
  if (sum > 0) for (let c = 0; c < scores.length; c++) scores[c] = (scores[c] as number) / sum;
}

export interface TicketVectors {
  terms: SparseVector;
  words: SparseVector;
}

/** Vectorise once per ticket; every field reads the same vectors. */
export function vectorsOf(model: TriageModel, ticket: TicketText): TicketVectors {
  return {
    terms: vectorize(ticketTerms(ticket), model.views.terms, cachedIndex(model.views.terms)),
    words: vectorize(plainTerms(ticket), model.views.words, cachedIndex(model.views.words)),
  };
}

const indexes = new WeakMap<TermSpace, Map<string, number>>();
function cachedIndex(space: TermSpace): Map<string, number> {
  let index = indexes.get(space);
  if (!index) {
    index = termIndex(space);
    indexes.set(space, index);
  }
  return index;
}

function neighbourVote(
  labels: readonly string[],
  field: TriageField,
  neighbours: readonly Neighbour[],
): Float64Array | null {
  const positions = new Map(labels.map((label, c) => [labelKey(label), c]));
  const vote = new Float64Array(labels.length);
  let total = 0;
  for (const neighbour of neighbours) {
    const label = neighbour.labels[field];
    const position = label ? positions.get(labelKey(label)) : undefined;
    if (position === undefined || neighbour.score <= 0) continue;
    vote[position] = (vote[position] as number) + neighbour.score;
    total += neighbour.score;
  }
  if (total === 0) return null;
  for (let c = 0; c < vote.length; c++) vote[c] = (vote[c] as number) / total;
  return vote;
}

/** The training tickets' `terms` vectors as postings: term → the rows holding it, with their weights. */
interface TrainingVectors {
  postings: Map<number, { rows: number[]; values: number[] }>;
  tickets: readonly LabelledTicket[];
}

function trainingVectors(model: TriageModel, tickets: readonly LabelledTicket[]): TrainingVectors {
  const postings: TrainingVectors["postings"] = new Map();
  tickets.forEach((ticket, row) => {
    const { indices, values } = vectorsOf(model, ticket).terms;
    indices.forEach((position, k) => {
      let posting = postings.get(position);
      if (!posting) {
        posting = { rows: [], values: [] };
        postings.set(position, posting);
      }
      posting.rows.push(row);
      posting.values.push(values[k] as number);
    });
  });
  return { postings, tickets };
}

/** Cosine over the `terms` view: calibration's stand-in for the store's similar-ticket search. */
function nearestInMemory(
  training: TrainingVectors,
  query: TicketVectors,
  count: number,
): Neighbour[] {
  // A term most tickets hold barely moves a cosine ranking and would touch every row.
  const commonPosting = Math.max(50, training.tickets.length * 0.05);
  const scores = new Map<number, number>();
  query.terms.indices.forEach((position, k) => {
    const posting = training.postings.get(position);
    if (!posting || posting.rows.length > commonPosting) return;
    const weight = query.terms.values[k] as number;
    posting.rows.forEach((row, n) => {
      scores.set(row, (scores.get(row) ?? 0) + weight * (posting.values[n] as number));
    });
  });
  // The best `count` by selection: sorting every scored row per query is what made this slow.
  const best: [row: number, score: number][] = [];
  for (const entry of scores) {
    if (best.length === count && entry[1] <= (best[count - 1] as [number, number])[1]) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1] as [number, number])[1] < entry[1]) at--;
    best.splice(at, 0, entry);
    if (best.length > count) best.pop();
  }
  return best.map(([row, score]) => ({
    score,
    labels: (training.tickets[row] as LabelledTicket).labels,
  }));
}
