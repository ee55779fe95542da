import { createPrivateKey, type KeyObject, sign } from "node:crypto";
import { z } from "zod";
import { KbError } from "../errors.js";
import { parseJsonOrUndefined } from "../text/parse-json.js";

/** The fields of a Google service account key (the JSON file from the console) the lock uses. */
export const GoogleServiceAccountKey = z.object({
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
  token_uri: z.url().default("https://oauth2.googleapis.com/token"),
  /** object_store's own field for another Cloud Storage endpoint (an emulator): LanceDB reads it too. */
  gcs_base_url: z.url().optional(),
});
export type GoogleServiceAccountKey = z.infer<typeof GoogleServiceAccountKey>;

const TokenResponse = z.object({
  access_token: z.string().min(1),
  /** Seconds. */
  expires_in: z.number().positive(),
});

/** Read and write objects, nothing more. */
const storageScope = "https://www.googleapis.com/auth/devstorage.read_write";
/** A token is replaced this long before Google says it expires, so no request carries a dying one. */
const refreshMarginMs = 60_000;

export interface GoogleAccessTokens {
  /** A current access token: the cached one, or a new one when it is near its expiry. */
  get(): Promise<string>;
  /** Forgets the cached token (Cloud Storage refused it): the next `get` asks for a new one. */
  forget(): void;
}

/**
 * OAuth2 access tokens for a service account, as Google's server-to-server flow issues them:
 * a JWT (RS256, signed with the key's private key) sent to the key's `token_uri` as a
 * `jwt-bearer` grant, the token cached until shortly before it expires. `keySetting` names
 * the setting the key came from, for the error when Google refuses it.
 */
export function createGoogleAccessTokens(
  key: GoogleServiceAccountKey,
  options: { keySetting: string; fetch?: typeof fetch },
): GoogleAccessTokens {
  const fetchImpl = options.fetch ?? fetch;
  const privateKey = readPrivateKey(key, options.keySetting);
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const issuedAt = Math.floor(Date.now() / 1000);
    const assertion = signJwt(
      { alg: "RS256", typ: "JWT", ...(key.private_key_id ? { kid: key.private_key_id } : {}) },
      {
        iss: key.client_email,
        scope: storageScope,
        aud: key.token_uri,
        iat: issuedAt,
        exp: issuedAt + 3600,
      },
      privateKey,
    );
    const response = await fetchImpl(key.token_uri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion,
      }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      throw new KbError(
        "invalid_config",
        `${key.token_uri} refused the service account key in ${options.keySetting} (${key.client_email}): HTTP ${response.status} ${text.slice(0, 200)}. Check the key is current and not revoked.`,
      );
    }
    if (!response.ok) {
      throw new Error(
        `POST ${key.token_uri} failed: HTTP ${response.status} ${text.slice(0, 300)}`,
      );
    }
    const parsed = TokenResponse.safeParse(parseJsonOrUndefined(text));
    if (!parsed.success) {
      throw new Error(
        `POST ${key.token_uri} answered without an access token: ${text.slice(0, 300)}`,
      );
    }
    cached = {
      token: parsed.data.access_token,
      refreshAt: Date.now() + parsed.data.expires_in * 1000 - refreshMarginMs,
    };
    return cached.token;
  };

  return {
    get() {
      if (cached !== undefined && Date.now() < cached.refreshAt)
        return Promise.resolve(cached.token);
      // One request for callers that arrive together.
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    forget() {
      cached = undefined;
    },
  };
}

function readPrivateKey(key: GoogleServiceAccountKey, keySetting: string): KeyObject {
  try {
    const privateKey = createPrivateKey(key.private_key);
    if (privateKey.asymmetricKeyType !== "rsa") throw new Error("not an RSA key");
    return privateKey;
  } catch (error) {
    throw new KbError(
      "invalid_config",
      `${keySetting}: the service account key's private_key is not a PEM RSA private key (${error instanceof Error ? error.message : String(error)}).`,
      { cause: error },
    );
  }
}

function signJwt(header: object, claims: object, privateKey: KeyObject): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signature = sign("sha256", Buffer.from(signingInput), privateKey).toString("base64url");
  return `${signingInput}.${signature}`;
}
