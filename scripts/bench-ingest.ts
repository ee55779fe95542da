import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { createFeatureHashEmbedder } from "../src/embed/feature-hash-embedder.js";
import { runIngest } from "../src/ingest/run-ingest.js";
import { openKbIndex } from "../src/store/kb-index.js";
import { generateKb } from "./generate-kb.js";
import { parseCliArgs, wholeNumberFlag } from "./parse-cli-args.js";

/**
 * Ingest benchmark on a generated KB with the offline embedder:
 * full ingest (chunks/s), unchanged re-ingest, one-file-changed re-ingest, peak RSS.
 */
const usage = "Usage: npm run bench:ingest -- [--documents 5000]";
const values = parseCliArgs(usage, { documents: { type: "string", default: "5000" } });
const documents = wholeNumberFlag(usage, "documents", values.documents, 1);

const root = await mkdtemp(join(tmpdir(), "kb-bench-ingest-"));
const out = (line: string) => process.stdout.write(`${line}\n`);
try {
  const kbDir = join(root, "kb");
  out(`generating ${documents} documents in ${kbDir}`);
  const paths = await generateKb(kbDir, { documents });
  const index = await openKbIndex(join(root, "db"));
  const embedder = createFeatureHashEmbedder();

  const full = await runIngest({ kbDir, index, embedder });
  const rssAfterFull = process.memoryUsage().rss;
  const unchanged = await runIngest({ kbDir, index, embedder });
  await appendFile(
    join(kbDir, paths[Math.floor(paths.length / 2)] as string),
    "\n## Added later\n\nOne more step.\n",
  );
  const oneChanged = await runIngest({ kbDir, index, embedder });
  index.close();

  const figures = {
    machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`,
    documents,
    chunks: full.chunks,
    fullIngestSeconds: full.seconds,
    chunksPerSecond: Math.round(full.chunks / full.seconds),
    unchangedReingestSeconds: unchanged.seconds,
    oneFileChangedReingestSeconds: oneChanged.seconds,
    oneFileChangedEmbedded: oneChanged.embedded,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    rssAfterFullIngestMiB: Math.round(rssAfterFull / 2 ** 20),
  };
  out("");
  out(`machine                         ${figures.machine}`);
  out(`documents / chunks              ${documents} / ${figures.chunks}`);
  out(
    `full ingest                     ${figures.fullIngestSeconds.toFixed(2)} s (${figures.chunksPerSecond} chunks/s; target >= 2000)`,
  );
  out(`re-ingest, nothing changed      ${figures.unchangedReingestSeconds.toFixed(2)} s`);
  out(
    `re-ingest, one file changed     ${figures.oneFileChangedReingestSeconds.toFixed(2)} s (target < 1 s; ${figures.oneFileChangedEmbedded} texts embedded)`,
  );
  out(`peak RSS                        ${figures.peakRssMiB} MiB`);
  out(JSON.stringify(figures));
} finally {
  await rm(root, { recursive: true, force: true });
}
