import type { MiddlewareHandler } from "hono";
import type { ApiKey } from "../../access/api-key.js";
import { matchApiKey } from "../../access/match-api-key.js";
import { KbError } from "../../errors.js";
import type { AppEnv } from "../app-env.js";

/** With keys configured, every caller shows one as `Authorization: Bearer <key>`. */
export function requireApiKey(keys: readonly ApiKey[]): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
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
