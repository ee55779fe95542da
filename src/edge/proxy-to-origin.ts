import { isAbortError, KbError } from "../errors.js";

/** Request headers the API reads; cookies and the edge's own headers stay at the edge. */
const forwardedRequestHeaders = [
  "content-type",
  "accept",
  "authorization",
  "x-request-id",
  "last-event-id",
];

/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection, not to the response. */
const hopByHopHeaders = ["connection", "keep-alive", "transfer-encoding", "upgrade"];

export interface ProxyOptions {
  /** The Node server, e.g. `https://kb-origin.example.internal`; a path prefix is kept. */
  originUrl: URL;
  /** Sent as X-Request-Id so the origin's logs carry the edge's id. */
  requestId: string;
}

/**
 * Forward a request to the Node origin and hand its response back as it
 * arrives: the body is passed through as a stream, never read, so answer
 * streams reach the client delta by delta. The request's signal goes with it,
 * so a client that leaves closes the origin connection, and the origin aborts
 * the model call.
 */
export async function proxyToOrigin(request: Request, options: ProxyOptions): Promise<Response> {
  const incoming = new URL(request.url);
  const target = new URL(options.originUrl);
  target.pathname = `${target.pathname.replace(/\/+$/, "")}${incoming.pathname}`;
  target.search = incoming.search;

  const headers = new Headers();
  for (const name of forwardedRequestHeaders) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set("x-request-id", options.requestId);

  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? request.body : null,
      signal: request.signal,
      redirect: "manual",
    });
  } catch (error) {
    // The client left: nobody reads this response, so there is nothing to report.
    if (isAbortError(error)) throw error;
    throw new KbError(
      "upstream_error",
      `The origin ${options.originUrl.origin} (ORIGIN_URL) could not be reached: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  // A new Response over the same stream: headers become mutable for CORS, the body is not touched.
  const response = new Response(upstream.body, upstream);
  for (const name of hopByHopHeaders) response.headers.delete(name);
  return response;
}
