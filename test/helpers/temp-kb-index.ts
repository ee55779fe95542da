import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Embedder } from "../../src/embed/embedder.js";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { type IngestSummary, runIngest } from "../../src/ingest/run-ingest.js";
import { type KbIndex, type OpenKbIndexOptions, openKbIndex } from "../../src/store/kb-index.js";
import { createKbReader, type KbReader, type KbReaderOptions } from "../../src/store/kb-reader.js";
import { writeFiles } from "./temp-dir.js";

export interface TempKbIndexOptions {
  /**
   * The KB ingested: `files` (path relative to the KB folder → content) written into a fresh
   * folder, `dir` an existing folder ingested where it is (never written), or `copyOf` an
   * existing folder copied first, so that the test may edit the copy.
   */
  kb: { files: Record<string, string | Uint8Array> } | { dir: string } | { copyOf: string };
  /** Ingests and reads with this embedder; default the offline feature-hash one. */
  embedder?: Embedder;
  /** Passed to openKbIndex, e.g. `readConsistencySeconds: 0` as a server opens it. */
  indexOptions?: OpenKbIndexOptions;
  /** Passed to createKbReader with the embedder. */
  readerOptions?: Omit<KbReaderOptions, "embedder">;
}

export interface TempKbIndex {
  /** The temporary folder holding the index (`db/`) and, unless `kb.dir` was given, the KB. */
  dir: string;
  kbDir: string;
  index: KbIndex;
  reader: KbReader;
  /** Ingest the KB folder again (after a test edits it), as the first ingest did. */
  ingest(): Promise<IngestSummary>;
  /** Close the index and remove `dir`. */
  close(): Promise<void>;
}

/**
 * A real LanceDB index in a temporary folder with the KB ingested into it by the real ingest,
 * and a reader over it: the setup of a suite that searches or reads an index.
 */
export async function openTempKbIndex(options: TempKbIndexOptions): Promise<TempKbIndex> {
  const dir = await mkdtemp(join(tmpdir(), "kb-answers-index-"));
  const embedder = options.embedder ?? createFeatureHashEmbedder();
  let index: KbIndex | undefined;
  try {
    const { kb } = options;
    const kbDir = "dir" in kb ? kb.dir : join(dir, "kb");
    if ("files" in kb) await writeFiles(kbDir, kb.files);
    if ("copyOf" in kb) await cp(kb.copyOf, kbDir, { recursive: true });
    const opened = await openKbIndex(join(dir, "db"), options.indexOptions);
    index = opened;
    const ingest = () => runIngest({ kbDir, index: opened, embedder });
    await ingest();
    return {
      dir,
      kbDir,
      index: opened,
      reader: createKbReader(opened, { ...options.readerOptions, embedder }),
      ingest,
      async close() {
        opened.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    // A setup that fails leaves nothing behind for an afterAll that never got the handle.
    index?.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
