import { createHmac } from "node:crypto";

/** The headers of a Blob service request that go into the Shared Key string to sign, lower-case names. */
export interface AzureSignedRequest {
  method: string;
  url: URL;
  headers: Readonly<Record<string, string>>;
  /** Bytes in the body; 0 (no body) is signed as an empty Content-Length, as the service expects since 2015-02-21. */
  contentLength: number;
}

/**
 * The `Authorization: SharedKey account:signature` value of a Blob service request: an
 * HMAC-SHA256, with the base64-decoded account key, over the verb, the standard headers in
 * their fixed order, the `x-ms-*` headers sorted, and the canonicalized resource
 * (`/account/path` and the query parameters sorted), as "Authorize with Shared Key" in the
 * Azure Storage REST docs lays them out.
 */
export function azureSharedKeyAuthorization(
  request: AzureSignedRequest,
  accountName: string,
  accountKey: Buffer,
): string {
  const header = (name: string) => request.headers[name] ?? "";
  const canonicalizedHeaders = Object.entries(request.headers)
    .filter(([name]) => name.startsWith("x-ms-"))
    .map(([name, value]) => `${name}:${value.trim()}\n`)
    .sort()
    .join("");
  const query = new Map<string, string[]>();
  for (const [name, value] of request.url.searchParams) {
    const values = query.get(name.toLowerCase()) ?? [];
    values.push(value);
    query.set(name.toLowerCase(), values);
  }
  const canonicalizedQuery = [...query.keys()]
    .sort()
    .map((name) => `\n${name}:${(query.get(name) ?? []).sort().join(",")}`)
    .join("");
  const stringToSign = [
    request.method.toUpperCase(),
    header("content-encoding"),
    header("content-language"),
    request.contentLength === 0 ? "" : String(request.contentLength),
    header("content-md5"),
    header("content-type"),
    header("date"),
    header("if-modified-since"),
    header("if-match"),
    header("if-none-match"),
    header("if-unmodified-since"),
    header("range"),
    `${canonicalizedHeaders}/${accountName}${request.url.pathname}${canonicalizedQuery}`,
  ].join("\n");
  const signature = createHmac("sha256", accountKey).update(stringToSign, "utf8").digest("base64");
  return `SharedKey ${accountName}:${signature}`;
}
