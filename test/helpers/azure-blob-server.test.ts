import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azureSharedKeyAuthorization } from "../../src/store/azure-shared-key.js";
import { type AzureBlobTestServer, startAzureBlobTestServer } from "./azure-blob-server.js";

/** The Blob service semantics the test server claims, over real HTTP, as Azure documents them. */
describe("the Azure Blob test server", () => {
  let azure: AzureBlobTestServer;
  const send = (
    method: string,
    name: string,
    headers: Record<string, string> = {},
    body?: string,
    accountKey = azure.accountKey,
  ) => {
    const url = new URL(`${azure.endpoint}/container/${name}`);
    const signed: Record<string, string> = {
      ...headers,
      "x-ms-date": new Date().toUTCString(),
      "x-ms-version": "2021-08-06",
      ...(body === undefined
        ? {}
        : { "content-type": "text/plain", "x-ms-blob-type": "BlockBlob" }),
    };
    signed.authorization = azureSharedKeyAuthorization(
      {
        method,
        url,
        headers: signed,
        contentLength: body === undefined ? 0 : Buffer.byteLength(body),
      },
      azure.accountName,
      Buffer.from(accountKey, "base64"),
    );
    return fetch(url, { method, headers: signed, ...(body === undefined ? {} : { body }) });
  };

  beforeAll(async () => {
    azure = await startAzureBlobTestServer();
  });
  afterAll(() => azure.close());

  it("refuses a request signed with another key, or not signed, with 403 AuthenticationFailed", async () => {
    const wrong = await send("GET", "x", {}, undefined, randomBytes(64).toString("base64"));
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get("x-ms-error-code")).toBe("AuthenticationFailed");
    const unsigned = await fetch(`${azure.endpoint}/container/x`, {
      headers: { "x-ms-date": new Date().toUTCString(), "x-ms-version": "2021-08-06" },
    });
    expect(unsigned.status).toBe(403);
    // A header changed after signing breaks the signature too.
    const url = new URL(`${azure.endpoint}/container/x`);
    const headers: Record<string, string> = {
      "x-ms-date": new Date().toUTCString(),
      "x-ms-version": "2021-08-06",
      "if-match": '"0x1"',
    };
    headers.authorization = azureSharedKeyAuthorization(
      { method: "DELETE", url, headers, contentLength: 0 },
      azure.accountName,
      Buffer.from(azure.accountKey, "base64"),
    );
    expect(
      (await fetch(url, { method: "DELETE", headers: { ...headers, "if-match": '"0x2"' } })).status,
    ).toBe(403);
  });

  it("creates with If-None-Match: * only when the blob does not exist, else 409 BlobAlreadyExists", async () => {
    const created = await send("PUT", "lock", { "if-none-match": "*" }, "first");
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toMatch(/^"0x/);
    const again = await send("PUT", "lock", { "if-none-match": "*" }, "second");
    expect(again.status).toBe(409);
    expect(again.headers.get("x-ms-error-code")).toBe("BlobAlreadyExists");
    const read = await send("GET", "lock");
    expect(await read.text()).toBe("first");
    expect(read.headers.get("etag")).toBe(created.headers.get("etag"));
  });

  it("replaces and deletes under If-Match only while the ETag is unchanged, else 412 ConditionNotMet", async () => {
    const first = (await send("PUT", "leased", {}, "v1")).headers.get("etag") ?? "";
    const second = await send("PUT", "leased", { "if-match": first }, "v2");
    expect(second.status).toBe(201);
    const etag = second.headers.get("etag") ?? "";
    expect(etag).not.toBe(first);
    const stale = await send("PUT", "leased", { "if-match": first }, "v3");
    expect(stale.status).toBe(412);
    expect(stale.headers.get("x-ms-error-code")).toBe("ConditionNotMet");
    expect((await send("PUT", "never-written", { "if-match": first }, "x")).status).toBe(412);
    expect((await send("DELETE", "leased", { "if-match": first })).status).toBe(412);
    expect(azure.getBlob("container", "leased")).toBe("v2");
    expect((await send("DELETE", "leased", { "if-match": etag })).status).toBe(202);
    expect((await send("DELETE", "leased", { "if-match": etag })).status).toBe(404);
    expect((await send("GET", "leased")).status).toBe(404);
  });
});
