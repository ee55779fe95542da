import type { Hono } from "hono";
import type { ChatModel } from "../../model/chat-model.js";
import type { KbReader } from "../../store/kb-reader.js";
import type { AppEnv } from "../app-env.js";

export interface HealthDeps {
  reader: KbReader;
  chat?: ChatModel | undefined;
}

/** `/healthz`: the process answers. `/readyz`: an index is there to answer from. */
export function registerHealthRoutes(app: Hono<AppEnv>, deps: HealthDeps): void {
  app.get("/healthz", (context) => context.json({ status: "ok" }));

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
  });
}
