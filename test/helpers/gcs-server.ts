import { generateKeyPairSync, type KeyObject, randomUUID, verify } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The smallest Google Cloud Storage server the ingest lock works against, on 127.0.0.1, with
 * the OAuth2 token endpoint in front of it. Objects in memory, any bucket exists.
 *
 * What it implements, exactly the calls the lock makes:
 * - `POST /token`: the service-account (`jwt-bearer`) grant. It issues a token only for a JWT
 *   signed RS256 by the service account's private key (verified with its public key), issued
 *   by its `client_email`, for this endpoint as audience, with a storage scope, not expired;
 *   otherwise 400 `invalid_grant`, as Google answers.
 * - `POST /upload/storage/v1/b/<bucket>/o?uploadType=media&name=<object>`, with optional
 *   `ifGenerationMatch` (0: only if no live object): the object resource as JSON, its
 *   `generation` a new decimal string each write.
 * - `GET /storage/v1/b/<bucket>/o/<object>?alt=media`: the content, its generation in
 *   `x-goog-generation`.
 * - `DELETE /storage/v1/b/<bucket>/o/<object>`, with optional `ifGenerationMatch`: 204.
 * A failed `ifGenerationMatch` answers 412 (also when the object does not exist and the
 * value is not 0), a missing object 404, a request without a token this server issued 401.
 * Anything else answers 501, so a gap shows up in a test.
 */
export interface GcsTestServer {
  /** `http://127.0.0.1:PORT`, the `gcs_base_url` of the service account key. */
  readonly endpoint: string;
  /** The service account key file's JSON, as the Google Cloud console downloads it (plus `gcs_base_url`). */
  serviceAccountKey(overrides?: Record<string, unknown>): string;
  /** Access tokens issued so far. */
  readonly tokensIssued: number;
  /** Seconds each issued token lives; change it at any time. Default 3600. */
  tokenLifetimeSeconds: number;
  /** Revokes every token issued so far: requests carrying one are answered 401. */
  revokeTokens(): void;
  /** Writes an object as another client would (no precondition, no token). */
  putObject(bucket: string, name: string, body: string): void;
  /** An object's content, or undefined. */
  getObject(bucket: string, name: string): string | undefined;
  close(): Promise<void>;
}

const clientEmail = "kb-ingest@kb-project.iam.gserviceaccount.com";

