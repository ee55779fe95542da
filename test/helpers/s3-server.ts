import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The smallest S3-compatible server that LanceDB (through Rust's object_store) works against,
 * for tests and benchmarks on 127.0.0.1. Path-style addressing (`/bucket/key`), objects in
 * memory, any bucket exists, any signature is accepted (nothing is checked).
 *
 * What it implements, because LanceDB or our ingest lock issue it: GET (whole and ranged),
 * HEAD, PUT (with `If-None-Match: *` and `If-Match: etag`, answering 412 when they fail),
 * DELETE (with `If-Match`), DeleteObjects, CopyObject, ListObjectsV2 (prefix, delimiter,
 * max-keys, continuation, start-after) and multipart uploads (create, upload part,
 * complete, abort). Anything else answers 501 NotImplemented, so a gap shows up in a test.
 *
 * No Node S3 server from the registries was faithful enough (s3rver ignores conditional PUT
 * and cannot list LanceDB's tables), hence this one; test/helpers/s3-server.test.ts holds it
 * to the semantics it claims.
 */
export interface S3TestServer {
  /** `http://127.0.0.1:PORT`, for `aws_endpoint`. */
  readonly endpoint: string;
  /** Requests by kind (`get`, `get_range`, `head`, `put`, `put_if_none_match`, `list`, ...). */
  readonly counts: Map<string, number>;
  /** Added before each response; change it at any time. Milliseconds. */
  latencyMs: number;
  /** Every request's kind, key and arrival (performance.now()), when `record` was set. */
  readonly log: { kind: string; key: string; at: number }[];
  /** Stored keys of a bucket, sorted. */
  keys(bucket: string): string[];
  resetCounts(): void;
  close(): Promise<void>;
}

interface StoredObject {
  body: Buffer;
  etag: string;
  lastModified: Date;
}

interface MultipartUpload {
  bucket: string;
  key: string;
  parts: Map<number, { body: Buffer; etag: string }>;
}

export async function startS3TestServer(
  options: { latencyMs?: number; record?: boolean } = {},
): Promise<S3TestServer> {
  const buckets = new Map<string, Map<string, StoredObject>>();
  const uploads = new Map<string, MultipartUpload>();
  const counts = new Map<string, number>();
  const log: { kind: string; key: string; at: number }[] = [];
  let etagCounter = 0;

  const bucketOf = (name: string) => {
    let bucket = buckets.get(name);
    if (!bucket) {
      bucket = new Map();
      buckets.set(name, bucket);
    }
    return bucket;
  };
  // Distinct for every write, even of the same bytes, as S3's are for conditional writes.
  const newEtag = (body: Buffer) =>
    `"${createHash("md5").update(body).update(String(++etagCounter)).digest("hex")}"`;

  const handle = async (request: IncomingMessage, response: ServerResponse, at: number) => {
    const url = new URL(request.url ?? "/", "http://s3.local");
    const [bucketName = "", ...keyParts] = url.pathname.slice(1).split("/");
    const key = keyParts.map(decodeURIComponent).join("/");
    const body = await readBody(request);
    const query = url.searchParams;
    const method = request.method ?? "GET";
    const bucket = bucketOf(decodeURIComponent(bucketName));
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const count = (kind: string) => {
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      if (options.record) log.push({ kind, key, at });
    };

    if (key === "" && method === "GET" && query.get("list-type") === "2") {
      count("list");
      return sendXml(response, 200, listObjects(bucket, query));
    }
    if (key === "" && method === "POST" && query.has("delete")) {
      count("delete_objects");
      const deleted = [...body.toString("utf8").matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) =>
        unescapeXml(match[1] ?? ""),
      );
      for (const name of deleted) bucket.delete(name);
      return sendXml(
        response,
        200,
        `<DeleteResult>${deleted.map((name) => `<Deleted><Key>${escapeXml(name)}</Key></Deleted>`).join("")}</DeleteResult>`,
      );
    }
    if (key === "") {
      count(`unsupported_${method.toLowerCase()}_bucket`);
      return sendError(response, 501, "NotImplemented", `${method} ${url.search} on a bucket`);
    }

    if (method === "POST" && query.has("uploads")) {
      count("multipart_create");
      const uploadId = randomUUID();
      uploads.set(uploadId, { bucket: bucketName, key, parts: new Map() });
      return sendXml(
        response,
        200,
        `<InitiateMultipartUploadResult><Bucket>${escapeXml(bucketName)}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    const uploadId = query.get("uploadId");
    if (uploadId !== null) {
      const upload = uploads.get(uploadId);
      if (!upload) return sendError(response, 404, "NoSuchUpload", uploadId);
      if (method === "PUT") {
        count("multipart_part");
        const etag = newEtag(body);
        upload.parts.set(Number(query.get("partNumber")), { body, etag });
        response.writeHead(200, { etag });
        return response.end();
      }
      if (method === "POST") {
        count("multipart_complete");
        const numbers = [...body.toString("utf8").matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map(
          (match) => Number(match[1]),
        );
        const parts = numbers.map((number) => upload.parts.get(number));
        if (parts.some((part) => part === undefined))
          return sendError(response, 400, "InvalidPart", "a listed part was never uploaded");
        const whole = Buffer.concat(parts.map((part) => (part as { body: Buffer }).body));
        const stored = { body: whole, etag: newEtag(whole), lastModified: new Date() };
        bucket.set(key, stored);
        uploads.delete(uploadId);
        return sendXml(
          response,
          200,
          `<CompleteMultipartUploadResult><Key>${escapeXml(key)}</Key><ETag>${stored.etag}</ETag></CompleteMultipartUploadResult>`,
        );
      }
      if (method === "DELETE") {
        count("multipart_abort");
        uploads.delete(uploadId);
        response.writeHead(204);
        return response.end();
      }
    }

    const existing = bucket.get(key);
    const ifMatch = header("if-match");
    const ifNoneMatch = header("if-none-match");
    if (method === "PUT") {
      const copySource = header("x-amz-copy-source");
      let content = body;
      if (copySource !== undefined) {
        const [sourceBucket = "", ...sourceKey] = decodeURIComponent(copySource)
          .replace(/^\//, "")
          .split("/");
        const source = buckets.get(sourceBucket)?.get(sourceKey.join("/"));
        count(ifNoneMatch === "*" ? "copy_if_none_match" : "copy");
        if (!source) return sendError(response, 404, "NoSuchKey", copySource);
        content = source.body;
      } else {
        count(ifNoneMatch === "*" ? "put_if_none_match" : ifMatch ? "put_if_match" : "put");
      }
      if (ifNoneMatch === "*" && existing)
        return sendError(response, 412, "PreconditionFailed", `${key} exists`);
      if (ifMatch !== undefined && existing?.etag !== ifMatch)
        return sendError(response, existing ? 412 : 404, "PreconditionFailed", key);
      const stored = { body: content, etag: newEtag(content), lastModified: new Date() };
      bucket.set(key, stored);
      if (copySource !== undefined) {
        return sendXml(
          response,
          200,
          `<CopyObjectResult><ETag>${stored.etag}</ETag><LastModified>${stored.lastModified.toISOString()}</LastModified></CopyObjectResult>`,
        );
      }
      response.writeHead(200, { etag: stored.etag });
      return response.end();
    }
    if (method === "DELETE") {
      count("delete");
      if (ifMatch !== undefined && existing && existing.etag !== ifMatch)
        return sendError(response, 412, "PreconditionFailed", key);
      bucket.delete(key);
      response.writeHead(204);
      return response.end();
    }
    if (method === "GET" || method === "HEAD") {
      const range = header("range");
      count(method === "HEAD" ? "head" : range ? "get_range" : "get");
      if (!existing) return sendError(response, 404, "NoSuchKey", key, method === "HEAD");
      if (ifMatch !== undefined && ifMatch !== existing.etag)
        return sendError(response, 412, "PreconditionFailed", key, method === "HEAD");
      if (ifNoneMatch !== undefined && ifNoneMatch === existing.etag) {
        response.writeHead(304, { etag: existing.etag });
        return response.end();
      }
      const headers = {
        etag: existing.etag,
        "last-modified": existing.lastModified.toUTCString(),
        "accept-ranges": "bytes",
        "content-type": "application/octet-stream",
      };
      const size = existing.body.length;
      const bounds = range === undefined ? undefined : parseRange(range, size);
      if (bounds === "invalid")
        return sendError(response, 416, "InvalidRange", `${range} of ${size} bytes`);
      if (bounds === undefined) {
        response.writeHead(200, { ...headers, "content-length": size });
        return response.end(method === "HEAD" ? undefined : existing.body);
      }
      const [start, end] = bounds;
      response.writeHead(206, {
        ...headers,
        "content-length": end - start + 1,
        "content-range": `bytes ${start}-${end}/${size}`,
      });
      return response.end(method === "HEAD" ? undefined : existing.body.subarray(start, end + 1));
    }
    count(`unsupported_${method.toLowerCase()}`);
    return sendError(response, 501, "NotImplemented", `${method} ${url.search}`);
  };

  const state = { latencyMs: options.latencyMs ?? 0 };
  const server = createServer((request, response) => {
    const delay = state.latencyMs;
    const at = performance.now();
    const run = () =>
      handle(request, response, at).catch((error: unknown) => {
        if (!response.headersSent) sendError(response, 500, "InternalError", String(error));
        else response.destroy();
      });
    if (delay > 0) setTimeout(run, delay);
    else void run();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    log,
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(value: number) {
      state.latencyMs = value;
    },
    keys: (name) => [...(buckets.get(name)?.keys() ?? [])].sort(),
    resetCounts: () => {
      counts.clear();
      log.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function listObjects(bucket: Map<string, StoredObject>, query: URLSearchParams): string {
  const prefix = query.get("prefix") ?? "";
  const delimiter = query.get("delimiter") ?? "";
  const maxKeys = Math.min(Number(query.get("max-keys") ?? 1000) || 1000, 1000);
  // The continuation token is the last key or common prefix of the previous page.
  const after = query.get("continuation-token") ?? query.get("start-after") ?? "";
  const entries: { key: string; object?: StoredObject }[] = [];
  const seenPrefixes = new Set<string>();
  for (const key of [...bucket.keys()].sort()) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const cut = delimiter === "" ? -1 : rest.indexOf(delimiter);
    if (cut >= 0) {
      const common = prefix + rest.slice(0, cut + delimiter.length);
      if (common <= after || seenPrefixes.has(common)) continue;
      seenPrefixes.add(common);
      entries.push({ key: common });
    } else if (key > after) {
      entries.push({ key, object: bucket.get(key) as StoredObject });
    }
  }
  const page = entries.slice(0, maxKeys);
  const truncated = entries.length > maxKeys;
  const contents = page
    .filter((entry) => entry.object)
    .map(
      ({ key, object }) =>
        `<Contents><Key>${escapeXml(key)}</Key><LastModified>${object?.lastModified.toISOString()}</LastModified><ETag>${object?.etag}</ETag><Size>${object?.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join("");
  const prefixes = page
    .filter((entry) => !entry.object)
    .map(({ key }) => `<CommonPrefixes><Prefix>${escapeXml(key)}</Prefix></CommonPrefixes>`)
    .join("");
  const last = page.at(-1)?.key ?? "";
  return `<ListBucketResult><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>${delimiter ? `<Delimiter>${escapeXml(delimiter)}</Delimiter>` : ""}<IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${escapeXml(last)}</NextContinuationToken>` : ""}${contents}${prefixes}</ListBucketResult>`;
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` as inclusive bounds within the object. */
function parseRange(range: string, size: number): [number, number] | "invalid" | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!match) return undefined;
  const [, from = "", to = ""] = match;
  if (from === "" && to === "") return "invalid";
  if (from === "") {
    const suffix = Number(to);
    if (suffix === 0) return "invalid";
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(from);
  if (start >= size) return "invalid";
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  return end < start ? "invalid" : [start, end];
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendXml(response: ServerResponse, status: number, xml: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
  response.writeHead(status, {
    "content-type": "application/xml",
    "content-length": Buffer.byteLength(body),
  });
  response.end(body);
}

function sendError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  headOnly = false,
): void {
  if (headOnly) {
    response.writeHead(status);
    response.end();
    return;
  }
  sendXml(
    response,
    status,
    `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`,
  );
}

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const unescapeXml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
