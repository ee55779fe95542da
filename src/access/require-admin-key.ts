import type { MiddlewareHandler } from "hono";
import { KbError } from "../errors.js";
import { matchApiKey } from "./match-api-key.js";

/** The operator's routes (admin ingest, metrics) answer to ADMIN_API_KEY alone, whatever API_KEYS allow. */
export function requireAdminKey(adminApiKey: string): MiddlewareHandler {
  const admin = [{ name: "admin", key: adminApiKey }];
  return async (context, next) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(context.req.header("authorization") ?? "")?.[1];
    if (!token || !(await matchApiKey(token, admin))) {
      context.header("www-authenticate", 'Bearer realm="kb-answers admin"');
      throw new KbError("unauthorized", "This route needs the admin key (ADMIN_API_KEY)");
    }
    await next();
  };
}
