import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { WidgetAssets } from "../widget/widget-assets.js";

/**
 * Reads the widget and demo page that `npm run build` wrote, so the serving
 * process never bundles anything itself.
 */
export async function readWidgetAssets(publicDir: string): Promise<WidgetAssets> {
  const read = async (name: string) => {
    const path = join(publicDir, name);
    try {
      return await readFile(path, "utf8");
    } catch (error) {
      throw new Error(`${path} is missing or unreadable: run npm run build`, { cause: error });
    }
  };
  const [widgetJs, triageJs, demoHtml] = await Promise.all([
    read("widget.js"),
    read("triage.js"),
    read("index.html"),
  ]);
  return { widgetJs, triageJs, demoHtml };
}
