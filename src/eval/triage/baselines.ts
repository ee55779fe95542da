import type { PastTicket } from "../../ingest/tickets/past-ticket.js";
import { predictSoftmax, trainSoftmax } from "../../triage/softmax-regression.js";
import { buildTermSpace, termIndex, vectorize } from "../../triage/term-space.js";
import { plainTerms } from "../../triage/ticket-terms.js";
import type { TriageField } from "../../triage/triage-model.js";

/** Predicts one field's label for a ticket; null when it has none to give. */
export type Predictor = (ticket: PastTicket) => string | null;

/** The most frequent label of the training tickets, for every ticket. */
export function majorityBaseline(training: readonly PastTicket[], field: TriageField): Predictor {
  const counts = new Map<string, number>();
  for (const ticket of training) {
    const label = ticket[field];
    if (label !== null) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const majority = [...counts].sort((left, right) => right[1] - left[1])[0]?.[0] ?? null;
  return () => majority;
}

/**
 * A plain TF-IDF linear classifier: the lowercased words of title and
 * description, sublinear TF-IDF, multinomial logistic regression; nothing
 * else (no stemming, word pairs, service, neighbours or calibration).
 */
export function tfidfBaseline(training: readonly PastTicket[], field: TriageField): Predictor {
  const labelled = training.filter((ticket) => ticket[field] !== null);
  const labels = [...new Set(labelled.map((ticket) => ticket[field] as string))];
  if (labels.length === 0) return () => null;
  if (labels.length === 1) return () => labels[0] as string;
  const documents = labelled.map(plainTerms);
  const space = buildTermSpace(documents);
  const index = termIndex(space);
  const positions = new Map(labels.map((label, position) => [label, position]));
  const model = trainSoftmax(
    documents.map((terms) => vectorize(terms, space, index)),
    Int32Array.from(labelled, (ticket) => positions.get(ticket[field] as string) as number),
    { classes: labels.length, features: space.terms.length },
  );
  return (ticket) => {
    const scores = predictSoftmax(model, vectorize(plainTerms(ticket), space, index));
    let best = 0;
    for (let c = 1; c < scores.length; c++)
      if ((scores[c] as number) > (scores[best] as number)) best = c;
    return labels[best] as string;
  };
}