export async function startGcsTestServer(): Promise<GcsTestServer> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKeyId = randomUUID().replaceAll("-", "");
  const objects = new Map<string, { body: string; generation: string }>();
  const tokens = new Map<string, number>();
  let generationCounter = 0;
  const newGeneration = () => String(Date.now() * 1000 + (++generationCounter % 1000));
  const state = { tokensIssued: 0, tokenLifetimeSeconds: 3600 };
  let endpoint = "";

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://gcs.local");
    const method = request.method ?? "GET";
    const body = await readBody(request);

    if (method === "POST" && url.pathname === "/token") {
      const form = new URLSearchParams(body);
      let refusal: string | undefined;
      try {
        refusal = checkAssertion(form, publicKey, `${endpoint}/token`);
      } catch {
        refusal = "malformed assertion";
      }
      if (refusal !== undefined)
        return sendJson(response, 400, { error: "invalid_grant", error_description: refusal });
      const token = `ya29.${randomUUID()}`;
      tokens.set(token, Date.now() + state.tokenLifetimeSeconds * 1000);
      state.tokensIssued++;
      return sendJson(response, 200, {
        access_token: token,
        expires_in: state.tokenLifetimeSeconds,
        token_type: "Bearer",
      });
    }

    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const expiresAt = bearer === undefined ? undefined : tokens.get(bearer);
    if (expiresAt === undefined || expiresAt <= Date.now())
      return sendError(response, 401, "Invalid Credentials");

    const precondition = url.searchParams.get("ifGenerationMatch");
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (method === "POST" && upload && url.searchParams.get("uploadType") === "media") {
      const name = url.searchParams.get("name");
      if (name === null) return sendError(response, 400, "Required parameter: name");
      const bucket = decodeURIComponent(upload[1] ?? "");
      const key = `${bucket}/${name}`;
      const current = objects.get(key);
      if (precondition !== null && precondition !== (current?.generation ?? "0"))
        return sendError(response, 412, "Precondition Failed");
      const stored = { body, generation: newGeneration() };
      objects.set(key, stored);
      return sendJson(response, 200, {
        kind: "storage#object",
        bucket,
        name,
        generation: stored.generation,
        metageneration: "1",
        size: String(Buffer.byteLength(body)),
      });
    }
    const object = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/.exec(url.pathname);
    if (object) {
      const key = `${decodeURIComponent(object[1] ?? "")}/${decodeURIComponent(object[2] ?? "")}`;
      const current = objects.get(key);
      if (method === "GET" && url.searchParams.get("alt") === "media") {
        if (!current) return sendError(response, 404, "No such object");
        response.writeHead(200, {
          "content-type": "application/octet-stream",
          "x-goog-generation": current.generation,
          "x-goog-metageneration": "1",
        });
        return response.end(current.body);
      }
      if (method === "DELETE") {
        if (!current) return sendError(response, 404, "No such object");
        if (precondition !== null && precondition !== current.generation)
          return sendError(response, 412, "Precondition Failed");
        objects.delete(key);
        response.writeHead(204);
        return response.end();
      }
    }
    return sendError(response, 501, `${method} ${url.pathname}${url.search} is not implemented`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      sendError(response, 500, String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    serviceAccountKey: (overrides = {}) =>
      JSON.stringify({
        type: "service_account",
        project_id: "kb-project",
        private_key_id: privateKeyId,
        private_key: privateKey.export({ type: "pkcs8", format: "pem" }),
        client_email: clientEmail,
        token_uri: `${endpoint}/token`,
        gcs_base_url: endpoint,
        ...overrides,
      }),
    get tokensIssued() {
      return state.tokensIssued;
    },
    get tokenLifetimeSeconds() {
      return state.tokenLifetimeSeconds;
    },
    set tokenLifetimeSeconds(seconds: number) {
      state.tokenLifetimeSeconds = seconds;
    },
    revokeTokens: () => tokens.clear(),
    putObject(bucket, name, body) {
      objects.set(`${bucket}/${name}`, { body, generation: newGeneration() });
    },
    getObject: (bucket, name) => objects.get(`${bucket}/${name}`)?.body,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Why a jwt-bearer grant is refused, or undefined when its assertion is good. */
function checkAssertion(
  form: URLSearchParams,
  publicKey: KeyObject,
  audience: string,
): string | undefined {
  if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer")
    return "unsupported grant_type";
  const [header, claims, signature, ...rest] = (form.get("assertion") ?? "").split(".");
  if (header === undefined || claims === undefined || signature === undefined || rest.length > 0)
    return "assertion is not a JWT";
  const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  if (decode(header).alg !== "RS256") return "alg must be RS256";
  const signed = verify(
    "sha256",
    Buffer.from(`${header}.${claims}`),
    publicKey,
    Buffer.from(signature, "base64url"),
  );
  if (!signed) return "Invalid JWT Signature.";
  const { iss, aud, scope, iat, exp } = decode(claims);
  const now = Date.now() / 1000;
  if (iss !== clientEmail) return "unknown issuer";
  if (aud !== audience) return "wrong audience";
  if (typeof scope !== "string" || !scope.includes("devstorage")) return "no storage scope";
  if (typeof iat !== "number" || typeof exp !== "number" || exp <= now || iat > now + 60)
    return "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.";
  if (exp - iat > 3600) return "token lifetime over an hour";
  return undefined;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, { error: { code: status, message } });
}
