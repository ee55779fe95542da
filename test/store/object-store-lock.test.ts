import { cp } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAIEmbedder } from "../../src/embed/openai-embedder.js";
import { runIngest } from "../../src/ingest/run-ingest.js";
import { openKbIndex } from "../../src/store/kb-index.js";
import { acquireObjectLock } from "../../src/store/object-store-lock.js";
import { s3LockTarget } from "../../src/store/s3-lock-store.js";
import { acquireWriteLock, lockObjectStoreFor } from "../../src/store/write-lock.js";
import { startAzureBlobTestServer } from "../helpers/azure-blob-server.js";
import { startFakeOpenAI } from "../helpers/fake-openai.js";
import { startGcsTestServer } from "../helpers/gcs-server.js";
import { objectStoreOptions } from "../helpers/object-store-env.js";
import { type S3TestServer, startS3TestServer } from "../helpers/s3-server.js";
import { fixtureKbDir } from "../helpers/start-app.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait-for.js";

/** One store's test server, as the protocol tests need it. */
interface LockStoreUnderTest {
  /** A URI of an index no other test uses. */
  freshUri(): string;
  /** The LanceDB storage options config.ts would write for it. */
  storageOptions(): Record<string, string>;
  /** Writes the lock object as another client would (an operator, another writer). */
  overwriteLock(uri: string, body: string): Promise<void>;
  /** The lock object's content, or undefined when there is none. */
  readLock(uri: string): Promise<string | undefined>;
  close(): Promise<void>;
}

const lockKey = (uri: string) => `${new URL(uri).pathname.slice(1)}/ingest.lock`;

const stores: Record<"s3" | "gs" | "az", () => Promise<LockStoreUnderTest>> = {
  async s3() {
    const s3 = await startS3TestServer();
    let counter = 0;
    const url = (uri: string) => `${s3.endpoint}/locks/${lockKey(uri)}`;
    return {
      freshUri: () => `s3://locks/index-${++counter}`,
      storageOptions: () => objectStoreOptions(s3),
      async overwriteLock(uri, body) {
        await fetch(url(uri), { method: "PUT", body });
      },
      async readLock(uri) {
        const response = await fetch(url(uri));
        return response.status === 404 ? undefined : response.text();
      },
      close: () => s3.close(),
    };
  },
  async gs() {
    const gcs = await startGcsTestServer();
    let counter = 0;
    return {
      freshUri: () => `gs://locks/index-${++counter}`,
      storageOptions: () => ({
        google_service_account_key: gcs.serviceAccountKey(),
        allow_http: "true",
      }),
      async overwriteLock(uri, body) {
        gcs.putObject("locks", lockKey(uri), body);
      },
      readLock: async (uri) => gcs.getObject("locks", lockKey(uri)),
      close: () => gcs.close(),
    };
  },
  async az() {
    const azure = await startAzureBlobTestServer();
    let counter = 0;
    return {
      freshUri: () => `az://locks/index-${++counter}`,
      storageOptions: () => ({
        azure_storage_account_name: azure.accountName,
        azure_storage_account_key: azure.accountKey,
        azure_storage_endpoint: azure.endpoint,
        allow_http: "true",
      }),
      async overwriteLock(uri, body) {
        azure.putBlob("locks", lockKey(uri), body);
      },
      readLock: async (uri) => azure.getBlob("locks", lockKey(uri)),
      close: () => azure.close(),
    };
  },
};

