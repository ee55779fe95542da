import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("defaults to the offline embedder, kb/ and data/lancedb", () => {
    expect(loadConfig({})).toMatchObject({
      kbDir: "kb",
      dbUri: "data/lancedb",
      embedding: { provider: "offline", dimensions: 384 },
    });
  });

  it("serves from one process and joins deltas within 100 ms by default; WORKERS=auto is one per core", () => {
    const defaults = loadConfig({});
    expect(defaults.workers).toBe(1);
    expect(defaults.server.coalesceDeltasMs).toBe(100);
    expect(loadConfig({ WORKERS: "auto" }).workers).toBe(availableParallelism());
    expect(loadConfig({ WORKERS: "2", SSE_COALESCE_MS: "0" })).toMatchObject({
      workers: 2,
      server: { coalesceDeltasMs: 0 },
    });
    expect(() => loadConfig({ WORKERS: "many" })).toThrow(/WORKERS/);
  });

  it("treats blank settings as unset", () => {
    const config = loadConfig({
      KB_DIR: "  ",
      EMBEDDING_MODEL: "",
      OPENAI_BASE_URL: " ",
      EMBEDDING_BATCH_SIZE: "",
    });
    expect(config.kbDir).toBe("kb");
    expect(config.embedding.provider).toBe("offline");
  });

  it("uses an OpenAI-compatible endpoint when EMBEDDING_MODEL is set, falling back to the OPENAI_* settings", () => {
    const config = loadConfig({
      EMBEDDING_MODEL: "nomic-embed-text",
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
      OPENAI_API_KEY: "chat-key",
      EMBEDDING_BATCH_SIZE: "32",
    });
    expect(config.embedding).toMatchObject({
      provider: "openai",
      model: "nomic-embed-text",
      baseURL: "http://127.0.0.1:11434/v1",
      apiKey: "chat-key",
      batchSize: 32,
    });
  });

  it("prefers EMBEDDING_BASE_URL and EMBEDDING_API_KEY, so embeddings can live elsewhere than chat", () => {
    const config = loadConfig({
      EMBEDDING_MODEL: "text-embedding-3-small",
      EMBEDDING_BASE_URL: "https://embed.example/v1",
      EMBEDDING_API_KEY: "embed-key",
      OPENAI_BASE_URL: "https://chat.example/v1",
      OPENAI_API_KEY: "chat-key",
    });
    expect(config.embedding).toMatchObject({
      baseURL: "https://embed.example/v1",
      apiKey: "embed-key",
    });
  });

  it("names every bad setting in one error", () => {
    expect(() =>
      loadConfig({
        EMBEDDING_BATCH_SIZE: "many",
        OPENAI_BASE_URL: "not a url",
        MAX_DOCUMENT_BYTES: "-1",
      }),
    ).toThrow(
      /EMBEDDING_BATCH_SIZE[\s\S]*MAX_DOCUMENT_BYTES|MAX_DOCUMENT_BYTES[\s\S]*EMBEDDING_BATCH_SIZE/,
    );
    const error = (() => {
      try {
        loadConfig({ EMBEDDING_BATCH_SIZE: "many", OPENAI_BASE_URL: "not a url" });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toContain("OPENAI_BASE_URL");
    expect(error).toMatchObject({ code: "invalid_config" });
  });

  it("explains what to set when an embedding model has no endpoint", () => {
    expect(() => loadConfig({ EMBEDDING_MODEL: "text-embedding-3-small" })).toThrow(
      /EMBEDDING_API_KEY/,
    );
  });

  it("selects the offline embedder with OFFLINE_EMBEDDER, hash unless told otherwise", () => {
    expect(loadConfig({}).embedding).toEqual({
      provider: "offline",
      model: "hash",
      dimensions: 384,
    });
    expect(loadConfig({ OFFLINE_EMBEDDER: " " }).embedding).toMatchObject({ model: "hash" });
    expect(loadConfig({ OFFLINE_EMBEDDER: "use-lite" }).embedding).toEqual({
      provider: "offline",
      model: "use-lite",
      dimensions: 512,
    });
  });

  it("names OFFLINE_EMBEDDER and its choices when the value is unknown", () => {
    expect(() => loadConfig({ OFFLINE_EMBEDDER: "bert" })).toThrow(
      /OFFLINE_EMBEDDER: .*"hash".*"use-lite"/,
    );
  });

  it("turns vector search off by default for both offline embedders and on for an embedding model", () => {
    expect(loadConfig({}).retrieval.vectorWeight).toBe(0);
    expect(loadConfig({ OFFLINE_EMBEDDER: "use-lite" }).retrieval.vectorWeight).toBe(0);
    expect(loadConfig({ EMBEDDING_MODEL: "m", OPENAI_API_KEY: "k" }).retrieval.vectorWeight).toBe(
      1,
    );
    expect(loadConfig({ VECTOR_WEIGHT: "0.3" }).retrieval.vectorWeight).toBe(0.3);
  });

  it("leaves query expansion off by default and turns it on only with a chat model", () => {
    const chat = { CHAT_MODEL: "m", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };
    expect(loadConfig({}).queryExpansion).toBeUndefined();
    expect(loadConfig({ ...chat, QUERY_EXPANSION: "false" }).queryExpansion).toBeUndefined();
    expect(loadConfig({ ...chat, QUERY_EXPANSION: " " }).queryExpansion).toBeUndefined();
    expect(loadConfig({ ...chat, QUERY_EXPANSION: "true" }).queryExpansion).toEqual({
      timeoutMs: 3000,
    });
    // Never longer than an answer may take.
    expect(
      loadConfig({ ...chat, QUERY_EXPANSION: "1", UPSTREAM_TIMEOUT_MS: "1000" }).queryExpansion,
    ).toEqual({ timeoutMs: 1000 });
    expect(() => loadConfig({ QUERY_EXPANSION: "true" })).toThrow(/QUERY_EXPANSION.*CHAT_MODEL/);
    expect(() => loadConfig({ ...chat, QUERY_EXPANSION: "yes please" })).toThrow(
      /QUERY_EXPANSION: expected true or false/,
    );
  });
  it("turns tools on with TOOLS (needing a chat model), and the action webhook with its secret", () => {
    const chat = { CHAT_MODEL: "m", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };
    const webhook = { ACTION_WEBHOOK_URL: "https://hooks.example/kb" };
    const secret = "0123456789abcdef-secret";
    expect(loadConfig(chat).tools).toBeUndefined();
    expect(loadConfig({ ...chat, TOOLS: "true" }).tools).toEqual({
      maxSteps: 4,
      actionWebhook: undefined,
    });
    expect(
      loadConfig({
        ...chat,
        ...webhook,
        TOOLS: "1",
        TOOL_MAX_STEPS: "2",
        ACTION_WEBHOOK_SECRET: secret,
      }),
    ).toMatchObject({
      tools: {
        maxSteps: 2,
        actionWebhook: { url: webhook.ACTION_WEBHOOK_URL, secret, maxAttempts: 4 },
      },
      // The logger masks it wherever it turns up.
      secrets: expect.arrayContaining([secret]),
    });
    expect(() => loadConfig({ TOOLS: "true" })).toThrow(/TOOLS.*CHAT_MODEL/);
    expect(() => loadConfig({ ...chat, ...webhook, TOOLS: "true" })).toThrow(
      /ACTION_WEBHOOK_URL is set but ACTION_WEBHOOK_SECRET is not/,
    );
    expect(() =>
      loadConfig({ ...chat, ...webhook, TOOLS: "true", ACTION_WEBHOOK_SECRET: "short" }),
    ).toThrow(/ACTION_WEBHOOK_SECRET: must be at least 16 characters/);
    expect(() => loadConfig({ ...chat, ...webhook, ACTION_WEBHOOK_SECRET: secret })).toThrow(
      /ACTION_WEBHOOK_URL is set but TOOLS is off/,
    );
    expect(() => loadConfig({ ...chat, TOOLS: "true", TOOL_MAX_STEPS: "50" })).toThrow(
      /TOOL_MAX_STEPS/,
    );
  });

  it("bounds a streamed answer's silence by UPSTREAM_TIMEOUT_MS and its length by UPSTREAM_TOTAL_TIMEOUT_MS", () => {
    const chat = { CHAT_MODEL: "m", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };
    expect(loadConfig(chat).chat).toMatchObject({ timeoutMs: 60_000, totalTimeoutMs: 300_000 });
    expect(
      loadConfig({ ...chat, UPSTREAM_TIMEOUT_MS: "1000", UPSTREAM_TOTAL_TIMEOUT_MS: " " }).chat,
    ).toMatchObject({ timeoutMs: 1_000, totalTimeoutMs: 300_000 });
    // Unset, the cap never falls below the idle timeout.
    expect(loadConfig({ ...chat, UPSTREAM_TIMEOUT_MS: "600000" }).chat).toMatchObject({
      totalTimeoutMs: 600_000,
    });
    expect(
      loadConfig({ ...chat, UPSTREAM_TIMEOUT_MS: "1000", UPSTREAM_TOTAL_TIMEOUT_MS: "2500" }).chat,
    ).toMatchObject({ timeoutMs: 1_000, totalTimeoutMs: 2_500 });
    expect(() =>
      loadConfig({ UPSTREAM_TIMEOUT_MS: "5000", UPSTREAM_TOTAL_TIMEOUT_MS: "1000" }),
    ).toThrow(/UPSTREAM_TOTAL_TIMEOUT_MS: must be at least UPSTREAM_TIMEOUT_MS \(5000\)/);
    expect(() => loadConfig({ UPSTREAM_TOTAL_TIMEOUT_MS: "soon" })).toThrow(
      /UPSTREAM_TOTAL_TIMEOUT_MS/,
    );
  });
});

describe("secrets in settings", () => {
  it("refuses a URL carrying credentials without repeating them", () => {
    let message = "";
    try {
      loadConfig({ OPENAI_BASE_URL: "https://user:hunter2-secret@llm.example/v1" });
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toMatch(/OPENAI_BASE_URL: must not carry credentials.*OPENAI_API_KEY/);
    expect(message).not.toContain("hunter2");
  });

  it("names the object store's key settings for credentials in its endpoint", () => {
    expect(() =>
      loadConfig({
        KB_DB: "s3://bucket/kb",
        KB_DB_ENDPOINT: "https://minio:hunter2@minio.example:9000",
        KB_DB_REGION: "us-east-1",
      }),
    ).toThrow(
      /KB_DB_ENDPOINT: must not carry credentials.*KB_DB_ACCESS_KEY_ID.*KB_DB_AZURE_ACCOUNT_KEY/,
    );
  });

  it("gives open answers 10 s on shutdown unless SHUTDOWN_GRACE_MS says otherwise", () => {
    expect(loadConfig({}).shutdownGraceMs).toBe(10_000);
    expect(loadConfig({ SHUTDOWN_GRACE_MS: "2500" }).shutdownGraceMs).toBe(2_500);
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: "soon" })).toThrow(/SHUTDOWN_GRACE_MS/);
  });

  it("serves metrics on a port of their own only when METRICS_PORT is set, and never on PORT", () => {
    expect(loadConfig({}).metricsPort).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: "9464" }).metricsPort).toBe(9464);
    expect(() => loadConfig({ PORT: "3000", METRICS_PORT: "3000" })).toThrow(
      /METRICS_PORT: must differ from PORT/,
    );
  });

  it("hands every configured key to the logger to mask", () => {
    const config = loadConfig({
      OPENAI_API_KEY: "sk-openai-0123456789",
      EMBEDDING_MODEL: "e",
      EMBEDDING_API_KEY: "embed-key-0123456789",
      API_KEYS: "portal:portal-key-0123456789",
    });
    expect(config.secrets).toEqual(
      expect.arrayContaining([
        "sk-openai-0123456789",
        "embed-key-0123456789",
        "portal-key-0123456789",
      ]),
    );
  });

  describe("object stores", () => {
    const s3 = {
      KB_DB: "s3://kb-bucket/team/index",
      KB_DB_ENDPOINT: "http://127.0.0.1:9000",
      KB_DB_REGION: "us-east-1",
      KB_DB_ACCESS_KEY_ID: "minio-key-id",
      KB_DB_SECRET_ACCESS_KEY: "minio-secret-0123456789",
      KB_DB_ALLOW_HTTP: "true",
    };

    it("passes the KB_DB_* settings to LanceDB as storage options, and masks the secrets", () => {
      const config = loadConfig({ ...s3, KB_DB_SESSION_TOKEN: "session-token-0123456789" });
      expect(config.storageOptions).toEqual({
        aws_endpoint: "http://127.0.0.1:9000",
        aws_region: "us-east-1",
        aws_access_key_id: "minio-key-id",
        aws_secret_access_key: "minio-secret-0123456789",
        aws_session_token: "session-token-0123456789",
        allow_http: "true",
      });
      expect(config.secrets).toEqual(
        expect.arrayContaining(["minio-secret-0123456789", "session-token-0123456789"]),
      );
      expect(
        loadConfig({ ...s3, KB_DB_VIRTUAL_HOSTED_STYLE: "true" }).storageOptions,
      ).toMatchObject({ aws_virtual_hosted_style_request: "true" });
      expect(
        loadConfig({
          KB_DB: "gs://bucket/index",
          KB_DB_GOOGLE_SERVICE_ACCOUNT: "/etc/kb/gcs.json",
        }).storageOptions,
      ).toEqual({ google_service_account: "/etc/kb/gcs.json" });
      expect(
        loadConfig({
          KB_DB: "az://container/index",
          KB_DB_AZURE_ACCOUNT_NAME: "kbstore",
          KB_DB_AZURE_ACCOUNT_KEY: "azure-key-0123456789",
        }).storageOptions,
      ).toEqual({
        azure_storage_account_name: "kbstore",
        azure_storage_account_key: "azure-key-0123456789",
      });
      // Azurite or another account endpoint, and plain HTTP, for az:// and gs:// too.
      expect(
        loadConfig({
          KB_DB: "az://container/index",
          KB_DB_AZURE_ACCOUNT_NAME: "devstoreaccount1",
          KB_DB_AZURE_ACCOUNT_KEY: "azure-key-0123456789",
          KB_DB_ENDPOINT: "http://127.0.0.1:10000/devstoreaccount1",
          KB_DB_ALLOW_HTTP: "true",
        }).storageOptions,
      ).toMatchObject({
        azure_storage_endpoint: "http://127.0.0.1:10000/devstoreaccount1",
        allow_http: "true",
      });
      expect(
        loadConfig({
          KB_DB: "gs://bucket/index",
          KB_DB_GOOGLE_SERVICE_ACCOUNT: "/etc/kb/gcs.json",
          KB_DB_ALLOW_HTTP: "true",
        }).storageOptions,
      ).toEqual({ google_service_account: "/etc/kb/gcs.json", allow_http: "true" });
      expect(loadConfig({}).storageOptions).toEqual({});
    });

    it("refuses settings that cannot work, naming them and never a secret", () => {
      const refused = (env: Record<string, string>, message: RegExp) => {
        expect(() => loadConfig(env)).toThrow(message);
        expect(() => loadConfig(env)).not.toThrow(/minio-secret/);
      };
      refused({ KB_DB: "s3://kb-bucket/index" }, /no region or endpoint is set: set KB_DB_REGION/);
      refused(
        { ...s3, KB_DB_ACCESS_KEY_ID: "" },
        /KB_DB_ACCESS_KEY_ID and KB_DB_SECRET_ACCESS_KEY go together/,
      );
      refused(
        { ...s3, KB_DB_SECRET_ACCESS_KEY: "", KB_DB_ACCESS_KEY_ID: "", KB_DB_SESSION_TOKEN: "t" },
        /KB_DB_SESSION_TOKEN needs KB_DB_ACCESS_KEY_ID/,
      );
      refused({ ...s3, KB_DB_ALLOW_HTTP: "" }, /plain HTTP: set KB_DB_ALLOW_HTTP=true/);
      refused({ ...s3, KB_DB: "gs://bucket/index" }, /KB_DB_ENDPOINT, KB_DB_REGION.*another store/);
      refused(
        { ...s3, KB_DB: "az://container/index" },
        /^(?![\s\S]*KB_DB_ENDPOINT)[\s\S]*KB_DB_REGION.*another store/,
      );
      refused({ ...s3, KB_DB: "data/lancedb" }, /a local directory/);
      // AWS itself: the region LanceDB reads from the environment is enough.
      expect(loadConfig({ KB_DB: "s3://kb-bucket/index", AWS_REGION: "eu-west-1" }).dbUri).toBe(
        "s3://kb-bucket/index",
      );
    });

    it("makes servers of a shared index read-only unless INGEST_ON_START=true", () => {
      expect(loadConfig(s3).ingestOnStart).toBe(false);
      expect(loadConfig({ KB_DB: "db://my-project" }).ingestOnStart).toBe(false);
      expect(loadConfig({ ...s3, INGEST_ON_START: "true" }).ingestOnStart).toBe(true);
      expect(loadConfig({ KB_DB: "file:///srv/kb/index" }).ingestOnStart).toBe(true);
      expect(loadConfig({ ...s3, KB_DB_LOCK_LEASE_SECONDS: "10" }).lockLeaseMs).toBe(10_000);
    });
  });
});
