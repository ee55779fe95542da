import type { ChatCompletion, ChatCompletionChunk } from "../contract/chat-completion-response.js";
import { chatModelId } from "../contract/chat-completion-response.js";
import type { DoneEvent, FinishReason } from "../contract/done-event.js";
import type { JsonAnswer } from "../contract/json-answer.js";
import type { SourceSummary } from "../contract/source-summary.js";
import type { AnswerEventEncoder } from "./write-answer-stream.js";

/** What every chunk of one completion shares. */
export interface ChatCompletionMeta {
  id: string;
  /** Unix seconds. */
  created: number;
  /** Where `/v1/sections/<id>` links in the sources line point; the request's own origin. */
  origin: string;
}

/**
 * `not_covered` and `tool_limit` have no OpenAI name: the text says the KB does not cover it, or
 * is the extracted answer, and the answer stopped.
 */
function chatFinishReason(reason: FinishReason): "stop" | "length" | "content_filter" {
  return reason === "not_covered" || reason === "tool_limit" ? "stop" : reason;
}

/**
 * The cited sources as a line of links after the answer, so a chat client
 * that shows only text still shows where `[n]` leads; a follow-up sent back
 * with it names the sections it cited (`/v1/sections/<id>`).
 */
export function sourcesLine(
  sources: readonly SourceSummary[],
  citations: readonly number[],
  origin: string,
): string {
  const cited = sources.filter((source) => citations.includes(source.n));
  if (cited.length === 0) return "";
  const links = cited.map((source) => {
    const name = [source.title, ...source.headingPath].join(" › ").replace(/[[\]]/g, "");
    const route = source.kind === "service" ? "services" : "sections";
    return `[${source.n}] [${name}](${origin}/v1/${route}/${encodeURIComponent(source.id)})`;
  });
  return `\n\nSources: ${links.join(" · ")}`;
}

/**
 * The answer stream as OpenAI `chat.completion.chunk`s: the role and the
 * sources (`kb_sources`) first, a chunk per delta, the sources line, a last
 * chunk with the finish reason and `kb_citations`, then `data: [DONE]`. An
 * error after the first chunk is a `data: {"error": …}` line, which OpenAI's
 * clients raise.
 */
export function chatChunkEncoder(meta: ChatCompletionMeta): AnswerEventEncoder {
  let sources: SourceSummary[] = [];
  const warnings: object[] = [];
  const chunk = (
    delta: ChatCompletionChunk["choices"][number]["delta"],
    finishReason: ChatCompletionChunk["choices"][number]["finish_reason"] = null,
    extra: Partial<ChatCompletionChunk> = {},
  ) => {
    const body: ChatCompletionChunk = {
      id: meta.id,
      object: "chat.completion.chunk",
      created: meta.created,
      model: chatModelId,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
      ...extra,
    };
    return `data: ${JSON.stringify(body)}\n\n`;
  };
  return (type, data) => {
    if (type === "sources") {
      const event = data as {
        requestId: string;
        coverage: ChatCompletion["kb_coverage"];
        sources: SourceSummary[];
      };
      sources = event.sources;
      return chunk({ role: "assistant", content: "" }, null, {
        kb_request_id: event.requestId,
        kb_coverage: event.coverage,
        kb_sources: event.sources,
      });
    }
    if (type === "delta") return chunk({ content: (data as { text: string }).text });
    if (type === "tool_result") {
      // A tool's sections may be cited: the sources line must be able to link them.
      sources = [...sources, ...((data as { sources?: SourceSummary[] }).sources ?? [])];
      return "";
    }
    if (type === "warning") {
      warnings.push(data);
      return "";
    }
    if (type === "done") {
      const done = data as Omit<DoneEvent, "type">;
      const line = sourcesLine(sources, done.citations, meta.origin);
      return (
        (line ? chunk({ content: line }) : "") +
        chunk({}, chatFinishReason(done.finishReason), {
          kb_citations: done.citations,
          kb_mode: done.mode,
          kb_warnings: warnings as ChatCompletion["kb_warnings"] & object,
          ...(done.usage
            ? {
                usage: {
                  prompt_tokens: done.usage.promptTokens,
                  completion_tokens: done.usage.completionTokens,
                  total_tokens: done.usage.totalTokens,
                },
              }
            : {}),
        }) +
        "data: [DONE]\n\n"
      );
    }
    if (type === "error") {
      const { code, message } = data as { code: string; message: string };
      return `data: ${JSON.stringify({ error: { message, type: openAiErrorType(code), param: null, code } })}\n\n`;
    }
    // Events OpenAI has no place for are left out, as old clients of the answer stream skip them.
    return "";
  };
}

/** A whole answer as an OpenAI `chat.completion`, with the sources line and the kb_ fields. */
export function toChatCompletion(answer: JsonAnswer, meta: ChatCompletionMeta): ChatCompletion {
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: chatModelId,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: answer.answer + sourcesLine(answer.sources, answer.citations, meta.origin),
          refusal: null,
        },
        finish_reason: chatFinishReason(answer.finishReason),
        logprobs: null,
      },
    ],
    ...(answer.usage
      ? {
          usage: {
            prompt_tokens: answer.usage.promptTokens,
            completion_tokens: answer.usage.completionTokens,
            total_tokens: answer.usage.totalTokens,
          },
        }
      : {}),
    kb_request_id: answer.requestId,
    kb_coverage: answer.coverage,
    kb_sources: answer.sources,
    kb_citations: answer.citations,
    kb_mode: answer.mode,
    kb_warnings: answer.warnings ?? [],
  };
}

/** OpenAI's error `type` for one of our codes, by its status class. */
export function openAiErrorType(code: string): string {
  if (code === "unauthorized") return "authentication_error";
  if (code === "forbidden") return "permission_error";
  if (code === "not_found") return "not_found_error";
  if (code === "rate_limited") return "rate_limit_error";
  if (
    code === "invalid_request" ||
    code === "payload_too_large" ||
    code === "unsupported_media_type"
  )
    return "invalid_request_error";
  return "server_error";
}
