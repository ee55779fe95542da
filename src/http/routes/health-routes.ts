import type { Hono } from "hono";
import { KbError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { ChatModel } from "../../model/chat-model.js";
import type { KbReader } from "../../store/kb-reader.js";
import type { AppEnv } from "../app-env.js";

export interface HealthDeps {
  reader: KbReader;
  chat?: ChatModel | undefined;
  logger: Logger;
}

/**
 * `/healthz`: the process answers. `/readyz`: the active generation answers a tiny real query
 * (a full-text search and a whole row of each table), so damaged files show as not ready.
 */
export function registerHealthRoutes(app: Hono<AppEnv>, deps: HealthDeps): void {
  app.get("/healthz", (context) => context.json({ status: "ok" }));

  app.get("/readyz", async (context) => {
    const answers = deps.chat
      ? { mode: "llm", chatModel: deps.chat.model }
      : { mode: "extractive", chatModel: null };
    const notReady = (code: string, reason: string) =>
      context.json({ status: "not_ready", code, reason, ...answers }, 503);
    try {
      const snapshot = await deps.reader.trySnapshot();
      if (!snapshot)
        return notReady("index_not_ready", "the knowledge base has not been ingested yet");
      await snapshot.probe();
      const [{ documents, chunks }, tickets] = await Promise.all([
        snapshot.counts(),
        snapshot.ticketCount(),
      ]);
      return context.json({
        status: "ready",
        documents,
        chunks,
        tickets,
        generation: snapshot.generation.number,
        embedder: snapshot.generation.embedderId,
        ...answers,
      });
    } catch (error) {
      // Readiness answers for any failure: a probe that throws is exactly what it looks for.
      deps.logger.error("readiness probe failed", { requestId: context.get("requestId"), error });
      if (error instanceof KbError) return notReady(error.code, error.message);
      return notReady(
        "index_unreadable",
        "The index cannot be read. Rebuild it with `npm run ingest -- --force`.",
      );
    }
  });
}
