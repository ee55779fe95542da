/** The API's CORS rules, in the shape hono's `cors()` takes. */
export interface CorsPolicy {
  origin: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge: number;
}

/**
 * The API's CORS rules, shared by the Node app and the edge Worker: an
 * allowlist of portal origins; with none configured, browsers on other origins are refused.
 */
export function corsPolicy(allowedOrigins: string[]): CorsPolicy {
  return {
    origin: allowedOrigins,
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["content-type", "authorization", "x-request-id"],
    exposeHeaders: ["x-request-id"],
    maxAge: 600,
  };
}
