import type { MiddlewareHandler } from "hono";
import { KbError } from "../../errors.js";

/**
 * Answers only requests whose Host header names this server: a page that rebinds its own
 * DNS name to 127.0.0.1 sends its own name, and is refused. An empty list allows any host.
 */
export function checkHost(allowedHosts: readonly string[]): MiddlewareHandler {
  const allowed = new Set(allowedHosts.map(hostName));
  return async (context, next) => {
    if (allowed.size > 0) {
      const host = hostName(context.req.header("host") ?? "");
      if (!allowed.has(host)) {
        throw new KbError(
          "forbidden",
          `Host ${JSON.stringify(host.slice(0, 100))} is not served here; the operator lists served names in ALLOWED_HOSTS`,
        );
      }
    }
    await next();
  };
}

/** `Example.org:3000` → `example.org`, `[::1]:3000` → `::1`. */
function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith("["))
    return value.slice(1, value.indexOf("]") > 0 ? value.indexOf("]") : undefined);
  const colon = value.indexOf(":");
  // One colon is a port; more is a bare IPv6 address.
  return colon >= 0 && value.indexOf(":", colon + 1) < 0 ? value.slice(0, colon) : value;
}
