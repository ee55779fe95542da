import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The smallest Azure Blob Storage server the ingest lock works against, on 127.0.0.1,
 * addressed as Azurite is: `http://127.0.0.1:PORT/<account>/<container>/<blob>`. Blobs in
 * memory, any container exists.
 *
 * Every request must carry `x-ms-date`, `x-ms-version` and a Shared Key authorization that
 * this server recomputes from the request as it arrived (its own reading of "Authorize with
 * Shared Key": verb, the standard headers in order with a zero Content-Length signed empty,
 * the `x-ms-*` headers sorted, `/<account><path>`); a wrong key or string answers 403
 * AuthenticationFailed.
 *
 * What it implements, exactly the calls the lock makes:
 * - Put Blob (`PUT`, `x-ms-blob-type: BlockBlob`): 201 with a new ETag. `If-None-Match: *`
 *   when the blob exists answers 409 BlobAlreadyExists; `If-Match` that does not match
 *   (or a blob that does not exist) 412 ConditionNotMet.
 * - Get Blob (`GET`): 200 with the ETag, or 404 BlobNotFound.
 * - Delete Blob (`DELETE`, optional `If-Match`): 202, 404 BlobNotFound, 412 ConditionNotMet.
 * Anything else answers 501.
 */
export interface AzureBlobTestServer {
  /** `http://127.0.0.1:PORT/<account>`, the account's blob endpoint (`azure_storage_endpoint`). */
  readonly endpoint: string;
  readonly accountName: string;
  /** The account key, base64, as the portal shows it. */
  readonly accountKey: string;
  /** Writes a blob as another client would (no condition, no signature). */
  putBlob(container: string, name: string, body: string): void;
  /** A blob's content, or undefined. */
  getBlob(container: string, name: string): string | undefined;
  /** Requests refused for their signature. */
  readonly refusedSignatures: number;
  close(): Promise<void>;
}

export async function startAzureBlobTestServer(
  options: { accountName?: string } = {},
): Promise<AzureBlobTestServer> {
  const accountName = options.accountName ?? "kbstore";
  const accountKey = randomBytes(64).toString("base64");
  const blobs = new Map<string, { body: string; etag: string }>();
  let etagCounter = 0;
  const newEtag = () =>
    `"0x8D${createHash("sha1").update(String(++etagCounter)).digest("hex").slice(0, 13).toUpperCase()}"`;
  const state = { refusedSignatures: 0 };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://azure.local");
    const method = request.method ?? "GET";
    const body = await readBody(request);
    const header = (name: string) => {
      const value = request.headers[name];
      return (Array.isArray(value) ? value.join(",") : value) ?? "";
    };

    if (!header("x-ms-date") || !header("x-ms-version"))
      return sendError(response, 400, "MissingRequiredHeader", "x-ms-date and x-ms-version");
    if (!signatureMatches(request, url, accountName, Buffer.from(accountKey, "base64"))) {
      state.refusedSignatures++;
      return sendError(
        response,
        403,
        "AuthenticationFailed",
        "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
      );
    }

    const [account, container, ...blobParts] = url.pathname.slice(1).split("/");
    if (account !== accountName || !container || blobParts.length === 0)
      return sendError(response, 400, "InvalidUri", url.pathname);
    const key = `${decodeURIComponent(container)}/${blobParts.map(decodeURIComponent).join("/")}`;
    const current = blobs.get(key);
    const ifMatch = header("if-match");
    const ifNoneMatch = header("if-none-match");

    if (method === "PUT") {
      if (header("x-ms-blob-type") !== "BlockBlob")
        return sendError(response, 400, "MissingRequiredHeader", "x-ms-blob-type");
      if (ifNoneMatch === "*" && current)
        return sendError(response, 409, "BlobAlreadyExists", "The specified blob already exists.");
      if (ifMatch && ifMatch !== "*" && ifMatch !== current?.etag)
        return sendError(
          response,
          412,
          "ConditionNotMet",
          "The condition specified using HTTP conditional header(s) is not met.",
        );
      const stored = { body, etag: newEtag() };
      blobs.set(key, stored);
      response.writeHead(201, { etag: stored.etag, "x-ms-request-server-encrypted": "true" });
      return response.end();
    }
    if (method === "GET") {
      if (!current)
        return sendError(response, 404, "BlobNotFound", "The specified blob does not exist.");
      response.writeHead(200, {
        etag: current.etag,
        "content-type": "application/json",
        "x-ms-blob-type": "BlockBlob",
      });
      return response.end(current.body);
    }
    if (method === "DELETE") {
      if (!current)
        return sendError(response, 404, "BlobNotFound", "The specified blob does not exist.");
      if (ifMatch && ifMatch !== "*" && ifMatch !== current.etag)
        return sendError(
          response,
          412,
          "ConditionNotMet",
          "The condition specified using HTTP conditional header(s) is not met.",
        );
      blobs.delete(key);
      response.writeHead(202);
      return response.end();
    }
    return sendError(response, 501, "NotImplemented", `${method} ${url.pathname}`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      sendError(response, 500, "InternalError", String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}/${accountName}`,
    accountName,
    accountKey,
    putBlob(container, name, body) {
      blobs.set(`${container}/${name}`, { body, etag: newEtag() });
    },
    getBlob: (container, name) => blobs.get(`${container}/${name}`)?.body,
    get refusedSignatures() {
      return state.refusedSignatures;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The Shared Key check, recomputed from the request as it arrived. */
function signatureMatches(
  request: IncomingMessage,
  url: URL,
  accountName: string,
  key: Buffer,
): boolean {
  const given = /^SharedKey ([^:]+):(.+)$/.exec(String(request.headers.authorization ?? ""));
  if (!given || given[1] !== accountName) return false;
  const value = (name: string) => {
    const raw = request.headers[name];
    return (Array.isArray(raw) ? raw.join(",") : raw) ?? "";
  };
  const contentLength = value("content-length");
  const msHeaders = Object.keys(request.headers)
    .filter((name) => name.startsWith("x-ms-"))
    .sort()
    .map((name) => `${name}:${value(name).trim()}\n`)
    .join("");
  const params = [...url.searchParams.keys()]
    .map((name) => name.toLowerCase())
    .filter((name, index, all) => all.indexOf(name) === index)
    .sort()
    .map((name) => `\n${name}:${url.searchParams.getAll(name).sort().join(",")}`)
    .join("");
  const lines = [
    request.method ?? "",
    value("content-encoding"),
    value("content-language"),
    contentLength === "0" ? "" : contentLength,
    value("content-md5"),
    value("content-type"),
    value("date"),
    value("if-modified-since"),
    value("if-match"),
    value("if-none-match"),
    value("if-unmodified-since"),
    value("range"),
  ];
  const stringToSign = `${lines.join("\n")}\n${msHeaders}/${accountName}${url.pathname}${params}`;
  const expected = createHmac("sha256", key).update(stringToSign, "utf8").digest();
  const actual = Buffer.from(given[2] ?? "", "base64");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { "content-type": "application/xml", "x-ms-error-code": code });
  response.end(
    `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
}
