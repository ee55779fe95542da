import type { Hono } from "hono";
import { answerQuestion } from "../../answer/answer-question.js";
import type { AnswerEvent } from "../../contract/answer-event.js";
import { ChatCompletionRequest } from "../../contract/chat-completion-request.js";
import { chatModelId, type ModelList } from "../../contract/chat-completion-response.js";
import type { JsonAnswer } from "../../contract/json-answer.js";
import { KbError } from "../../errors.js";
import type { AppEnv } from "../app-env.js";
import { chatChunkEncoder, toChatCompletion } from "../chat-completion-format.js";
import { chatToAskQuery } from "../chat-to-ask-query.js";
import { parseInput, readJsonBody } from "../parse-request.js";
import { coalesceWindowOf, startAnswer } from "../serve-answer.js";
import { collectAnswer, writeAnswerStream } from "../write-answer-stream.js";
import type { AskRouteDeps } from "./ask-routes.js";

/** Fixed, so that the model list is the same on every server: when kb-answers became a model. Unix seconds. */
const modelCreated = 1_780_000_000;

/**
 * kb-answers as an OpenAI-compatible model: `POST /v1/chat/completions`
 * answers the last user message as /v1/ask does (same keys, limits, slots
 * and drain), streamed as `chat.completion.chunk`s or whole, with the
 * sources in `kb_` fields; `GET /v1/models` lists `kb-answers`.
 */
export function registerChatRoutes(app: Hono<AppEnv>, deps: AskRouteDeps): void {
  const models: ModelList = {
    object: "list",
    data: [{ id: chatModelId, object: "model", created: modelCreated, owned_by: "kb-answers" }],
  };
  app.get("/v1/models", (context) => context.json(models));
  app.get("/v1/models/:id", (context) => {
    const model = models.data.find((entry) => entry.id === context.req.param("id"));
    if (!model)
      throw new KbError(
        "not_found",
        `No model ${context.req.param("id")}; this server answers as ${chatModelId}`,
      );
    return context.json(model);
  });

  app.post("/v1/chat/completions", async (context) => {
    const request = parseInput(ChatCompletionRequest, await readJsonBody(context.req.raw));
    const { question, history } = chatToAskQuery(request.messages);
    const answer = await startAnswer(context, deps, ({ requestId, signal, logger }) =>
      answerQuestion(
        { ...deps, logger },
        { question, history, topK: deps.defaultTopK },
        { requestId, signal },
      ),
    );
    const meta = {
      id: `chatcmpl-${context.get("requestId")}`,
      created: Math.floor(Date.now() / 1000),
      origin: new URL(context.req.url).origin,
    };
    if (request.stream !== true) {
      const { status, body } = await collectAnswer(answer.events);
      if (status !== 200 || !("answer" in body)) throw failure(body);
      return context.json(toChatCompletion(body as JsonAnswer, meta));
    }
    // An answer that fails before its first event (no index yet) is an HTTP error, as OpenAI's are.
    const events = await failingEarly(answer.events);
    return writeAnswerStream(context, events, {
      keepAliveMs: deps.keepAliveMs,
      coalesceDeltasMs: coalesceWindowOf(deps),
      onClientGone: answer.stop,
      logger: answer.logger,
      encode: chatChunkEncoder(meta),
    });
  });
}

/** The answer's events, or the KbError of an answer whose first event is its error. */
async function failingEarly(
  events: AsyncGenerator<AnswerEvent>,
): Promise<AsyncGenerator<AnswerEvent>> {
  const first = await events.next();
  if (!first.done && first.value.type === "error") {
    await events.return(undefined);
    throw new KbError(first.value.code, first.value.message, { safeToShow: true });
  }
  return (async function* () {
    try {
      if (!first.done) yield first.value;
      yield* events;
    } finally {
      await events.return(undefined);
    }
  })();
}

/** A collected answer's error body as the KbError it was; its message is already safe to show. */
function failure(body: { error: { code: string; message: string } } | object): KbError {
  const error =
    "error" in body ? (body.error as { code: KbError["code"]; message: string }) : undefined;
  return new KbError(
    error?.code ?? "internal",
    error?.message ?? "The answer ended unexpectedly.",
    {
      safeToShow: true,
    },
  );
}
