import { ownerOfTicket } from "../catalogue/owner-of-ticket.js";
import type { Ticket } from "../contract/ticket.js";
import type { TriageLabel, TriageResponse } from "../contract/triage-response.js";
import type { ChatModel } from "../model/chat-model.js";
import type { PromptLibrary } from "../prompts/prompt.js";
import { type SearchDeps, searchKb } from "../retrieval/search-kb.js";
import { labelKey } from "../taxonomy/label-key.js";
import type { Taxonomy } from "../taxonomy/taxonomy.js";
import { cleanTicketText } from "../text/clean-ticket-text.js";
import { decideLabel, type ServiceOwner } from "../triage/decide-label.js";
import { pickTags } from "../triage/pick-tags.js";
import { splitProblems } from "../triage/split-problems.js";
import { summarizeTicket } from "../triage/ticket-summary.js";
import type { TicketText } from "../triage/ticket-terms.js";
import {
  type Neighbour,
  scoreField,
  type TriageField,
  type TriageModel,
  triageFields,
  vectorsOf,
} from "../triage/triage-model.js";
import { findSimilar } from "./find-similar.js";
import type { TriageModelCache } from "./triage-model-cache.js";
import { type LabelChoices, type ModelTriage, triageWithModel } from "./triage-with-model.js";

export interface TriageDeps extends SearchDeps {
  /** The taxonomy as last read; null without a file (the history's labels are then the taxonomy). */
  taxonomy: () => Taxonomy | null;
  models: TriageModelCache;
  /** A label below this confidence needs review. */
  reviewThreshold: number;
  /** With a chat model, it chooses the labels (structured output); without, the offline classifier. */
  chat?: ChatModel | undefined;
  /** Where the `triage` prompt comes from; needed with a chat model. */
  prompts?: PromptLibrary | undefined;
}

export interface TriageQuery {
  ticket: Ticket;
  topK: number;
}

/** Similar past tickets whose labels vote. */
const votingNeighbours = 10;
/** Pasted logs weigh in, but a long paste must not drown the description. */
const logCharacters = 2_000;

/**
 * Offline triage: the classifier trained at ingest, mixed with the labels of
 * the most similar past tickets, held to the taxonomy and its rules. A ticket
 * that reports several problems is triaged on its most urgent one.
 */
