import type { Context, MiddlewareHandler } from "hono";
import { KbError } from "../errors.js";
import type { ApiKey } from "./api-key.js";
import { matchApiKey } from "./match-api-key.js";

/** What the middleware records for the request log: the caller's key name. */
export type ApiKeyVariables = { apiKeyName?: string };

/**
 * With keys configured, every caller shows one as `Authorization: Bearer <key>`; shared by
 * the Node app and the edge Worker (whose keys come from its env, hence a function).
 */
export function requireApiKey<Env extends { Variables: ApiKeyVariables }>(
  keysFor: (context: Context<Env>) => readonly ApiKey[],
): MiddlewareHandler<Env> {
  return async (context, next) => {
    const keys = keysFor(context);
    if (keys.length > 0) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(context.req.header("authorization") ?? "");
      const key = match?.[1] ? await matchApiKey(match[1], keys) : undefined;
      if (!key) {
        context.header("www-authenticate", 'Bearer realm="kb-answers"');
        throw new KbError(
          "unauthorized",
          match
            ? "The API key is not valid"
            : "An API key is required: send Authorization: Bearer <key>",
        );
      }
      context.set("apiKeyName", key.name);
    }
    await next();
  };
}
