import { generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azureLockTarget } from "../../src/store/azure-lock-store.js";
import { acquireWriteLock, lockObjectStoreFor } from "../../src/store/write-lock.js";
import {
  type AzureBlobTestServer,
  startAzureBlobTestServer,
} from "../helpers/azure-blob-server.js";
import { type GcsTestServer, startGcsTestServer } from "../helpers/gcs-server.js";
import { makeTempDir } from "../helpers/temp-dir.js";

describe("the ingest lock's credentials on gs://", () => {
  let gcs: GcsTestServer;
  beforeAll(async () => {
    gcs = await startGcsTestServer();
  });
  afterAll(() => gcs.close());

  it("needs a service account key, and names both settings that give one", async () => {
    await expect(
      acquireWriteLock("gs://locks/index", { storageOptions: {} }),
    ).rejects.toMatchObject({
      code: "invalid_config",
      message: expect.stringMatching(
        /KB_DB_GOOGLE_SERVICE_ACCOUNT .*KB_DB_GOOGLE_SERVICE_ACCOUNT_KEY/,
      ),
    });
  });

  it("reads the key from the file KB_DB_GOOGLE_SERVICE_ACCOUNT names, and says when it cannot", async () => {
    const keyPath = join(await makeTempDir(), "key.json");
    await writeFile(keyPath, gcs.serviceAccountKey());
    const held = await acquireWriteLock("gs://locks/from-file", {
      storageOptions: { google_service_account: keyPath, allow_http: "true" },
    });
    expect(gcs.getObject("locks", "from-file/ingest.lock")).toContain(`"pid":${process.pid}`);
    await held.release();
    await expect(
      acquireWriteLock("gs://locks/from-file", {
        storageOptions: { google_service_account: `${keyPath}.missing`, allow_http: "true" },
      }),
    ).rejects.toMatchObject({
      code: "invalid_config",
      message: expect.stringContaining("KB_DB_GOOGLE_SERVICE_ACCOUNT: cannot read"),
    });
  });

  it("refuses a key that is not a service account key, naming what it lacks", async () => {
    const refused = (key: string) =>
      expect(
        acquireWriteLock("gs://locks/index", {
          storageOptions: { google_service_account_key: key, allow_http: "true" },
        }),
      ).rejects.toMatchObject({ code: "invalid_config" });
    await refused("not json");
    await refused(JSON.stringify({ client_email: "a@b" }));
    await expect(
      acquireWriteLock("gs://locks/index", {
        storageOptions: { google_service_account_key: JSON.stringify({ client_email: "a@b" }) },
      }),
    ).rejects.toThrow(/KB_DB_GOOGLE_SERVICE_ACCOUNT_KEY: .*private_key/);
    await refused(gcs.serviceAccountKey({ private_key: "-----BEGIN PRIVATE KEY-----\nxx\n" }));
  });

  it("turns a key Google refuses (signed by another private key) into invalid_config, writing nothing", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = gcs.serviceAccountKey({
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }),
    });
    await expect(
      acquireWriteLock("gs://locks/forged", {
        storageOptions: { google_service_account_key: forged, allow_http: "true" },
      }),
    ).rejects.toMatchObject({
      code: "invalid_config",
      message: expect.stringMatching(
        /refused the service account key in KB_DB_GOOGLE_SERVICE_ACCOUNT_KEY.*Invalid JWT Signature/,
      ),
    });
    expect(gcs.getObject("locks", "forged/ingest.lock")).toBeUndefined();
  });

  it("asks for one access token and reuses it until it nears its expiry", async () => {
    const storageOptions = {
      google_service_account_key: gcs.serviceAccountKey(),
      allow_http: "true",
    };
    const before = gcs.tokensIssued;
    const held = await acquireWriteLock("gs://locks/tokens", { storageOptions });
    await held.release();
    expect(gcs.tokensIssued - before).toBe(1);

    // Tokens living no longer than the refresh margin are replaced at every request.
    gcs.tokenLifetimeSeconds = 30;
    try {
      const store = await lockObjectStoreFor("gs://locks/short-tokens", storageOptions);
      const issued = gcs.tokensIssued;
      const version = await store?.create("{}");
      await store?.remove(version ?? "");
      expect(gcs.tokensIssued - issued).toBe(2);
    } finally {
      gcs.tokenLifetimeSeconds = 3600;
    }
  });

  it("asks for a new token when Cloud Storage refuses the cached one", async () => {
    const storageOptions = {
      google_service_account_key: gcs.serviceAccountKey(),
      allow_http: "true",
    };
    const store = await lockObjectStoreFor("gs://locks/revoked", storageOptions);
    const version = await store?.create("{}");
    gcs.revokeTokens();
    await expect(store?.read()).rejects.toMatchObject({ code: "invalid_config" });
    expect(await store?.read()).toEqual({ body: "{}", version });
  });

  it("refuses a plain-HTTP gcs_base_url unless KB_DB_ALLOW_HTTP is set", async () => {
    await expect(
      acquireWriteLock("gs://locks/index", {
        storageOptions: { google_service_account_key: gcs.serviceAccountKey() },
      }),
    ).rejects.toThrow(/gcs_base_url is plain HTTP.*KB_DB_ALLOW_HTTP=true/);
  });
});

