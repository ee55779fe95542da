import { readFile } from "node:fs/promises";
import { join } from "node:path";
import MiniSearch from "minisearch";
import { listKbFiles } from "../ingest/list-kb-files.js";
import type { RankedResult } from "./retrieval-metrics.js";

/**
 * The baseline our retrieval has to beat: plain BM25 over whole documents
 * (MiniSearch, no fuzzy or prefix matching, which weaken it on ops text).
 */
export interface Bm25Baseline {
  search(text: string, limit: number): RankedResult[];
}

export async function buildBm25Baseline(kbDir: string): Promise<Bm25Baseline> {
  const paths = await listKbFiles(kbDir);
  const documents = await Promise.all(
    paths.map(async (path) => ({ id: path, text: await readFile(join(kbDir, path), "utf8") })),
  );
  const index = new MiniSearch<{ id: string; text: string }>({
    fields: ["text"],
    storeFields: ["text"],
    searchOptions: { fuzzy: false, prefix: false, combineWith: "OR" },
  });
  index.addAll(documents);
  return {
    search(text, limit) {
      return index
        .search(text)
        .slice(0, limit)
        .map((hit) => ({ path: String(hit.id), text: String(hit.text) }));
    },
  };
}