describe.each(Object.keys(stores) as (keyof typeof stores)[])(
  "the ingest lock on %s://",
  (scheme) => {
    let store: LockStoreUnderTest;
    const lock = (uri: string) => acquireWriteLock(uri, { storageOptions: store.storageOptions() });

    beforeAll(async () => {
      store = await stores[scheme]();
    });
    afterAll(() => store.close());

    it("refuses a second writer with index_busy, naming the holder, until the first releases", async () => {
      const uri = store.freshUri();
      const first = await lock(uri);
      const refused = lock(uri);
      await expect(refused).rejects.toMatchObject({ code: "index_busy" });
      await expect(refused).rejects.toThrow(`${hostname()} (pid ${process.pid}) holds the lock`);
      await first.release();
      expect(await store.readLock(uri)).toBeUndefined();
      const second = await lock(uri);
      await second.release();
    });

    it("lets exactly one of many writers starting at once take it", async () => {
      const uri = store.freshUri();
      const attempts = await Promise.allSettled(Array.from({ length: 6 }, () => lock(uri)));
      const held = attempts.filter((attempt) => attempt.status === "fulfilled");
      expect(held).toHaveLength(1);
      for (const attempt of attempts)
        if (attempt.status === "rejected")
          expect(attempt.reason).toMatchObject({ code: "index_busy" });
      await held[0]?.value.release();
    });

    it("takes over a lock whose lease ran out (a killed ingest)", async () => {
      const uri = store.freshUri();
      const expired = new Date(Date.now() - 1_000).toISOString();
      await store.overwriteLock(
        uri,
        JSON.stringify({
          owner: "gone",
          host: "old-host",
          pid: 1,
          acquiredAt: expired,
          expiresAt: expired,
        }),
      );
      const held = await lock(uri);
      expect(JSON.parse((await store.readLock(uri)) ?? "{}")).toMatchObject({
        host: hostname(),
        pid: process.pid,
      });
      await held.release();
      expect(await store.readLock(uri)).toBeUndefined();
    });

    it("keeps its lease while it runs, and tells a writer whose lock was taken from it to stop", async () => {
      const uri = store.freshUri();
      const lockStore = await lockObjectStoreFor(uri, store.storageOptions());
      if (lockStore === undefined) throw new Error(`no lock store for ${uri}`);
      const held = await acquireObjectLock(lockStore, { leaseMs: 300 });
      // Renewed meanwhile, so still held after its first lease would have run out.
      await new Promise((resolve) => setTimeout(resolve, 600));
      await expect(lock(uri)).rejects.toMatchObject({ code: "index_busy" });
      expect(held.lost.aborted).toBe(false);

      // Someone rewrites the object (an operator, or a writer that judged the lease lapsed).
      await store.overwriteLock(uri, '{"owner":"another writer"}');
      await waitFor(() => held.lost.aborted, "the lost lease to be noticed", 5_000);
      expect(held.lost.reason).toMatchObject({ code: "index_busy" });
      expect(String(held.lost.reason)).toContain("lost its lock");
      await held.release();
      // Release never deletes a lock that is no longer ours.
      expect(await store.readLock(uri)).toBe('{"owner":"another writer"}');
    });
  },
);

describe("the ingest lock on s3:// while an ingest runs", () => {
  let s3: S3TestServer;
  let uriCounter = 0;
  const freshUri = () => `s3://locks/index-${++uriCounter}`;
  const lockUrl = (uri: string) =>
    `${s3.endpoint}/locks/${new URL(uri).pathname.slice(1)}/ingest.lock`;

  beforeAll(async () => {
    s3 = await startS3TestServer();
  });
  afterAll(() => s3.close());

  it("stops an ingest whose lease was taken over, saying so, and leaves the new holder's lock", async () => {
    const uri = freshUri();
    const kbDir = join(await makeTempDir(), "kb");
    await cp(fixtureKbDir, kbDir, { recursive: true });
    const fake = await startFakeOpenAI();
    // The embedding endpoint never answers: the run holds the lock until something stops it.
    fake.enqueue("/v1/embeddings", { kind: "hang" });
    const index = await openKbIndex(uri, { storageOptions: objectStoreOptions(s3) });
    try {
      const embedder = createOpenAIEmbedder({
        client: new OpenAI({ baseURL: fake.baseURL, apiKey: "test", maxRetries: 0 }),
        model: "test-embedder",
        dimensions: 8,
      });
      const run = runIngest({ kbDir, index, embedder, lockLeaseMs: 300 }).catch(
        (error: unknown) => error,
      );
      await waitFor(() =>
        s3.keys("locks").includes(`${new URL(uri).pathname.slice(1)}/ingest.lock`),
      );
      await fetch(lockUrl(uri), { method: "PUT", body: '{"owner":"another writer"}' });
      expect(await run).toMatchObject({ code: "index_busy" });
      expect(String(await run)).toContain("lost its lock");
      expect(await (await fetch(lockUrl(uri))).text()).toBe('{"owner":"another writer"}');
    } finally {
      index.close();
      await fake.close();
    }
  });

  it("needs keys to write the lock object, and says which settings", () => {
    expect(() => s3LockTarget("s3://bucket/index", { aws_region: "eu-west-1" })).toThrow(
      /KB_DB_ACCESS_KEY_ID and KB_DB_SECRET_ACCESS_KEY/,
    );
  });

  it("addresses the lock object as LanceDB addresses the bucket", () => {
    const keys = { aws_access_key_id: "id", aws_secret_access_key: "secret" };
    expect(
      s3LockTarget("s3://bucket/team/index/", { ...keys, aws_region: "eu-west-1" }).url.href,
    ).toBe("https://s3.eu-west-1.amazonaws.com/bucket/team/index/ingest.lock");
    expect(
      s3LockTarget("s3://bucket/index", {
        ...keys,
        aws_region: "eu-west-1",
        aws_virtual_hosted_style_request: "true",
      }).url.href,
    ).toBe("https://bucket.s3.eu-west-1.amazonaws.com/index/ingest.lock");
    expect(
      s3LockTarget("s3://bucket", { ...keys, aws_endpoint: "https://minio.internal:9000" }).url
        .href,
    ).toBe("https://minio.internal:9000/bucket/ingest.lock");
  });
});
