import { servicesOfTicket } from "../catalogue/services-named.js";
import type { AnswerEvent } from "../contract/answer-event.js";
import type { Coverage } from "../contract/coverage.js";
import type { AnswerFallback, DoneEvent, FinishReason } from "../contract/done-event.js";
import type { ServiceEntry } from "../contract/service-entry.js";
import type { Logger } from "../logger.js";
import type { ChatModel } from "../model/chat-model.js";
import type { ChatStreamPart } from "../model/chat-stream-part.js";
import { streamChatCompletion } from "../model/stream-chat-completion.js";
import type { PromptLibrary } from "../prompts/prompt.js";
import { type SearchDeps, searchKb } from "../retrieval/search-kb.js";
import type { SearchQuery } from "../retrieval/search-query.js";
import type { Source } from "../retrieval/source.js";
import {
  errorCodeOf,
  errorEvent,
  fallbackMessage,
  unknownCitationWarning,
} from "./answer-events.js";
import type { AnswerTools } from "./answer-tool.js";
import { buildGroundedPrompt } from "./build-grounded-prompt.js";
import { chatWithTools, type ToolRoundPart } from "./chat-with-tools.js";
import { createToolSession } from "./create-tool-session.js";
import { doneEvent, type ModelWriter } from "./done-event.js";
import { extractCitations } from "./extract-citations.js";
import { buildExtractiveAnswer } from "./extractive-answer.js";
import { judgeCoverage, readQuestionRarity } from "./judge-coverage.js";
import { readKbLinkTargets } from "./kb-links.js";
import { notCoveredAnswer } from "./not-covered-answer.js";
import { otherSectionsOf } from "./other-sections-of.js";
import { readWriteups, type Writeup } from "./read-writeups.js";
import { ownerLine, serviceSources } from "./service-sources.js";
import { summariseSource } from "./summarise-source.js";
import { withPreviousTurns } from "./with-previous-turns.js";
import { withTicketThread } from "./with-ticket-thread.js";

/** A ticket's description may name many services; its sources stop at the first few. */
const maxServiceSources = 3;

export interface AnswerDeps extends SearchDeps {
  /** Absent: answers are extractive (the offline default). */
  chat: ChatModel | undefined;
  /** The prompt files as last read; the model answers from `ask`. */
  prompts: PromptLibrary;
  logger: Logger;
  /** Absent (TOOLS off): the model answers from the sources alone, and no tool events are sent. */
  tools?: AnswerTools | undefined;
}

export interface AnswerOptions {
  requestId: string;
  signal?: AbortSignal | undefined;
}

/**
 * The answer stream: `sources` first, then `delta`s, then `done`, or an
 * `error` as the last event. Never throws for upstream failures; a client
 * leaving (the signal) just ends the stream.
 */
