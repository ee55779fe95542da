import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { assetHeaders } from "../src/http/asset-headers.js";
import { buildWidgetAssets } from "../src/widget/build-widget.js";

/**
 * Writes the widget and the demo page to dist/public, where the edge Worker's
 * static assets come from (wrangler.toml `[assets]`): the same bundle the Node
 * server builds in memory at start.
 */
const outDir = join(import.meta.dirname, "..", "dist", "public");
const { widgetJs, triageJs, demoHtml } = await buildWidgetAssets();
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, "widget.js"), widgetJs);
await writeFile(join(outDir, "triage.js"), triageJs);
await writeFile(join(outDir, "index.html"), demoHtml);
// Workers Static Assets read response headers from this file (not served itself).
await writeFile(
  join(outDir, "_headers"),
  [
    "/widget.js",
    `  Cache-Control: ${assetHeaders.widgetCacheControl}`,
    "/triage.js",
    `  Cache-Control: ${assetHeaders.widgetCacheControl}`,
    "/",
    `  Content-Security-Policy: ${assetHeaders.demoPageContentSecurityPolicy}`,
    "",
  ].join("\n"),
);
process.stdout.write(`wrote widget.js, triage.js, index.html and _headers to ${outDir}\n`);
