import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { type RequestIdVariables, requestId } from "hono/request-id";
import { timingSafeEqual } from "hono/utils/buffer";
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
  Variables: RequestIdVariables & { settings: EdgeSettings };
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
  app.use("/v1/*", async (context, next) => {
    const expected = context.get("settings").apiKey;
    if (expected === undefined) return next();
    const given = /^Bearer\s+(.+)$/i.exec(context.req.header("authorization") ?? "")?.[1];
    if (given === undefined || !(await timingSafeEqual(given.trim(), expected))) {
      context.header("www-authenticate", 'Bearer realm="kb-answers"');
      throw new KbError(
        "unauthorized",
        given === undefined
          ? "This API needs a key: send Authorization: Bearer <key>"
          : "The API key is not valid",
      );
    }
    return next();
  });

  const forward = (context: Context<EdgeEnv>) =>
    proxyToOrigin(context.req.raw, {
      originUrl: context.get("settings").originUrl,
      requestId: context.get("requestId"),
    });
  app.all("/v1/*", (context) => forward(context));
  app.on(["GET", "HEAD"], ["/healthz", "/readyz"], (context) => forward(context));

  // Assets normally answer before the Worker runs; this covers paths they do not have.
  app.on(["GET", "HEAD"], "*", async (context, next) => {
    const assets = context.env.ASSETS;
    if (!assets) return next();
    const response = await assets.fetch(context.req.raw);
    return response.status === 404 ? next() : response;
  });

  app.notFound(routeNotFound);

  app.onError((error, context) => {
    if (error instanceof KbError) {
      // At the edge, 5xx messages name a setting or the origin, which is what the operator needs.
      return context.json(errorBody(error), error.status as 400);
    }
    const body: ErrorBody = {
      error: { code: "internal", message: "The edge failed to handle the request." },
    };
    return context.json(body, 500);
  });

  return app;
}
