import { createHash } from "node:crypto";
import type { Hono } from "hono";
import type { WidgetAssets } from "../../widget/widget-assets.js";
import type { AppEnv } from "../app-env.js";
import { assetHeaders } from "../asset-headers.js";

/** `/widget.js` and `/triage.js` (revalidated by ETag) and the demo page at `/`. */
export function registerAssetRoutes(app: Hono<AppEnv>, assets: WidgetAssets): void {
  serveScript(app, "/widget.js", assets.widgetJs);
  serveScript(app, "/triage.js", assets.triageJs);
  app.get("/", (context) => {
    context.header("content-security-policy", assetHeaders.demoPageContentSecurityPolicy);
    return context.html(assets.demoHtml);
  });
}

function serveScript(app: Hono<AppEnv>, path: string, script: string): void {
  // Computed once: the script cannot change while the server runs.
  const hash = createHash("sha256").update(script).digest("hex").slice(0, 16);
  const etag = `"${hash}-${script.length.toString(16)}"`;
  app.get(path, (context) => {
    context.header("cache-control", assetHeaders.widgetCacheControl);
    context.header("etag", etag);
    if (context.req.header("if-none-match") === etag) return context.body(null, 304);
    context.header("content-type", "text/javascript; charset=utf-8");
    return context.body(script);
  });
}
