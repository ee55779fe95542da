import type { SimilarFilters } from "../contract/similar-request.js";
import type {
  SimilarIncident,
  SimilarResponse,
  SimilarTicket,
} from "../contract/similar-response.js";
import type { Ticket } from "../contract/ticket.js";
import { buildSearchText } from "../retrieval/build-search-text.js";
import { fullTextTerms, spelledOutTerms } from "../retrieval/full-text-terms.js";
import { fuseScores } from "../retrieval/fuse-scores.js";
import { defaultRetrievalTuning } from "../retrieval/retrieval-tuning.js";
import { type SearchDeps, searchKb } from "../retrieval/search-kb.js";
import type { IndexSnapshot } from "../store/index-snapshot.js";
import type { TicketFilters } from "../store/ticket-filters.js";
import { cleanTicketText } from "../text/clean-ticket-text.js";
import { foldNearDuplicates } from "./fold-near-duplicates.js";

export interface SimilarQuery {
  ticket: Ticket;
  filters?: SimilarFilters | undefined;
  topK: number;
}

/**
 * The past tickets and the incident writeups most like a ticket. Tickets:
 * BM25 over title, description and resolution (and vectors, at the
 * deployment's vector weight), fused, the ticket's own service favoured as in
 * retrieval, the ticket itself left out, near-duplicates folded. Writeups:
 * the knowledge-base search restricted to `kind: incident`, one per writeup.
 */
export async function findSimilar(
  deps: SearchDeps,
  query: SimilarQuery,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<SimilarResponse> {
  const snapshot = await deps.reader.snapshot();
  const ticket = cleanedTicket(query.ticket);
  const [tickets, incidents] = await Promise.all([
    similarTickets(deps, snapshot, { ...query, ticket }, options.signal),
    similarIncidents(deps, snapshot, { ...query, ticket }, options.signal),
  ]);
  return { tickets, incidents };
}

async function similarTickets(
  deps: SearchDeps,
  snapshot: IndexSnapshot,
  query: SimilarQuery,
  signal: AbortSignal | undefined,
): Promise<SimilarTicket[]> {
  const tuning = { ...defaultRetrievalTuning, ...deps.tuning };
  const text = buildSearchText({ question: "", ticket: query.ticket, topK: query.topK });
  const filters = toTicketFilters(query.filters);
  // Enough that folding duplicates and dropping the ticket itself still leave topK.
  const limit = Math.max(30, query.topK * 6);
  const vectorHits = async () => {
    if (tuning.vectorWeight === 0) return [];
    const [vector] = await deps.embedder.embed([text], { signal });
    return snapshot.nearestTickets(vector as Float32Array, {
      filters,
      limit,
      probes: tuning.vectorProbes,
    });
  };
  // Shorthand spelled out ("k8s pvc" as "kubernetes persistent volume claim"), as a ranking of its
  // own at the long forms' weight: it reinforces the ticket's own words, never outvotes them.
  const longFormHits = async () => {
    const terms = spelledOutTerms(text, tuning.longFormWeight);
    return terms === undefined ? [] : snapshot.ticketFullTextCandidates(terms, { filters, limit });
  };
  const [textHits, nearest, spelledOutHits] = await Promise.all([
    snapshot.ticketFullTextCandidates(fullTextTerms(text), { filters, limit }),
    vectorHits(),
    longFormHits(),
  ]);
  const service = query.ticket.service?.toLowerCase();
  const ranked = fuseScores(
    [
      { items: textHits, weight: tuning.fullTextWeight },
      { items: nearest, weight: tuning.vectorWeight },
      { items: spelledOutHits, weight: tuning.longFormWeight },
    ],
    (ticket) => ticket.id,
  )
    .filter(({ item }) => item.id !== query.ticket.id)
    .map(({ item, score }) => ({
      item,
      score:
        service !== undefined && item.service?.toLowerCase() === service
          ? score * tuning.ticketServiceBoost
          : score,
    }))
    .sort((left, right) => right.score - left.score)
    .map(
      ({ item, score }): Omit<SimilarTicket, "duplicates"> => ({
        kind: "ticket",
        id: item.id,
        title: item.title,
        resolution: item.resolution,
        openedAt: item.openedAt,
        resolvedAt: item.resolvedAt,
        labels: {
          category: item.category,
          priority: item.priority,
          team: item.team,
          service: item.service,
        },
        score,
      }),
    );
  return foldNearDuplicates(ranked).slice(0, query.topK);
}

async function similarIncidents(
  deps: SearchDeps,
  snapshot: IndexSnapshot,
  query: SimilarQuery,
  signal: AbortSignal | undefined,
): Promise<SimilarIncident[]> {
  const { ticket, filters } = query;
  const question = ticket.title ?? ticket.description?.slice(0, 500) ?? "";
  // Writeups contribute up to two sections each, and the filters below drop some: ask for more.
  const sources = await searchKb(
    deps,
    {
      question,
      ticket,
      filters: {
        kind: ["incident"],
        ...(filters?.services ? { services: filters.services } : {}),
      },
      topK: Math.min(60, query.topK * 3),
    },
    { signal },
  );
  const best = new Map<string, { sectionId: string; score: number }>();
  for (const source of sources) {
    if (!best.has(source.path))
      best.set(source.path, { sectionId: source.id, score: source.score });
  }
  const facts = await snapshot.incidentFacts([...best.keys()]);
  const teams = filters?.teams?.map((team) => team.toLowerCase());
  const from = filters?.since?.slice(0, 10);
  const to = filters?.until?.slice(0, 10);
  const incidents: SimilarIncident[] = [];
  for (const [path, { sectionId, score }] of best) {
    const writeup = facts.get(path);
    if (!writeup) continue;
    if (teams?.length && !teams.includes(writeup.owner?.toLowerCase() ?? "")) continue;
    if ((from || to) && writeup.date === null) continue;
    if (from && (writeup.date ?? "") < from) continue;
    if (to && (writeup.date ?? "") > to) continue;
    incidents.push({
      kind: "incident",
      id: path,
      title: writeup.title,
      rootCause: writeup.rootCause,
      resolution: writeup.resolution,
      date: writeup.date,
      labels: {
        category: null,
        priority: writeup.severity,
        team: writeup.owner,
        service: writeup.services[0] ?? null,
      },
      score,
      sectionId,
    });
  }
  return incidents.slice(0, query.topK);
}

/** A ticket pasted from an e-mail searches by its problem, not its signature. */
function cleanedTicket(ticket: Ticket): Ticket {
  if (!ticket.description) return ticket;
  return { ...ticket, description: cleanTicketText(ticket.description) };
}

/** Days become whole days: `since` from its first second, `until` to its last. */
function toTicketFilters(filters: SimilarFilters | undefined): TicketFilters | undefined {
  if (!filters) return undefined;
  return {
    services: filters.services,
    teams: filters.teams,
    openedFrom: filters.since ? instant(filters.since, "T00:00:00Z") : undefined,
    openedTo: filters.until ? instant(filters.until, "T23:59:59Z") : undefined,
  };
}

/** ISO 8601 UTC without milliseconds, as tickets are stored. */
function instant(value: string, timeOfDay: string): string {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}${timeOfDay}` : value;
  return new Date(text).toISOString().replace(/\.\d{3}Z$/, "Z");
}
