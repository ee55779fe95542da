import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { renderDemoPage } from "./demo-page.js";

export interface WidgetAssets {
  /** The `<kb-answer>` custom element as one classic script, minified. */
  widgetJs: string;
  /** The demo page served at `/`. */
  demoHtml: string;
}

const entryPoint = fileURLToPath(new URL("./widget-entry.ts", import.meta.url));

/**
 * Bundles the widget from its TypeScript source. The server does this once at
 * start (about 100 ms), so what it serves can never drift from the source; the
 * edge build writes the same output to files.
 */
export async function buildWidgetAssets(): Promise<WidgetAssets> {
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
  if (!output) throw new Error("esbuild produced no widget bundle");
  return { widgetJs: output.text, demoHtml: renderDemoPage() };
}