export async function triageTicket(
  deps: TriageDeps,
  query: TriageQuery,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<TriageResponse> {
  const snapshot = await deps.reader.snapshot();
  const model = await deps.models.current(snapshot);
  const taxonomy = deps.taxonomy();
  const ticket = readTicket(query.ticket);
  const parts = ticket.description ? splitProblems(ticket.description) : [];
  const problems: TicketText[] =
    parts.length >= 2
      ? parts.map((part, position) => ({
          title: position === 0 ? ticket.title : null,
          description: part,
          service: ticket.service,
        }))
      : [ticket];
  const blocker = mostUrgent(problems, model, taxonomy);
  const main = problems[blocker] as TicketText;
  const mainTicket: Ticket = {
    ...asTicket(main),
    ...(query.ticket.id ? { id: query.ticket.id } : {}),
  };

  const [similar, documents] = await Promise.all([
    findSimilar(
      deps,
      { ticket: mainTicket, topK: Math.max(votingNeighbours, query.topK) },
      options,
    ),
    searchKb(
      deps,
      {
        question: main.title ?? main.description?.slice(0, 500) ?? "",
        ticket: mainTicket,
        filters: { kind: ["runbook"] },
        topK: query.topK,
      },
      options,
    ),
  ]);
  const neighbours: Neighbour[] = similar.tickets
    .slice(0, votingNeighbours)
    .map((past) => ({ labels: past.labels, score: past.score }));
  const text = lowerText(main);
  const catalogue = deps.catalogue?.() ?? null;
  const offline = (): ModelTriage => ({
    labels: labelsFor(main, model, taxonomy, {
      neighbours,
      text,
      threshold: deps.reviewThreshold,
      owner: ownerOfTicket(catalogue, mainTicket),
    }),
    tags: pickTags({
      text,
      service: main.service,
      vocabulary: taxonomy?.tags ?? [],
      neighbourTexts: similar.tickets
        .slice(0, 5)
        .map((past) => `${past.title} ${past.resolution ?? ""}`.toLowerCase()),
      words: model?.views.words ?? null,
    }),
    summary: summarizeTicket(main),
    others: problems
      .filter((_, position) => position !== blocker)
      .map((problem) => ({
        summary: summarizeTicket(problem),
        ...labelsFor(problem, model, taxonomy, {
          neighbours: [],
          text: lowerText(problem),
          threshold: deps.reviewThreshold,
          owner: ownerOfTicket(catalogue, asTicket(problem)),
        }),
      })),
  });
  const choices = withOwnerNote(
    labelChoices(taxonomy, model),
    ownerOfTicket(catalogue, mainTicket),
  );
  const prompt = deps.chat && choices ? deps.prompts?.current("triage") : undefined;
  const decided =
    deps.chat && choices && prompt
      ? await triageWithModel(
          deps.chat,
          {
            ticket: query.ticket,
            choices,
            examples: similar.tickets.map((past) => ({ title: past.title, labels: past.labels })),
            prompt,
          },
          options,
        )
      : offline();

  const review: string[] = [];
  for (const field of triageFields) {
    const label = decided.labels[field];
    if (label === null) review.push(`no ${field} could be learned from the ticket history`);
    else if (label.confidence < deps.reviewThreshold)
      review.push(`${field} confidence ${label.confidence} is below ${deps.reviewThreshold}`);
  }

  return {
    ...decided.labels,
    tags: decided.tags,
    summary: decided.summary,
    needs_review: review.length > 0,
    review,
    threshold: deps.reviewThreshold,
    others: decided.others,
    similar: {
      tickets: similar.tickets.slice(0, query.topK),
      incidents: similar.incidents.slice(0, query.topK),
    },
    documents: documents.map(({ id, path, title, headingPath, services, score }) => ({
      id,
      path,
      title,
      headingPath,
      services,
      score,
    })),
    mode: deps.chat && prompt ? "model" : "offline",
    model: deps.chat && prompt ? deps.chat.model : null,
    taxonomy: taxonomy ? { version: taxonomy.version, source: taxonomy.source } : null,
    promptVersion: deps.chat && prompt ? prompt.version : null,
  };
}

/**
 * What a chat model may choose from: the taxonomy file's labels (with what they mean), else
 * the labels the history taught the offline model. Null when a field has none to offer.
 */
function labelChoices(taxonomy: Taxonomy | null, model: TriageModel | null): LabelChoices | null {
  if (taxonomy) {
    return {
      category: taxonomy.categories.map((label) => label.name),
      priority: [...taxonomy.priorities].sort((a, b) => a.rank - b.rank).map((label) => label.name),
      team: taxonomy.teams.map((label) => label.name),
      tags: taxonomy.tags,
      notes: [
        ...taxonomy.priorities.map((priority) =>
          [
            `priority ${priority.name}:`,
            priority.description,
            priority.impact && `impact ${priority.impact}`,
            priority.urgency && `urgency ${priority.urgency}`,
            priority.keywords.length > 0 && `e.g. ${priority.keywords.join(", ")}`,
          ]
            .filter(Boolean)
            .join(" "),
        ),
        ...taxonomy.categories
          .filter((category) => category.description)
          .map((category) => `category ${category.name}: ${category.description}`),
        ...taxonomy.teams
          .filter((team) => team.services.length > 0 || team.description)
          .map(
            (team) =>
              `team ${team.name}: ${[team.description, team.services.length > 0 && `owns ${team.services.join(", ")}`].filter(Boolean).join("; ")}`,
          ),
      ],
    };
  }
  const learned = (field: TriageField) => model?.fields[field]?.labels ?? [];
  const choices = {
    category: learned("category"),
    priority: [...learned("priority")].sort((left, right) =>
      left.localeCompare(right, "en", { numeric: true, sensitivity: "base" }),
    ),
    team: learned("team"),
    tags: [],
    notes: [],
  };
  return choices.category.length > 0 && choices.priority.length > 0 && choices.team.length > 0
    ? choices
    : null;
}

/** A model is told what the catalogue says of the ticket's service, as the offline rule uses it. */
function withOwnerNote(
  choices: LabelChoices | null,
  owner: ServiceOwner | null,
): LabelChoices | null {
  if (!choices || !owner) return choices;
  if (!choices.team.some((team) => labelKey(team) === labelKey(owner.team))) return choices;
  return {
    ...choices,
    notes: [...choices.notes, `the service catalogue: ${owner.team} owns ${owner.service}`],
  };
}

/** The ticket as triage reads it: the e-mail wrapping removed, the start of any pasted logs appended. */
function readTicket(ticket: Ticket): TicketText {
  const description = [
    ticket.description ? cleanTicketText(ticket.description) : "",
    ticket.logs ? ticket.logs.slice(0, logCharacters) : "",
  ]
    .filter((part) => part !== "")
    .join("\n");
  return {
    title: ticket.title?.trim() || null,
    description: description === "" ? null : description,
    service: ticket.service?.trim() || null,
  };
}

function asTicket(text: TicketText): Ticket {
  return {
    ...(text.title ? { title: text.title } : {}),
    ...(text.description ? { description: text.description } : {}),
    ...(text.service ? { service: text.service } : {}),
  };
}

function lowerText(ticket: TicketText): string {
  return `${ticket.title ?? ""}\n${ticket.description ?? ""}`.toLowerCase();
}

function labelsFor(
  ticket: TicketText,
  model: TriageModel | null,
  taxonomy: Taxonomy | null,
  context: {
    neighbours: readonly Neighbour[];
    text: string;
    threshold: number;
    owner: ServiceOwner | null;
  },
): Record<TriageField, TriageLabel | null> {
  const vectors = model ? vectorsOf(model, ticket) : null;
  const decide = (field: TriageField) =>
    decideLabel(
      field,
      model && vectors ? scoreField(model, field, ticket, context.neighbours, vectors) : null,
      {
        taxonomy,
        text: context.text,
        service: ticket.service,
        threshold: context.threshold,
        neighbours: context.neighbours.length,
        owner: context.owner,
      },
    );
  return { category: decide("category"), priority: decide("priority"), team: decide("team") };
}

/** The problem whose predicted priority is most urgent; the first on a tie. */
function mostUrgent(
  problems: readonly TicketText[],
  model: TriageModel | null,
  taxonomy: Taxonomy | null,
): number {
  if (problems.length < 2) return 0;
  const ranks = problems.map((problem) => {
    const label = decideLabel(
      "priority",
      model ? scoreField(model, "priority", problem, []) : null,
      { taxonomy, text: lowerText(problem), service: problem.service, threshold: 1, neighbours: 0 },
    )?.label;
    return label === undefined ? Number.POSITIVE_INFINITY : priorityRank(label, model, taxonomy);
  });
  return ranks.indexOf(Math.min(...ranks));
}

/** 0 is most urgent: the taxonomy's order, else the natural order of the learned labels (P1 before P2). */
function priorityRank(label: string, model: TriageModel | null, taxonomy: Taxonomy | null): number {
  const key = labelKey(label);
  if (taxonomy) {
    const found = taxonomy.priorities.find((priority) => labelKey(priority.name) === key);
    if (found) return found.rank;
  }
  const learned = [...(model?.fields.priority?.labels ?? [])].sort((left, right) =>
    left.localeCompare(right, "en", { numeric: true, sensitivity: "base" }),
  );
  const position = learned.findIndex((name) => labelKey(name) === key);
  return position === -1 ? Number.POSITIVE_INFINITY : position;
}
