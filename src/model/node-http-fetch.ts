import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/** Where a Response made by `createNodeHttpFetch` keeps its Node body. */
const nodeBody = Symbol("nodeBody");

/**
 * A `fetch` for the openai SDK on node:http(s) with keep-alive agents. Its
 * responses are ordinary `Response`s (the SDK reads error bodies, retries and
 * aborts through them), and `responseBodyOf` hands a streamed body to its reader
 * as the Node stream it came from: undici's fetch wraps every network read in
 * web-stream objects, a large share of a streamed token's cost under hundreds of
 * streams (docs/answer-cost.md).
 *
 * Deliberately small: no redirects (an OpenAI-compatible API answers directly),
 * no decompression (it asks for none), request bodies as strings or bytes.
 */
export function createNodeHttpFetch(): typeof fetch {
  // Each agent keeps connections to the model open between answers.
  const agents = {
    "http:": new HttpAgent({ keepAlive: true }),
    "https:": new HttpsAgent({ keepAlive: true }),
  };
  return (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body = requestBodyOf(init.body);
    if (body === undefined && init.body != null) {
      return Promise.reject(new TypeError("fetch failed: unsupported request body"));
    }
    // `init` stays out of the request's closures, which live as long as the streamed answer:
    // its body is the whole prompt as text.
    return send(url, init.method ?? "GET", headers, body, init.signal ?? undefined, agents);
  };
}

/** One request on node:http(s); the promise settles with the response headers. */
function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  signal: AbortSignal | undefined,
  agents: { "http:": HttpAgent; "https:": HttpsAgent },
): Promise<Response> {
  if (signal?.aborted) return Promise.reject(abortErrorOf(signal));
  const isHttps = url.protocol === "https:";
  if (!isHttps && url.protocol !== "http:") {
    return Promise.reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
  }
  const request = (isHttps ? httpsRequest : httpRequest)(url, {
    method,
    headers,
    agent: agents[isHttps ? "https:" : "http:"],
  });
  const response = responseTo(request, signal);
  // Written here, not in a closure: the body is not kept while the answer streams.
  request.end(body);
  return response;
}

function responseTo(request: ClientRequest, signal: AbortSignal | undefined): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    let incoming: IncomingMessage | undefined;
    const onAbort = () => {
      const error = abortErrorOf(signal);
      // Before the headers the promise fails; after, the body's reader does.
      if (incoming) incoming.destroy(error);
      else reject(error);
      request.destroy(error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    request.once("error", (error) => {
      signal?.removeEventListener("abort", onAbort);
      if (!incoming) reject(new TypeError("fetch failed", { cause: error }));
    });
    request.once("response", (response) => {
      incoming = response;
      // Until the body closes, this listener keeps the signal, and with it the SDK's abort of
      // this request (held weakly by the SDK), alive.
      response.once("close", () => signal?.removeEventListener("abort", onAbort));
      resolve(toResponse(response));
    });
  });
}

/**
 * The body to read of a Response: the Node stream of one made by
 * `createNodeHttpFetch`, else its web stream. Read it once, one way.
 */
export function responseBodyOf(response: Response): AsyncIterable<Uint8Array> | null {
  const ours = (response as { [nodeBody]?: IncomingMessage })[nodeBody];
  return ours ?? response.body;
}

function toResponse(incoming: IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const status = incoming.statusCode ?? 500;
  const noBody = status === 204 || status === 205 || status === 304;
  if (noBody) incoming.resume();
  // A web stream over the Node one, pulled only if someone reads `body` (the SDK, for an
  // error's text); `responseBodyOf` skips it.
  let reading: AsyncIterator<Uint8Array> | undefined;
  const body = noBody
    ? null
    : new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            reading ??= incoming[Symbol.asyncIterator]();
            const next = await reading.next();
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          },
          cancel(reason) {
            incoming.destroy(reason instanceof Error ? reason : undefined);
          },
        },
        { highWaterMark: 0 },
      );
  const response = new Response(body, {
    status,
    statusText: incoming.statusMessage ?? "",
    headers,
  });
  Object.defineProperty(response, nodeBody, { value: noBody ? null : incoming });
  return response;
}

function requestBodyOf(body: RequestInit["body"]): string | Uint8Array | undefined {
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return undefined;
}

function abortErrorOf(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  return new DOMException("This operation was aborted", "AbortError");
}
