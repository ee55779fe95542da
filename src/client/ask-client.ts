import { EventSourceParserStream } from "eventsource-parser/stream";
import * as z from "zod/mini";
import { AnswerEvent } from "../contract/answer-event.js";
import type { AskRequest } from "../contract/ask-request.js";
import type { DraftReplyRequest } from "../contract/draft-reply-request.js";
import { ErrorBody } from "../contract/error-body.js";
import type { ErrorCode } from "../contract/error-code.js";
import type { SearchRequest } from "../contract/search-request.js";
import { SearchResponse } from "../contract/search-response.js";
import { SectionResponse } from "../contract/section-response.js";
import { ServiceEntry } from "../contract/service-entry.js";
import { ServiceListResponse } from "../contract/service-list-response.js";
import type { SimilarRequest } from "../contract/similar-request.js";
import { SimilarResponse } from "../contract/similar-response.js";
import type { TriageRequest } from "../contract/triage-request.js";
import { TriageResponse } from "../contract/triage-response.js";
import type { WarningCode } from "../contract/warning-code.js";
import type { WarningEvent } from "../contract/warning-event.js";

/** The server's error codes, plus the client's own two. */
export type ClientErrorCode =
  | ErrorCode
  /** The server could not be reached, or the connection dropped mid-stream. */
  | "network_error"
  /** The server answered with something other than the documented contract. */
  | "protocol_error"
  /** A code added by a newer server than this client knows: shown with its message as it is. */
  | (string & {});

export interface ClientError {
  code: ClientErrorCode;
  /** Safe to show. */
  message: string;
  /** The HTTP status, when the server answered with an error status. */
  status?: number;
  requestId?: string | undefined;
}

/**
 * A `warning` event: `unknown_citation` names the made-up numbers in `citations`; an error
 * code means the model failed with it and the answer that follows was extracted instead.
 */
export interface ClientWarning extends Omit<WarningEvent, "code"> {
  /** A code added by a newer server than this client knows arrives as it is, with its message. */
  code: WarningCode | (string & {});
}

export type ClientEvent =
  | Exclude<AnswerEvent, { type: "error" | "warning" }>
  | ClientWarning
  | ({ type: "error" } & ClientError);

export type ClientResult<Data> = { ok: true; data: Data } | { ok: false; error: ClientError };

/** What `ask` sends: the `/v1/ask` body (it always streams). */
export type ClientAskRequest = Omit<z.input<typeof AskRequest>, "stream"> & {
  /** Aborting ends the iteration quietly and closes the connection, which aborts the model call. */
  signal?: AbortSignal;
};

/** What `draftReply` sends: the `/v1/draft-reply` body (it always streams). */
export type ClientDraftReplyRequest = Omit<z.input<typeof DraftReplyRequest>, "stream"> & {
  signal?: AbortSignal;
};

/** What `search` sends: the `/v1/search` body. */
export type ClientSearchRequest = Omit<z.input<typeof SearchRequest>, "stream"> & {
  signal?: AbortSignal;
};

/** What `similar` sends: the `/v1/similar` body. */
export type ClientSimilarRequest = z.input<typeof SimilarRequest> & { signal?: AbortSignal };

/** What `triage` sends: the `/v1/triage` body. */
export type ClientTriageRequest = z.input<typeof TriageRequest> & { signal?: AbortSignal };

