import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { type RequestIdVariables, requestId } from "hono/request-id";
import { type ApiKeyVariables, requireApiKey } from "../access/require-api-key.js";
import { corsPolicy } from "../contract/cors-policy.js";
import { type ErrorBody, errorBody } from "../contract/error-body.js";
import { routeNotFound } from "../contract/route-not-found.js";
import { KbError } from "../errors.js";
import { type EdgeSettings, readEdgeSettings } from "./edge-settings.js";
import { proxyToOrigin } from "./proxy-to-origin.js";

/** The Workers Static Assets binding (wrangler.toml `[assets] binding`). */
export interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

export type EdgeBindings = Record<string, unknown> & { ASSETS?: AssetsBinding };

type EdgeEnv = {
  Bindings: EdgeBindings;
  Variables: RequestIdVariables & ApiKeyVariables & { settings: EdgeSettings };
};

/** Settings are parsed once per env object, not once per request. */
const settingsByEnv = new WeakMap<object, EdgeSettings>();

function settingsFor(env: EdgeBindings): EdgeSettings {
  let settings = settingsByEnv.get(env);
  if (!settings) {
    settings = readEdgeSettings(env);
    settingsByEnv.set(env, settings);
  }
  return settings;
}

/**
 * The Cloudflare Workers front of kb-answers. LanceDB's native module cannot
 * run on Workers, so the edge answers nothing itself: static assets (the
 * widget and demo page) are served by Workers Static Assets, and the API is
 * forwarded to the Node origin, with the same CORS rules as the Node app and
 * an optional API key checked before anything reaches the origin.
 */
export function createEdgeApp(): Hono<EdgeEnv> {
  const app = new Hono<EdgeEnv>();

  app.use(requestId());
  app.use(async (context, next) => {
    context.set("settings", settingsFor(context.env));
    await next();
  });
  app.use((context, next) => cors(corsPolicy(context.get("settings").corsOrigins))(context, next));
  // Preflights were answered by CORS above, so browsers can learn that a key is needed.
  const keys = requireApiKey<EdgeEnv>((context) => context.get("settings").apiKeys);
  app.use("/v1/*", keys);
  app.use("/readyz", keys);

  const forward = (context: Context<EdgeEnv>) =>
    proxyToOrigin(context.req.raw, {
      originUrl: context.get("settings").originUrl,
      requestId: context.get("requestId"),
    });
  app.all("/v1/*", (context) => forward(context));
  // Liveness of the edge itself; readiness (document counts, model) is the origin's, behind the key.
  app.on(["GET", "HEAD"], "/healthz", (context) => context.json({ status: "ok" }));
  app.on(["GET", "HEAD"], "/readyz", (context) => forward(context));

  // Assets normally answer before the Worker runs; this covers paths they do not have.
  app.on(["GET", "HEAD"], "*", async (context, next) => {
    const assets = context.env.ASSETS;
    if (!assets) return next();
    const response = await assets.fetch(context.req.raw);
    return response.status === 404 ? next() : response;
  });

  app.notFound(routeNotFound);

  app.onError((error, context) => {
    const requestId = context.get("requestId");
    if (error instanceof KbError) {
      if (error.status < 500) return context.json(errorBody(error), error.status as 400);
      // The operator reads the reason (a setting, the origin's address) in the Worker's log;
      // callers learn only what failed, never an internal URL.
      logEdgeError(requestId, error);
      return context.json(
        errorBody(error, edgeFailureMessages[error.code] ?? genericFailure),
        error.status as 500,
      );
    }
    logEdgeError(requestId, error);
    const body: ErrorBody = { error: { code: "internal", message: genericFailure } };
    return context.json(body, 500);
  });

  return app;
}

const genericFailure = "The edge failed to handle the request.";

const edgeFailureMessages: Partial<Record<KbError["code"], string>> = {
  upstream_error: "The API behind this edge could not be reached. Try again in a moment.",
  invalid_config: "The edge is not configured yet; its log names the setting to fix.",
};

/** Workers keep what console writes as the Worker's log. */
function logEdgeError(requestId: string, error: unknown): void {
  const detail =
    error instanceof Error ? { error: { name: error.name, message: error.message } } : { error };
  // biome-ignore lint/suspicious/noConsole: console is the Workers runtime's log.
  console.error(
    JSON.stringify({ level: "error", message: "edge request failed", requestId, ...detail }),
  );
}
