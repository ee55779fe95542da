import { EventSourceParserStream } from "eventsource-parser/stream";
import type { AnswerEvent } from "../contract/answer-event.js";
import type { ErrorCode } from "../contract/error-code.js";
import type { SearchFilters } from "../contract/search-filters.js";
import type { Ticket } from "../contract/ticket.js";

/**
 * A typed client for the answer stream, for portals and for our own tests.
 * Runs in browsers and Node (fetch, streams; no Node modules). Failures are
 * values, never exceptions: the last event is `done` or `error`.
 */
export type ClientErrorCode =
  | ErrorCode
  /** The server could not be reached, or the connection dropped mid-stream. */
  | "network_error"
  /** The server answered with something other than the documented stream. */
  | "protocol_error";

export type ClientEvent =
  | Exclude<AnswerEvent, { type: "error" }>
  | { type: "error"; code: ClientErrorCode; message: string; requestId?: string; status?: number };

export interface AskRequest {
  question: string;
  ticket?: Ticket;
  filters?: SearchFilters;
  topK?: number;
  /** Aborting ends the iteration quietly and closes the connection, which aborts the model call. */
  signal?: AbortSignal;
}

export interface AskClientOptions {
  /** Where kb-answers runs, e.g. `https://kb.example.internal`. */
  baseUrl: string;
  /** Sent as a bearer token when the server asks for one. */
  apiKey?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

export interface AskClient {
  ask(request: AskRequest): AsyncGenerator<ClientEvent>;
}

const knownEvents = new Set(["sources", "delta", "done", "error"]);

export function createAskClient(options: AskClientOptions): AskClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  return {
    async *ask(request) {
      const { signal, ...body } = request;
      let response: Response;
      try {
        response = await fetchImpl(`${baseUrl}/v1/ask`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "text/event-stream",
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          },
          body: JSON.stringify(body),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (signal?.aborted) return;
        yield networkError(`Could not reach ${baseUrl}: ${describe(error)}`);
        return;
      }
      if (!response.ok) {
        yield await httpError(response);
        return;
      }
      if (
        !response.body ||
        !(response.headers.get("content-type") ?? "").includes("text/event-stream")
      ) {
        yield {
          type: "error",
          code: "protocol_error",
          message: "The server did not answer with an event stream",
        };
        return;
      }
      const reader = response.body
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream())
        .getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          // Unknown event names are for newer clients: skip them.
          if (!value.event || !knownEvents.has(value.event)) continue;
          const event = toClientEvent(value.event, value.data);
          yield event;
          if (event.type === "done" || event.type === "error") return;
        }
        yield {
          type: "error",
          code: "protocol_error",
          message: "The answer stream ended before its done event",
        };
      } catch (error) {
        if (signal?.aborted) return;
        yield networkError(`The answer stream was cut: ${describe(error)}`);
      } finally {
        // Stopping early (break, return, abort) must close the connection, so the server stops too.
        reader.cancel().catch(() => {});
      }
    },
  };
}

function toClientEvent(name: string, data: string): ClientEvent {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    return {
      type: "error",
      code: "protocol_error",
      message: `Event ${name} carried data that is not JSON`,
    };
  }
  if (typeof payload !== "object" || payload === null) {
    return { type: "error", code: "protocol_error", message: `Event ${name} carried no object` };
  }
  if (name === "delta" && typeof (payload as { text?: unknown }).text !== "string") {
    return { type: "error", code: "protocol_error", message: "A delta event carried no text" };
  }
  return { type: name, ...payload } as ClientEvent;
}

async function httpError(response: Response): Promise<ClientEvent> {
  const body = (await response.json().catch(() => undefined)) as
    | { error?: { code?: ClientErrorCode; message?: string }; requestId?: string }
    | undefined;
  return {
    type: "error",
    code: body?.error?.code ?? "protocol_error",
    message: body?.error?.message ?? `The server answered HTTP ${response.status}`,
    status: response.status,
    ...(body?.requestId ? { requestId: body.requestId } : {}),
  };
}

function networkError(message: string): ClientEvent {
  return { type: "error", code: "network_error", message };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
