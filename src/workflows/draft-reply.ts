import {
  errorCodeOf,
  errorEvent,
  fallbackMessage,
  unknownCitationWarning,
} from "../answer/answer-events.js";
import { doneEvent, type ModelWriter } from "../answer/done-event.js";
import { extractCitations } from "../answer/extract-citations.js";
import { selectSteps } from "../answer/extractive-answer.js";
import { snippetOf } from "../answer/snippet-of.js";
import { summariseSource } from "../answer/summarise-source.js";
import { withTicketThread } from "../answer/with-ticket-thread.js";
import type { AnswerEvent } from "../contract/answer-event.js";
import type { AnswerFallback, DoneEvent, FinishReason } from "../contract/done-event.js";
import type { DraftAudience } from "../contract/draft-reply-request.js";
import type { SimilarTicket } from "../contract/similar-response.js";
import type { SourceSummary } from "../contract/source-summary.js";
import type { Ticket } from "../contract/ticket.js";
import type { TriageResponse } from "../contract/triage-response.js";
import type { Logger } from "../logger.js";
import type { ChatModel } from "../model/chat-model.js";
import { streamChatCompletion } from "../model/stream-chat-completion.js";
import type { PromptLibrary } from "../prompts/prompt.js";
import { searchKb } from "../retrieval/search-kb.js";
import type { Source } from "../retrieval/source.js";
import { createRedactingStream } from "../text/redacting-stream.js";
import { buildDraftPrompt } from "./build-draft-prompt.js";
import { type TriageDeps, triageTicket } from "./triage-ticket.js";
import { type DraftMaterial, writeOfflineDraft } from "./write-offline-draft.js";

export interface DraftReplyDeps extends TriageDeps {
  /** Absent: drafts are written from the template (the offline default). */
  chat: ChatModel | undefined;
  /** The prompt files as last read; the model drafts from `draft-reply`. */
  prompts: PromptLibrary;
  logger: Logger;
}

export interface DraftReplyQuery {
  ticket: Ticket;
  /** Triage already done for this ticket; triaged afresh when absent. */
  triage?: TriageResponse | undefined;
  audience: DraftAudience;
}

/** Past tickets whose resolutions the draft may use. */
const maxPastTickets = 2;
/** Runbook sections searched for steps. */
const maxRunbooks = 3;
/** Steps a draft lists. */
const maxSteps = 5;
/** Sentences of a past resolution quoted. */
const maxFixSentences = 2;

/**
 * A first reply to a ticket, on the answer stream's contract: `sources` (the
 * similar past tickets and runbook sections used), the draft as `delta`s, then
 * `done`. Never throws for failures of its own; a client leaving ends the stream.
 */
export async function* draftReply(
  deps: DraftReplyDeps,
  query: DraftReplyQuery,
  options: { requestId: string; signal?: AbortSignal | undefined },
): AsyncGenerator<AnswerEvent> {
  const { requestId, signal } = options;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);

  let material: DraftMaterial;
  try {
    material = await gatherMaterial(deps, query, signal);
  } catch (error) {
    if (signal?.aborted) return;
    yield errorEvent(error, requestId, deps.logger);
    return;
  }
  const retrievalMs = elapsed();
  const summaries = [
    ...material.pastTickets.map(({ n, ticket }) => ticketSummary(n, ticket)),
    ...material.runbooks.map(summariseSource),
  ];
  yield {
    type: "sources",
    requestId,
    coverage: summaries.length > 0 ? "covered" : "none",
    sources: summaries,
  };

  const done = (
    finishReason: FinishReason,
    citations: number[],
    firstTokenMs: number | null,
    writer: ModelWriter | null,
    fallback: AnswerFallback | null = null,
  ): DoneEvent =>
    doneEvent({
      requestId,
      finishReason,
      citations,
      writer,
      fallback,
      timings: { retrievalMs, firstTokenMs, totalMs: elapsed() },
    });

  async function* offlineDraft(fallback: AnswerFallback | null): AsyncGenerator<AnswerEvent> {
    const draft = writeOfflineDraft(material, query.audience);
    if (draft.redacted > 0) {
      // The template should never let internal detail through; when it does, say so in the log.
      deps.logger.info("draft reply redacted", { requestId, removed: draft.redacted });
    }
    const firstTokenMs = elapsed();
    for (const [index, paragraph] of draft.paragraphs.entries()) {
      yield { type: "delta", text: index === 0 ? paragraph : `\n\n${paragraph}` };
    }
    yield done("stop", draft.citations, firstTokenMs, null, fallback);
  }

  if (!deps.chat) {
    yield* offlineDraft(null);
    return;
  }

  const prompt = buildDraftPrompt(material, query.audience, deps.prompts.current("draft-reply"));
  // A reporter reply is redacted as it streams, whatever the model wrote.
  const redactor =
    query.audience === "reporter"
      ? createRedactingStream(query.ticket.id ? [query.ticket.id] : [])
      : undefined;
  let text = "";
  let firstTokenMs: number | null = null;
  try {
    // A reporter's draft never sees internal notes: they are not in its prompt at all.
    const messages = withTicketThread(
      prompt.messages,
      query.ticket,
      deps.chat,
      query.audience === "reporter" ? "reporter" : "internal",
    );
    for await (const part of streamChatCompletion(deps.chat, messages, signal)) {
      if (part.type === "text") {
        text += part.text;
        const piece = redactor ? redactor.push(part.text) : part.text;
        if (piece === "") continue;
        firstTokenMs ??= elapsed();
        yield { type: "delta", text: piece };
        continue;
      }
      const rest = redactor?.end() ?? "";
      if (rest !== "") {
        firstTokenMs ??= elapsed();
        yield { type: "delta", text: rest };
      }
      // Deltas already sent cannot be unsent: a made-up citation is dropped and flagged instead.
      const { cited, unknown } = extractCitations(text, summaries.length);
      if (unknown.length > 0) yield unknownCitationWarning(unknown, summaries.length);
      // Which model and prompt wrote a draft, so a bad one can be traced to both.
      deps.logger.info("model draft", {
        requestId,
        model: deps.chat.model,
        promptVersion: prompt.version,
        audience: query.audience,
        finishReason: part.finishReason,
        usage: part.usage,
        citations: cited,
        unknownCitations: unknown,
        redacted: redactor?.removed() ?? 0,
      });
      yield done(part.finishReason, cited, firstTokenMs, {
        model: deps.chat.model,
        usage: part.usage,
        promptVersion: prompt.version,
      });
    }
  } catch (error) {
    // The client left: nobody is waiting for any draft.
    if (signal?.aborted) return;
    // Once text has flowed, a second draft would be mixed into the first: the failure ends it.
    if (firstTokenMs !== null) {
      yield errorEvent(error, requestId, deps.logger);
      return;
    }
    // Nothing written yet, so the agent gets the template draft rather than nothing.
    const code = errorCodeOf(error);
    deps.logger[code === "internal" ? "error" : "warn"](
      "model failed, drafting from the template",
      {
        requestId,
        model: deps.chat.model,
        code,
        error,
      },
    );
    yield { type: "warning", code, message: fallbackMessage(code) };
    yield* offlineDraft({ code });
  }
}