describe("the ingest lock's credentials on az://", () => {
  let azure: AzureBlobTestServer;
  beforeAll(async () => {
    azure = await startAzureBlobTestServer();
  });
  afterAll(() => azure.close());
  const options = (accountKey: string) => ({
    azure_storage_account_name: azure.accountName,
    azure_storage_account_key: accountKey,
    azure_storage_endpoint: azure.endpoint,
    allow_http: "true",
  });

  it("needs the account name and key, and names both settings", async () => {
    await expect(
      acquireWriteLock("az://locks/index", {
        storageOptions: { azure_storage_account_name: "kbstore" },
      }),
    ).rejects.toMatchObject({
      code: "invalid_config",
      message: expect.stringContaining("KB_DB_AZURE_ACCOUNT_NAME and KB_DB_AZURE_ACCOUNT_KEY"),
    });
    await expect(
      acquireWriteLock("az://locks/index", { storageOptions: options("not base64!") }),
    ).rejects.toThrow(/KB_DB_AZURE_ACCOUNT_KEY is not a storage account key/);
  });

  it("turns a wrong account key into invalid_config, the server having refused the signature", async () => {
    const refusedBefore = azure.refusedSignatures;
    await expect(
      acquireWriteLock("az://locks/wrong-key", {
        storageOptions: options(randomBytes(64).toString("base64")),
      }),
    ).rejects.toMatchObject({
      code: "invalid_config",
      message: expect.stringMatching(/Azure refused PUT .*KB_DB_AZURE_ACCOUNT_KEY/),
    });
    expect(azure.refusedSignatures).toBeGreaterThan(refusedBefore);
    expect(azure.getBlob("locks", "wrong-key/ingest.lock")).toBeUndefined();
  });

  it("addresses the lock blob as object_store addresses the container", () => {
    const key = randomBytes(64).toString("base64");
    const account = { azure_storage_account_name: "kbstore", azure_storage_account_key: key };
    expect(azureLockTarget("az://runbooks/team/index/", account).url.href).toBe(
      "https://kbstore.blob.core.windows.net/runbooks/team/index/ingest.lock",
    );
    expect(
      azureLockTarget("az://runbooks/index", {
        ...account,
        azure_storage_endpoint: "http://127.0.0.1:10000/devstoreaccount1",
        allow_http: "true",
      }).url.href,
    ).toBe("http://127.0.0.1:10000/devstoreaccount1/runbooks/index/ingest.lock");
    expect(() =>
      azureLockTarget("az://runbooks/index", {
        ...account,
        azure_storage_endpoint: "http://127.0.0.1:10000/devstoreaccount1",
      }),
    ).toThrow(/KB_DB_ALLOW_HTTP=true/);
    expect(() =>
      azureLockTarget("az://runbooks@kbstore.blob.core.windows.net/index", account),
    ).toThrow(/az:\/\/<container>\/<path>/);
  });
});

describe("the ingest lock on db:// (LanceDB Cloud)", () => {
  it("takes no lock object: LanceDB Cloud serialises writes itself", async () => {
    expect(await lockObjectStoreFor("db://my-project", {})).toBeUndefined();
    const held = await acquireWriteLock("db://my-project", { storageOptions: {} });
    expect(held.lost.aborted).toBe(false);
    await held.release();
  });
});