export async function* answerQuestion(
  deps: AnswerDeps,
  query: SearchQuery,
  options: AnswerOptions,
): AsyncGenerator<AnswerEvent> {
  const { requestId, signal } = options;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let firstTokenMs: number | null = null;

  let sources: Source[];
  let coverage: Coverage;
  try {
    // The words' rarity depends on the question alone: read it while the search runs.
    const rarity = readQuestionRarity(deps.reader, query);
    rarity.catch(() => {}); // awaited below, where a failure is reported
    sources = await searchKb(deps, query, { signal });
    coverage = await judgeCoverage(deps.reader, query, sources, rarity);
  } catch (error) {
    if (signal?.aborted) return;
    yield errorEvent(error, requestId, deps.logger);
    return;
  }
  const retrievalMs = elapsed();
  // The ticket's services from the catalogue: who owns it and who is on call, after the documents.
  const catalogue = deps.catalogue?.() ?? null;
  const named = catalogue
    ? servicesOfTicket(catalogue, query.ticket).slice(0, maxServiceSources)
    : [];
  const services = serviceSources(named, sources.length + 1, catalogue?.file ?? "");
  yield {
    type: "sources",
    requestId,
    coverage,
    sources: [...sources.map(summariseSource), ...services],
  };
  /**
   * The offline answer's last lines: whom to call. A covered answer cites the service sources; a
   * not-covered one names the owner without citing, as it stays ungrounded (nothing answered it).
   */
  const ownerLines = (cite: boolean) =>
    services.map(
      (source, position) =>
        `\n\n${ownerLine(named[position] as ServiceEntry)}${cite ? ` [${source.n}]` : ""}.`,
    );
  const serviceCitations = services.map((source) => source.n);

  /**
   * `writer`: the model that wrote the answer and what it reported; null when no model did.
   * `fallback`: why a model that was asked wrote nothing, when the answer was extracted instead.
   */
  const done = (
    finishReason: FinishReason,
    citations: number[],
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

  if (coverage !== "covered") {
    firstTokenMs = elapsed();
    yield { type: "delta", text: notCoveredAnswer(coverage, sources) };
    for (const line of ownerLines(false)) yield { type: "delta", text: line };
    yield done("not_covered", [], null);
    return;
  }

  async function* extractiveAnswer(
    fallback: AnswerFallback | null,
    finishReason: FinishReason = "stop",
  ): AsyncGenerator<AnswerEvent> {
    let writeups: Map<string, Writeup> = new Map();
    let linkTargets: Map<string, string> = new Map();
    let otherSections: Source[] = [];
    try {
      const snapshot = await deps.reader.snapshot();
      const paths = [...new Set(sources.map((source) => source.path))];
      const [chunks, links] = await Promise.all([
        snapshot.chunksOfDocuments(paths),
        readKbLinkTargets(snapshot, sources),
      ]);
      linkTargets = links;
      otherSections = otherSectionsOf(sources, chunks);
      writeups = await readWriteups(snapshot, sources);
    } catch (error) {
      if (signal?.aborted) return;
      // The sources alone still answer: the rest of their documents, the story and the links are extras.
      deps.logger.warn("reading writeups and link targets failed", { requestId, error });
    }
    const ticket = query.ticket;
    const context = [ticket?.title, ticket?.description].filter(Boolean).join("\n");
    const answer = buildExtractiveAnswer(query.question, sources, {
      writeups,
      linkTargets,
      context,
      otherSections,
    });
    firstTokenMs = elapsed();
    // Paragraph by paragraph, so clients render it the same way as a model's stream.
    for (const piece of answer.text.split(/(?<=\n\n)/)) yield { type: "delta", text: piece };
    for (const line of ownerLines(true)) yield { type: "delta", text: line };
    yield done(finishReason, [...answer.citations, ...serviceCitations], null, fallback);
  }

  if (!deps.chat) {
    yield* extractiveAnswer(null);
    return;
  }

  let text = "";
  // Read once: a prompt file reloaded mid-answer does not change the version this answer reports.
  const prompt = deps.prompts.current("ask");
  const messages = withTicketThread(
    withPreviousTurns(buildGroundedPrompt(query, sources, prompt), query.history),
    query.ticket,
    deps.chat,
  );
  const parts: AsyncGenerator<ChatStreamPart | ToolRoundPart> = deps.tools
    ? chatWithTools(
        deps.chat,
        messages,
        deps.tools,
        createToolSession({
          sources,
          requestId,
          signal,
          question: query.question,
          ticketId: query.ticket?.id,
          deliverAction: deps.tools.deliverAction,
        }),
        {
          signal,
          logger: deps.logger,
          requestId,
          guidance: deps.prompts.current("tools").template,
        },
      )
    : streamChatCompletion(deps.chat, messages, signal);
  try {
    for await (const part of parts) {
      if (part.type === "event") {
        yield part.event;
      } else if (part.type === "finish" && part.finishReason === "tool_limit" && text === "") {
        // The model wrote nothing but tool calls: the reader gets the extracted answer instead.
        deps.logger.warn("model kept calling tools, answering extractively", {
          requestId,
          model: deps.chat.model,
          maxSteps: deps.tools?.maxSteps,
        });
        yield { type: "warning", code: "tool_limit", message: toolLimitMessage };
        yield* extractiveAnswer(null, "tool_limit");
        return;
      } else if (part.type === "text") {
        firstTokenMs ??= elapsed();
        text += part.text;
        yield { type: "delta", text: part.text };
      } else {
        // Deltas already sent cannot be unsent: a made-up citation is dropped and flagged instead.
        const { cited, unknown } = extractCitations(text, sources.length);
        if (unknown.length > 0) yield unknownCitationWarning(unknown, sources.length);
        const event = done(part.finishReason, cited, {
          model: deps.chat.model,
          usage: part.usage,
          promptVersion: prompt.version,
        });
        // Which model and prompt wrote an answer, so a bad one can be traced to both.
        deps.logger.info("model answer", {
          requestId,
          model: deps.chat.model,
          promptVersion: prompt.version,
          finishReason: part.finishReason,
          usage: part.usage,
          citations: cited,
          unknownCitations: unknown,
        });
        yield event;
      }
    }
  } catch (error) {
    // The client left: nobody is waiting for any answer.
    if (signal?.aborted) return;
    // Once text has flowed, a second answer would be mixed into the first: the failure ends it.
    if (firstTokenMs !== null) {
      yield errorEvent(error, requestId, deps.logger);
      return;
    }
    // Nothing written yet, so the reader gets the extractive answer rather than nothing.
    const code = errorCodeOf(error);
    // A bug of ours stays an error in the log, even though the reader is served.
    deps.logger[code === "internal" ? "error" : "warn"]("model failed, answering extractively", {
      requestId,
      model: deps.chat.model,
      code,
      error,
    });
    yield { type: "warning", code, message: fallbackMessage(code) };
    yield* extractiveAnswer({ code });
  }
}

const toolLimitMessage =
  "The model kept calling tools instead of answering, so this answer was extracted from the sources instead.";