/**
 * The triage (given or done now), the past tickets with a resolution, the runbook
 * sections for the ticket's problem, and the steps the extractive answer picks from them.
 */
async function gatherMaterial(
  deps: DraftReplyDeps,
  query: DraftReplyQuery,
  signal: AbortSignal | undefined,
): Promise<DraftMaterial> {
  const { ticket } = query;
  const problem = ticket.title ?? ticket.description?.slice(0, 500) ?? ticket.logs?.slice(-500);
  // Worded as a request for what to do, so the runbooks' acting sections lead.
  const question = `${problem ?? ""}: what should we do next?`;
  const [triage, runbookHits] = await Promise.all([
    // The offline triage: the draft's model call is the reply itself, not a second one for labels.
    query.triage ??
      triageTicket({ ...deps, chat: undefined }, { ticket, topK: maxRunbooks }, { signal }),
    searchKb(
      deps,
      { question, ticket, filters: { kind: ["runbook"] }, topK: maxRunbooks },
      { signal },
    ),
  ]);
  const pastTickets = triage.similar.tickets
    .filter((past) => past.resolution && past.id !== ticket.id)
    .slice(0, maxPastTickets)
    .map((past, index) => ({ n: index + 1, ticket: past }));
  const runbooks = runbookHits.map((source, index) => ({
    ...source,
    n: pastTickets.length + index + 1,
  }));
  const context = [ticket.title, ticket.description].filter(Boolean).join("\n");
  const best = pastTickets[0];
  const pastFix = best
    ? selectSteps(question, [resolutionSource(best.n, best.ticket)], {
        context,
        maxSteps: maxFixSentences,
      })
    : undefined;
  return {
    ticket,
    triage,
    taxonomy: deps.taxonomy(),
    pastTickets,
    runbooks,
    steps: selectSteps(question, runbooks, { context, maxSteps }),
    pastFix,
  };
}

/** A past ticket's resolution read as a source, so the extractive selection can pick its sentences. */
function resolutionSource(n: number, ticket: SimilarTicket): Source {
  return {
    n,
    id: ticket.id,
    path: "",
    title: ticket.title,
    headingPath: [],
    kind: "ticket",
    services: ticket.labels.service ? [ticket.labels.service] : [],
    score: ticket.score,
    text: ticket.resolution ?? "",
    position: 0,
  };
}

/** A past ticket as a source: its number as `id`, no path, its resolution as the snippet. */
function ticketSummary(n: number, ticket: SimilarTicket): SourceSummary {
  return {
    n,
    id: ticket.id,
    path: "",
    title: ticket.title,
    headingPath: [],
    kind: "ticket",
    services: ticket.labels.service ? [ticket.labels.service] : [],
    score: ticket.score,
    snippet: snippetOf(ticket.resolution ?? ""),
  };
}
