import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { renderDemoPage } from "./demo-page.js";
import type { WidgetAssets } from "./widget-assets.js";

const widgetEntry = fileURLToPath(new URL("./widget-entry.ts", import.meta.url));
const triageEntry = fileURLToPath(new URL("./triage-entry.ts", import.meta.url));

/**
 * Bundles the widget from its TypeScript source: `npm run build` writes the
 * result to dist/public for the Node server and the edge Worker, and tests
 * bundle it in memory the same way.
 */
export async function buildWidgetAssets(): Promise<WidgetAssets> {
  const [widgetJs, triageJs] = await Promise.all([bundle(widgetEntry), bundle(triageEntry)]);
  return { widgetJs, triageJs, demoHtml: renderDemoPage() };
}

/** One entry as one minified classic script. */
async function bundle(entryPoint: string): Promise<string> {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2022"],
    platform: "browser",
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no bundle for ${entryPoint}`);
  return output.text;
}
