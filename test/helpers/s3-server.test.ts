import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type S3TestServer, startS3TestServer } from "./s3-server.js";

/** The S3 semantics the test server claims, over real HTTP, as S3 documents them. */
describe("the S3 test server", () => {
  let s3: S3TestServer;
  const url = (path: string) => `${s3.endpoint}/bucket/${path}`;
  const put = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url(path), { method: "PUT", body, headers });

  beforeAll(async () => {
    s3 = await startS3TestServer();
  });
  afterAll(() => s3.close());

  it("refuses a PUT with If-None-Match: * when the key exists, with 412", async () => {
    expect((await put("lock", "first", { "if-none-match": "*" })).status).toBe(200);
    expect((await put("lock", "second", { "if-none-match": "*" })).status).toBe(412);
    expect(await (await fetch(url("lock"))).text()).toBe("first");
  });

  it("replaces an object under If-Match only while its ETag is unchanged", async () => {
    const first = await put("leased", "v1");
    const etag = first.headers.get("etag") ?? "";
    const second = await put("leased", "v2", { "if-match": etag });
    expect(second.status).toBe(200);
    expect((await put("leased", "v3", { "if-match": etag })).status).toBe(412);
    expect((await put("never-written", "x", { "if-match": etag })).status).toBe(404);
    expect(await (await fetch(url("leased"))).text()).toBe("v2");
    expect(second.headers.get("etag")).not.toBe(etag);
  });

  it("answers ranged GETs with 206 and Content-Range, and HEAD with the size", async () => {
    await put("data", "0123456789");
    const ranged = await fetch(url("data"), { headers: { range: "bytes=2-5" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe("bytes 2-5/10");
    expect(await ranged.text()).toBe("2345");
    expect(await (await fetch(url("data"), { headers: { range: "bytes=-3" } })).text()).toBe("789");
    expect(await (await fetch(url("data"), { headers: { range: "bytes=7-" } })).text()).toBe("789");
    expect((await fetch(url("data"), { headers: { range: "bytes=20-30" } })).status).toBe(416);
    const head = await fetch(url("data"), { method: "HEAD" });
    expect(head.headers.get("content-length")).toBe("10");
    expect(head.headers.get("etag")).toBeTruthy();
    expect(head.headers.get("last-modified")).toBeTruthy();
    expect((await fetch(url("missing"))).status).toBe(404);
  });

  it("lists with a prefix and a delimiter, page by page", async () => {
    for (const key of ["t/a.lance/1", "t/a.lance/2", "t/b.lance/1", "t/top", "u/x"])
      await put(key, key);
    const page = async (extra: string) =>
      (await fetch(`${s3.endpoint}/bucket?list-type=2&prefix=t/${extra}`)).text();
    const all = await page("&delimiter=/");
    expect(all).toContain("<Prefix>t/a.lance/</Prefix>");
    expect(all).toContain("<Prefix>t/b.lance/</Prefix>");
    expect(all).toContain("<Key>t/top</Key>");
    expect(all).not.toContain("t/a.lance/1");
    expect(all).not.toContain("u/x");

    const first = await page("&max-keys=2");
    expect(first).toContain("<IsTruncated>true</IsTruncated>");
    const token = /<NextContinuationToken>([^<]*)</.exec(first)?.[1] ?? "";
    const second = await page(`&max-keys=2&continuation-token=${encodeURIComponent(token)}`);
    const keysOf = (xml: string) => [...xml.matchAll(/<Key>([^<]*)</g)].map((match) => match[1]);
    expect([...keysOf(first), ...keysOf(second)]).toEqual([
      "t/a.lance/1",
      "t/a.lance/2",
      "t/b.lance/1",
      "t/top",
    ]);
    expect(second).toContain("<IsTruncated>false</IsTruncated>");
  });

  it("deletes one object, and many in one request", async () => {
    await put("gone/1", "1");
    await put("gone/2", "2");
    await put("gone/3", "3");
    expect((await fetch(url("gone/1"), { method: "DELETE" })).status).toBe(204);
    const deleted = await fetch(`${s3.endpoint}/bucket?delete`, {
      method: "POST",
      body: "<Delete><Object><Key>gone/2</Key></Object><Object><Key>gone/3</Key></Object></Delete>",
    });
    expect(await deleted.text()).toContain("<Key>gone/3</Key>");
    expect(s3.keys("bucket").filter((key) => key.startsWith("gone/"))).toEqual([]);
  });

  it("assembles a multipart upload in part order, and forgets an aborted one", async () => {
    const created = await (await fetch(`${url("big")}?uploads`, { method: "POST" })).text();
    const uploadId = /<UploadId>([^<]*)</.exec(created)?.[1] ?? "";
    const part = (number: number, body: string) =>
      fetch(`${url("big")}?partNumber=${number}&uploadId=${uploadId}`, { method: "PUT", body });
    const two = await part(2, "world");
    const one = await part(1, "hello ");
    const completed = await fetch(`${url("big")}?uploadId=${uploadId}`, {
      method: "POST",
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${one.headers.get("etag")}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>${two.headers.get("etag")}</ETag></Part></CompleteMultipartUpload>`,
    });
    expect(completed.status).toBe(200);
    expect(await (await fetch(url("big"))).text()).toBe("hello world");

    const other = await (await fetch(`${url("aborted")}?uploads`, { method: "POST" })).text();
    const otherId = /<UploadId>([^<]*)</.exec(other)?.[1] ?? "";
    expect(
      (await fetch(`${url("aborted")}?uploadId=${otherId}`, { method: "DELETE" })).status,
    ).toBe(204);
    expect(
      (await fetch(`${url("aborted")}?partNumber=1&uploadId=${otherId}`, { method: "PUT" })).status,
    ).toBe(404);
    expect(s3.keys("bucket")).not.toContain("aborted");
  });

  it("copies an object, refusing onto an existing key under If-None-Match", async () => {
    await put("source", "copied");
    const copy = await fetch(url("target"), {
      method: "PUT",
      headers: { "x-amz-copy-source": "/bucket/source" },
    });
    expect(copy.status).toBe(200);
    expect(await (await fetch(url("target"))).text()).toBe("copied");
    const again = await fetch(url("target"), {
      method: "PUT",
      headers: { "x-amz-copy-source": "/bucket/source", "if-none-match": "*" },
    });
    expect(again.status).toBe(412);
  });

  it("counts requests by kind", async () => {
    s3.resetCounts();
    await fetch(url("data"), { headers: { range: "bytes=0-1" } });
    await fetch(url("data"));
    expect(Object.fromEntries(s3.counts)).toEqual({ get_range: 1, get: 1 });
  });
});
