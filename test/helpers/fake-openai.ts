import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the next request to an endpoint should meet, in order; when the queue is empty, a normal answer. */
export type FakeBehaviour =
  | { kind: "ok" }
  | { kind: "status"; status: number; retryAfterMs?: number; body?: unknown }
  | { kind: "hang" }
  | { kind: "malformed"; body: unknown };

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeOpenAI {
  /** Base URL to give the openai SDK, ending in /v1. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Requests whose connection closed before the server answered. */
  abandoned: RecordedRequest[];
  /** Queue behaviours for a path such as "/v1/embeddings". */
  enqueue(path: string, ...behaviours: FakeBehaviour[]): void;
  /** Texts sent to /v1/embeddings, across all requests. */
  embeddedTexts(): string[];
  close(): Promise<void>;
}

/**
 * A small OpenAI-compatible server on 127.0.0.1 speaking the real wire
 * protocol, so tests exercise the real `openai` SDK over real HTTP.
 */
export async function startFakeOpenAI(options: { dimensions?: number } = {}): Promise<FakeOpenAI> {
  const dimensions = options.dimensions ?? 8;
  const queues = new Map<string, FakeBehaviour[]>();
  const requests: RecordedRequest[] = [];
  const abandoned: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();

  const server = createServer(async (request, response) => {
    const body = await readJson(request);
    const path = (request.url ?? "").split("?")[0] ?? "";
    const recorded = { method: request.method ?? "GET", path, body };
    requests.push(recorded);
    response.on("close", () => {
      if (!response.writableEnded) abandoned.push(recorded);
      hanging.delete(response);
    });
    const behaviour = queues.get(path)?.shift() ?? { kind: "ok" };
    switch (behaviour.kind) {
      case "hang":
        hanging.add(response);
        return;
      case "status":
        return sendJson(
          response,
          behaviour.status,
          behaviour.body ?? {
            error: { message: `fake failure ${behaviour.status}`, type: "fake" },
          },
          behaviour.retryAfterMs === undefined
            ? {}
            : { "retry-after-ms": String(behaviour.retryAfterMs) },
        );
      case "malformed":
        return sendJson(response, 200, behaviour.body);
      case "ok":
        if (path === "/v1/embeddings") return answerEmbeddings(response, body, dimensions);
        return sendJson(response, 404, { error: { message: `no fake for ${path}` } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    abandoned,
    enqueue(path, ...behaviours) {
      queues.set(path, [...(queues.get(path) ?? []), ...behaviours]);
    },
    embeddedTexts() {
      return requests
        .filter((request) => request.path === "/v1/embeddings")
        .flatMap((request) => {
          const input = (request.body as { input?: unknown }).input;
          return Array.isArray(input) ? input.map(String) : [String(input)];
        });
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answerEmbeddings(response: ServerResponse, body: unknown, dimensions: number): void {
  const input = (body as { input?: unknown }).input;
  const texts = Array.isArray(input) ? input.map(String) : [String(input)];
  sendJson(response, 200, {
    object: "list",
    model: (body as { model?: string }).model ?? "fake",
    data: texts.map((text, index) => ({
      object: "embedding",
      index,
      embedding: vectorFor(text, dimensions),
    })),
    usage: { prompt_tokens: texts.length, total_tokens: texts.length },
  });
}

/** Deterministic pseudo-embedding: the same text always maps to the same unit vector. */
export function vectorFor(text: string, dimensions: number): number[] {
  const digest = createHash("sha256").update(text).digest();
  const values = Array.from(
    { length: dimensions },
    (_, index) => (digest[index % digest.length] ?? 0) - 127.5,
  );
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => value / norm);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString("utf8");
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return { unparsable: text };
  }
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}