export interface AskClientOptions {
  /** Where kb-answers runs, e.g. `https://kb.example.internal`. */
  baseUrl: string;
  /** Sent as a bearer token when the server asks for one. */
  apiKey?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

export interface AskClient {
  /** `POST /v1/ask`: the answer stream's events as they arrive. */
  ask(request: ClientAskRequest): AsyncGenerator<ClientEvent>;
  /** `POST /v1/draft-reply`: a drafted reply to a ticket, on the answer stream's events. */
  draftReply(request: ClientDraftReplyRequest): AsyncGenerator<ClientEvent>;
  /** `POST /v1/search`: the best sections, whole. */
  search(request: ClientSearchRequest): Promise<ClientResult<SearchResponse>>;
  /** `POST /v1/similar`: past tickets and incident writeups like a ticket. */
  similar(request: ClientSimilarRequest): Promise<ClientResult<SimilarResponse>>;
  /** `POST /v1/triage`: category, priority, team, tags and a summary, with what informed them. */
  triage(request: ClientTriageRequest): Promise<ClientResult<TriageResponse>>;
  /** `GET /v1/sections/:id`: the whole section a source (its `id`) came from. */
  section(id: string, options?: { signal?: AbortSignal }): Promise<ClientResult<SectionResponse>>;
  /** `GET /v1/services/:name`: a service's catalogue entry, by name or alias; `unknown_service` when none. */
  service(name: string, options?: { signal?: AbortSignal }): Promise<ClientResult<ServiceEntry>>;
  /** `GET /v1/services`: the whole service catalogue. */
  services(options?: { signal?: AbortSignal }): Promise<ClientResult<ServiceListResponse>>;
}

/** Other event names are for newer clients: skipped. */
const knownEvents: ReadonlySet<string> = new Set<AnswerEvent["type"]>([
  "sources",
  "delta",
  "done",
  "error",
  "warning",
  "tool_call",
  "tool_result",
  "proposed_action",
]);

/** What every call needs: where the server is, the headers, and JSON reading checked against a schema. */
interface ClientCore {
  baseUrl: string;
  fetchImpl: typeof fetch;
  headers(accept: string, body: boolean): Record<string, string>;
  readJson<Data>(
    url: string,
    init: RequestInit,
    schema: z.ZodMiniType<Data>,
  ): Promise<ClientResult<Data>>;
}

function clientCore(options: AskClientOptions): ClientCore {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = (accept: string, body: boolean): Record<string, string> => ({
    ...(body ? { "content-type": "application/json" } : {}),
    accept,
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  });

  const readJson = async <Data>(
    url: string,
    init: RequestInit,
    schema: z.ZodMiniType<Data>,
  ): Promise<ClientResult<Data>> => {
    let response: Response;
    let body: unknown;
    try {
      response = await fetchImpl(url, init);
      if (!response.ok) return { ok: false, error: await httpError(response) };
      body = await response.json().catch(() => notJson);
    } catch (error) {
      return { ok: false, error: networkError(`Could not reach ${baseUrl}: ${describe(error)}`) };
    }
    if (body === notJson) {
      return { ok: false, error: protocolError("The server did not answer with JSON") };
    }
    const parsed = schema.safeParse(body);
    return parsed.success
      ? { ok: true, data: parsed.data }
      : {
          ok: false,
          error: protocolError(
            `The answer does not match the documented response: ${describeIssues(parsed.error.issues)}`,
          ),
        };
  };

  return { baseUrl, fetchImpl, headers, readJson };
}

/**
 * A typed client for kb-answers, for portals and for our own tests. Runs in
 * browsers and Node (fetch, streams; no Node modules). Everything it reads is
 * checked against the contract's schemas, and failures are values, never
 * exceptions: an answer's last event is `done` or `error`, and the other calls
 * resolve to `{ ok: true, data }` or `{ ok: false, error }`.
 */
export function createAskClient(options: AskClientOptions): AskClient {
  const core = clientCore(options);
  return {
    ask: (request) => streamAnswerVia(core, "/v1/ask", request),
    draftReply: (request) => streamAnswerVia(core, "/v1/draft-reply", request),
    search: (request) => searchVia(core, request),
    similar: (request) => similarVia(core, request),
    triage: (request) => triageVia(core, request),
    section: (id, sectionOptions) => sectionVia(core, id, sectionOptions),
    service: (name, serviceOptions = {}) =>
      getVia(core, `/v1/services/${encodeURIComponent(name)}`, ServiceEntry, serviceOptions),
    services: (servicesOptions = {}) =>
      getVia(core, "/v1/services", ServiceListResponse, servicesOptions),
  };
}

/** What the `<kb-answer>` widget calls: answers, drafts and sections. */
export type AnswerClient = Pick<AskClient, "ask" | "draftReply" | "section">;

/**
 * `ask`, `draftReply` and `section` alone: what the `<kb-answer>` widget
 * needs, so that its bundle leaves out the other calls' schemas.
 */
export function createAnswerClient(options: AskClientOptions): AnswerClient {
  const core = clientCore(options);
  return {
    ask: (request) => streamAnswerVia(core, "/v1/ask", request),
    draftReply: (request) => streamAnswerVia(core, "/v1/draft-reply", request),
    section: (id, sectionOptions) => sectionVia(core, id, sectionOptions),
  };
}

/** POSTs `request` to an answering route and yields its events, checked against the contract. */
async function* streamAnswerVia(
  core: ClientCore,
  path: "/v1/ask" | "/v1/draft-reply",
  request: { signal?: AbortSignal },
): AsyncGenerator<ClientEvent> {
  const { signal, ...body } = request;
  let response: Response;
  try {
    response = await core.fetchImpl(`${core.baseUrl}${path}`, {
      method: "POST",
      headers: core.headers("text/event-stream", true),
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) return;
    yield { type: "error", ...networkError(`Could not reach ${core.baseUrl}: ${describe(error)}`) };
    return;
  }
  if (!response.ok) {
    yield { type: "error", ...(await httpError(response)) };
    return;
  }
  if (
    !response.body ||
    !(response.headers.get("content-type") ?? "").includes("text/event-stream")
  ) {
    yield { type: "error", ...protocolError("The server did not answer with an event stream") };
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
      if (!value.event || !knownEvents.has(value.event)) continue;
      const event = toClientEvent(value.event, value.data);
      yield event;
      if (event.type === "done" || event.type === "error") return;
    }
    yield { type: "error", ...protocolError("The answer stream ended before its done event") };
  } catch (error) {
    if (signal?.aborted) return;
    yield { type: "error", ...networkError(`The answer stream was cut: ${describe(error)}`) };
  } finally {
    // Stopping early (break, return, abort) must close the connection, so the server stops too.
    reader.cancel().catch(() => {});
  }
}

function searchVia(
  core: ClientCore,
  request: ClientSearchRequest,
): Promise<ClientResult<SearchResponse>> {
  const { signal, ...body } = request;
  return core.readJson(
    `${core.baseUrl}/v1/search`,
    {
      method: "POST",
      headers: core.headers("application/json", true),
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    },
    SearchResponse,
  );
}

function similarVia(
  core: ClientCore,
  request: ClientSimilarRequest,
): Promise<ClientResult<SimilarResponse>> {
  const { signal, ...body } = request;
  return core.readJson(
    `${core.baseUrl}/v1/similar`,
    {
      method: "POST",
      headers: core.headers("application/json", true),
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    },
    SimilarResponse,
  );
}

function triageVia(
  core: ClientCore,
  request: ClientTriageRequest,
): Promise<ClientResult<TriageResponse>> {
  const { signal, ...body } = request;
  return core.readJson(
    `${core.baseUrl}/v1/triage`,
    {
      method: "POST",
      headers: core.headers("application/json", true),
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    },
    TriageResponse,
  );
}

function sectionVia(
  core: ClientCore,
  id: string,
  sectionOptions: { signal?: AbortSignal } = {},
): Promise<ClientResult<SectionResponse>> {
  const { signal } = sectionOptions;
  return core.readJson(
    `${core.baseUrl}/v1/sections/${encodeURIComponent(id)}`,
    { headers: core.headers("application/json", false), ...(signal ? { signal } : {}) },
    SectionResponse,
  );
}

/** A GET of a JSON resource, checked against its schema. */
function getVia<Data>(
  core: ClientCore,
  path: string,
  schema: z.ZodMiniType<Data>,
  { signal }: { signal?: AbortSignal },
): Promise<ClientResult<Data>> {
  return core.readJson(
    `${core.baseUrl}${path}`,
    { headers: core.headers("application/json", false), ...(signal ? { signal } : {}) },
    schema,
  );
}

/** An error in the documented shape with a code this client does not know yet. */
const UnknownError = z.object({
  code: z.string(),
  message: z.string(),
  requestId: z.optional(z.string()),
});

/** A warning in the documented shape with a code this client does not know yet. */
const UnknownWarning = z.object({
  code: z.string(),
  message: z.string(),
  citations: z.optional(z.array(z.int())),
});

/** Marks a body that did not parse as JSON. */
const notJson = Symbol("not JSON");

/** One SSE event checked against the contract; anything else is a protocol_error, never a cast. */
function toClientEvent(name: string, data: string): ClientEvent {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    return { type: "error", ...protocolError(`The ${name} event carried data that is not JSON`) };
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return { type: "error", ...protocolError(`The ${name} event carried no object`) };
  }
  const parsed = AnswerEvent.safeParse({ ...payload, type: name });
  if (parsed.success) return parsed.data;
  const newerError = name === "error" ? UnknownError.safeParse(payload) : undefined;
  if (newerError?.success) return { type: "error", ...newerError.data };
  const newerWarning = name === "warning" ? UnknownWarning.safeParse(payload) : undefined;
  if (newerWarning?.success) return { type: "warning", ...newerWarning.data };
  return {
    type: "error",
    ...protocolError(
      `The ${name} event does not match the documented stream: ${describeIssues(parsed.error.issues)}`,
    ),
  };
}

/** An error status: the server's own code and message when its body is the documented error body. */
async function httpError(response: Response): Promise<ClientError> {
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = ErrorBody.safeParse(json);
  if (!parsed.success) {
    const newer = z.object({ error: UnknownError }).safeParse(json);
    if (newer.success) return { ...newer.data.error, status: response.status };
    return {
      code: "protocol_error",
      message: `The server answered HTTP ${response.status}`,
      status: response.status,
    };
  }
  const { error, requestId } = parsed.data;
  return {
    code: error.code,
    message: error.message,
    status: response.status,
    ...(requestId ? { requestId } : {}),
  };
}

/** Where the data went wrong, without zod's messages (zod/mini ships none). */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path.map(String).join(".") || "(data)";
      const what =
        issue.code === "invalid_type"
          ? `expected ${issue.expected}`
          : issue.code.replaceAll("_", " ");
      return `${where}: ${what}`;
    })
    .join("; ");
}

function networkError(message: string): ClientError {
  return { code: "network_error", message };
}

function protocolError(message: string): ClientError {
  return { code: "protocol_error", message };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
