import { createHash } from "node:crypto";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { type RequestIdVariables, requestId } from "hono/request-id";
import { type AnswerDeps, answerQuestion } from "../answer/answer-question.js";
import type { ServerConfig } from "../config.js";
import { AskRequest } from "../contract/ask-request.js";
import { corsPolicy } from "../contract/cors-policy.js";
import { type ErrorBody, errorBody } from "../contract/error-body.js";
import { routeNotFound } from "../contract/route-not-found.js";
import { SearchRequest } from "../contract/search-request.js";
import type { SearchResponse } from "../contract/search-response.js";
import type { SectionResponse } from "../contract/section-response.js";
import { KbError } from "../errors.js";
import type { Logger } from "../logger.js";
import { readSection } from "../retrieval/read-section.js";
import { searchKb } from "../retrieval/search-kb.js";
import type { SearchQuery } from "../retrieval/search-query.js";
import type { WidgetAssets } from "../widget/widget-assets.js";
import { assetHeaders } from "./asset-headers.js";
import { parseInput, queryToAskInput, readJsonBody } from "./parse-request.js";
import { collectAnswer, writeAnswerStream } from "./write-answer-stream.js";

export interface AppDeps extends AnswerDeps {
  config: ServerConfig;
  logger: Logger;
  /** The widget script and demo page; without them `/` and `/widget.js` are not served. */
  assets?: WidgetAssets | undefined;
}

type Env = { Variables: RequestIdVariables };

/** The HTTP API over explicit dependencies; entry points only assemble them and serve. */
export function createApp(deps: AppDeps): Hono<Env> {
  const { config, logger } = deps;
  const app = new Hono<Env>();

  app.use(requestId());
  app.use(cors(corsPolicy(config.corsOrigins)));
  app.use(async (context, next) => {
    const started = performance.now();
    await next();
    logger.info("request", {
      requestId: context.get("requestId"),
      method: context.req.method,
      path: context.req.path,
      status: context.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: () => {
        throw new KbError(
          "payload_too_large",
          `Request body is larger than ${config.maxBodyBytes} bytes (MAX_BODY_BYTES)`,
        );
      },
    }),
  );

  app.get("/healthz", (context) => context.json({ status: "ok" }));

  const { assets } = deps;
  if (assets) {
    // Computed once: the script cannot change while the server runs.
    const widgetHash = createHash("sha256").update(assets.widgetJs).digest("hex").slice(0, 16);
    const widgetEtag = `"${widgetHash}-${assets.widgetJs.length.toString(16)}"`;
    app.get("/widget.js", (context) => {
      context.header("cache-control", assetHeaders.widgetCacheControl);
      context.header("etag", widgetEtag);
      if (context.req.header("if-none-match") === widgetEtag) return context.body(null, 304);
      context.header("content-type", "text/javascript; charset=utf-8");
      return context.body(assets.widgetJs);
    });
    app.get("/", (context) => {
      context.header("content-security-policy", assetHeaders.demoPageContentSecurityPolicy);
      return context.html(assets.demoHtml);
    });
  }

  app.get("/readyz", async (context) => {
    const snapshot = await deps.reader.trySnapshot();
    const answers = deps.chat
      ? { mode: "llm", chatModel: deps.chat.model }
      : { mode: "extractive", chatModel: null };
    if (!snapshot) {
      return context.json(
        { status: "not_ready", reason: "the knowledge base has not been ingested yet", ...answers },
        503,
      );
    }
    const { documents, chunks } = await snapshot.counts();
    return context.json({
      status: "ready",
      documents,
      chunks,
      generation: snapshot.generation.number,
      embedder: snapshot.generation.embedderId,
      ...answers,
    });
  });

  const toSearchQuery = (request: SearchRequest): SearchQuery => ({
    question: request.question,
    ticket: request.ticket,
    filters: request.filters,
    topK: request.topK ?? config.defaultTopK,
  });

  // Sources already carry the contract's fields: id, path, title, headingPath, kind, score, text (and n, services).
  const search = async (request: SearchRequest, signal: AbortSignal): Promise<SearchResponse> => ({
    results: await searchKb(deps, toSearchQuery(request), { signal }),
  });

  app.get("/v1/search", async (context) =>
    context.json(
      await search(
        parseInput(SearchRequest, queryToAskInput(new URL(context.req.url))),
        context.req.raw.signal,
      ),
    ),
  );
  app.post("/v1/search", async (context) =>
    context.json(
      await search(
        parseInput(SearchRequest, await readJsonBody(context.req.raw)),
        context.req.raw.signal,
      ),
    ),
  );

  const ask = async (context: Context<Env>, input: unknown) => {
    const request = parseInput(AskRequest, input);
    const controller = new AbortController();
    const clientSignal = context.req.raw.signal;
    // The client leaving aborts retrieval and the upstream model call.
    const signal = AbortSignal.any([clientSignal, controller.signal]);
    const events = answerQuestion(deps, toSearchQuery(request), {
      requestId: context.get("requestId"),
      signal,
    });
    const wantsJson = request.stream === false || prefersJson(context.req.header("accept"));
    if (wantsJson) {
      const { status, body } = await collectAnswer(events);
      return context.json(body, status as 200);
    }
    return writeAnswerStream(context, events, {
      keepAliveMs: config.keepAliveMs,
      onClientGone: () => controller.abort(),
      logger,
    });
  };

  app.get("/v1/sections/:id", async (context) => {
    const id = context.req.param("id");
    if (!/^[0-9a-f]{24}(-\d+)?$/.test(id)) {
      throw new KbError(
        "invalid_request",
        `Invalid request: id: ${JSON.stringify(id.slice(0, 80))} is not a chunk id`,
        {
          details: [{ field: "id", message: "is not a chunk id" }],
        },
      );
    }
    const section: SectionResponse | undefined = await readSection(deps.reader, id);
    if (!section)
      throw new KbError(
        "not_found",
        `No section with id ${id}; it may have been re-ingested since it was cited`,
      );
    return context.json(section);
  });

  app.post("/v1/ask", async (context) => ask(context, await readJsonBody(context.req.raw)));
  app.get("/v1/ask", async (context) => ask(context, queryToAskInput(new URL(context.req.url))));

  app.notFound(routeNotFound);

  app.onError((error, context) => {
    const requestIdValue = context.get("requestId");
    if (error instanceof KbError) {
      if (error.status >= 500) logger.error("request failed", { requestId: requestIdValue, error });
      // Our own messages for 4xx name the problem; 5xx messages may carry internals.
      const message =
        error.status < 500 || error.code.startsWith("index_")
          ? error.message
          : "The server failed to handle the request.";
      return context.json(errorBody(error, message), error.status as 400);
    }
    logger.error("unhandled error", { requestId: requestIdValue, error });
    const body: ErrorBody = {
      error: { code: "internal", message: "The server failed to handle the request." },
    };
    return context.json(body, 500);
  });

  return app;
}

/** Accept: application/json without text/event-stream asks for one JSON object. */
function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.includes("application/json") && !accept.includes("text/event-stream");
}
