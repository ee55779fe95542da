import { createHash } from "node:crypto";
import type { Hono } from "hono";
import type { WidgetAssets } from "../../widget/widget-assets.js";
import type { AppEnv } from "../app-env.js";
import { assetHeaders } from "../asset-headers.js";

/** `/widget.js` (revalidated by ETag) and the demo page at `/`. */
export function registerAssetRoutes(app: Hono<AppEnv>, assets: WidgetAssets): void {
  // Computed once: the script cannot change while the server runs.
  const widgetHash = createHash("sha256").update(assets.widgetJs).digest("hex").slice(0, 16);
  const widgetEtag = `"${widgetHash}-${assets.widgetJs.length.toString(16)}"`;
  app.get("/widget.js", (context) => {
    context.header("cache-control", assetHeaders.widgetCacheControl);
    context.header("etag", widgetEtag);
    if (context.req.header("if-none-match") === widgetEtag) return context.body(null, 304);
    context.header("content-type", "text/javascript; charset=utf-8");
    return context.body(assets.widgetJs);
  });
  app.get("/", (context) => {
    context.header("content-security-policy", assetHeaders.demoPageContentSecurityPolicy);
    return context.html(assets.demoHtml);
  });
}
