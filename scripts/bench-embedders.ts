import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultSuites } from "../src/cli/eval-cli.js";
import type { Embedder } from "../src/embed/embedder.js";
import { createFeatureHashEmbedder } from "../src/embed/feature-hash-embedder.js";
import { createUseLiteEmbedder } from "../src/embed/use-lite-embedder.js";
import { parseQuestionFile } from "../src/eval/eval-question.js";
import type { RetrievalMetrics } from "../src/eval/retrieval-metrics.js";
import { runEval } from "../src/eval/run-eval.js";
import { runIngest } from "../src/ingest/run-ingest.js";
import type { RetrievalTuning } from "../src/retrieval/retrieval-tuning.js";
import { searchKb } from "../src/retrieval/search-kb.js";
import { openKbIndex } from "../src/store/kb-index.js";
import { createKbReader } from "../src/store/kb-reader.js";
import { parseCliArgs } from "./parse-cli-args.js";

const usage = `Usage: npm run bench:embedders -- [--embedders hash,use-lite] [--suites kb|kb,corpus]

Compares the offline embedders in one run, each in a child process of its own
(so that peak RSS is its own): quality (recall@1, recall@5, MRR@10 from the
eval question sets) at several vector weights, and cost (model load, ingest
chunks/s with embedding, retrieval latency p50/p95, peak RSS, install size).
The default runs kb/ only (about 4 minutes); --suites kb,corpus adds
../shared/corpus, whose 2,253 chunks take USE-lite 5-8 minutes to embed.`;

const embedderNames = ["hash", "use-lite"] as const;
type EmbedderName = (typeof embedderNames)[number];

/** Fusion settings tried for each embedder: BM25 alone, fused at three weights, vectors alone. */
const variants: { label: string; tuning: Partial<RetrievalTuning> }[] = [
  { label: "BM25 only (weight 0)", tuning: { vectorWeight: 0 } },
  { label: "fused, weight 0.25", tuning: { vectorWeight: 0.25 } },
  { label: "fused, weight 0.5", tuning: { vectorWeight: 0.5 } },
  { label: "fused, weight 1", tuning: { vectorWeight: 1 } },
  { label: "vectors only", tuning: { vectorWeight: 1, fullTextWeight: 0 } },
];

/** The packages only USE-lite needs (npm ls: nothing else depends on them). */
const useLitePackages = ["@energetic-ai", "seedrandom"];

interface VariantFigures {
  label: string;
  metrics: RetrievalMetrics;
  p50Ms: number;
  p95Ms: number;
}

interface SuiteFigures {
  suite: string;
  chunks: number;
  ingestSeconds: number;
  chunksPerSecond: number;
  /** The embedder's own share of the ingest: texts embedded per second of embed calls. */
  embedTextsPerSecond: number;
  baseline: RetrievalMetrics;
  variants: VariantFigures[];
}

interface EmbedderFigures {
  embedder: string;
  modelLoadSeconds: number;
  suites: SuiteFigures[];
  peakRssMiB: number;
}

const values = parseCliArgs(usage, {
  embedders: { type: "string", default: embedderNames.join(",") },
  suites: { type: "string", default: "kb" },
  child: { type: "string" },
});
const suiteNames = values.suites.split(",").map((name) => name.trim());
const suites = defaultSuites.filter((suite) => suiteNames.includes(suite.name));
const log = (line: string) => process.stderr.write(`${line}\n`);

if (values.child !== undefined) {
  process.stdout.write(`${JSON.stringify(await measure(values.child as EmbedderName))}\n`);
} else {
  const chosen = values.embedders.split(",").map((name) => name.trim());
  const unknown = chosen.filter((name) => !(embedderNames as readonly string[]).includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown embedder ${unknown.join(", ")}\n\n${usage}\n`);
    process.exit(2);
  }
  const started = performance.now();
  const results: EmbedderFigures[] = [];
  for (const name of chosen) results.push(await runChild(name));
  const installMiB = await installSize();
  printTables(results, installMiB, (performance.now() - started) / 1000);
}

function createBenchEmbedder(name: EmbedderName): Embedder {
  return name === "use-lite" ? createUseLiteEmbedder() : createFeatureHashEmbedder();
}

/** One embedder, in this process: load, then per suite ingest (timed), eval and time each variant. */
async function measure(name: EmbedderName): Promise<EmbedderFigures> {
  const clock = { seconds: 0, texts: 0 };
  const embedder = timeEmbedCalls(createBenchEmbedder(name), clock);
  // The eval pass reads query vectors from here; the timed pass embeds every query afresh.
  const evalEmbedder = memoiseEmbeddings(embedder);
  const loadStarted = performance.now();
  await embedder.embed(["warm up"]);
  const modelLoadSeconds = (performance.now() - loadStarted) / 1000;
  const figures: SuiteFigures[] = [];
  for (const suite of suites) {
    if (!existsSync(suite.kbDir)) {
      log(`${suite.kbDir} not found: skipping the ${suite.name} question set`);
      continue;
    }
    const questions = parseQuestionFile(
      await readFile(suite.questionsPath, "utf8"),
      suite.questionsPath,
    );
    const scratch = await mkdtemp(join(tmpdir(), "kb-bench-embedders-"));
    const index = await openKbIndex(join(scratch, "db"));
    try {
      log(`${embedder.id}: ingesting ${suite.kbDir}`);
      clock.seconds = 0;
      clock.texts = 0;
      const ingest = await runIngest({ kbDir: suite.kbDir, index, embedder });
      const embedTextsPerSecond = Math.round(clock.texts / clock.seconds);
      const reader = createKbReader(index, { embedder, refreshMs: 0 });
      const suiteFigures: SuiteFigures = {
        suite: `${suite.name} (${questions.length})`,
        chunks: ingest.chunks,
        ingestSeconds: ingest.seconds,
        chunksPerSecond: Math.round(ingest.chunks / ingest.seconds),
        embedTextsPerSecond,
        baseline: { n: 0, "recall@1": 0, "recall@5": 0, "mrr@10": 0, fact_coverage: 0 },
        variants: [],
      };
      for (const variant of variants) {
        log(`${embedder.id}: ${suite.name}, ${variant.label}`);
        // The index is ingested already: runEval's own ingest finds nothing to do.
        const report = await runEval({
          kbDir: suite.kbDir,
          questions,
          index,
          embedder: evalEmbedder,
          tuning: variant.tuning,
        });
        suiteFigures.baseline = report.baseline;
        const samples: number[] = [];
        for (const question of questions) {
          const queryStarted = performance.now();
          await searchKb(
            { reader, embedder, tuning: variant.tuning },
            { question: question.question, ticket: question.ticket, topK: 10 },
          );
          samples.push(performance.now() - queryStarted);
        }
        const { by_category: _byCategory, ...metrics } = report.ours;
        suiteFigures.variants.push({
          label: variant.label,
          metrics,
          p50Ms: percentile(samples, 50),
          p95Ms: percentile(samples, 95),
        });
      }
      figures.push(suiteFigures);
    } finally {
      index.close();
      await rm(scratch, { recursive: true, force: true });
    }
  }
  return {
    embedder: embedder.id,
    modelLoadSeconds,
    suites: figures,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** Adds up the time spent in embed calls and the texts they carried. */
function timeEmbedCalls(embedder: Embedder, clock: { seconds: number; texts: number }): Embedder {
  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    maxBatchSize: embedder.maxBatchSize,
    maxParallelCalls: embedder.maxParallelCalls,
    async embed(texts, options) {
      const started = performance.now();
      try {
        return await embedder.embed(texts, options);
      } finally {
        clock.seconds += (performance.now() - started) / 1000;
        clock.texts += texts.length;
      }
    },
  };
}

/** Same vectors, each text embedded once: the variants ask for the same query vectors. */
function memoiseEmbeddings(embedder: Embedder): Embedder {
  const seen = new Map<string, Float32Array>();
  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    maxBatchSize: embedder.maxBatchSize,
    maxParallelCalls: embedder.maxParallelCalls,
    async embed(texts, options) {
      const missing = [...new Set(texts.filter((text) => !seen.has(text)))];
      const vectors = missing.length > 0 ? await embedder.embed(missing, options) : [];
      missing.forEach((text, position) => {
        seen.set(text, vectors[position] as Float32Array);
      });
      return texts.map((text) => seen.get(text) as Float32Array);
    },
  };
}

/** Run this script for one embedder in a fresh Node process (same tsx loader), reading its JSON line. */
function runChild(name: string): Promise<EmbedderFigures> {
  const script = fileURLToPath(import.meta.url);
  const args = [...process.execArgv, script, "--child", name, "--suites", suiteNames.join(",")];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const last = output.trim().split("\n").at(-1) ?? "";
      if (code !== 0) reject(new Error(`${name} benchmark exited with ${code}`));
      else resolve(JSON.parse(last) as EmbedderFigures);
    });
  });
}

async function installSize(): Promise<number> {
  let bytes = 0;
  for (const name of useLitePackages) bytes += await directorySize(join("node_modules", name));
  return bytes / 2 ** 20;
}

async function directorySize(path: string): Promise<number> {
  if (!existsSync(path)) return 0;
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    total += entry.isDirectory() ? await directorySize(child) : (await stat(child)).size;
  }
  return total;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function printTables(results: EmbedderFigures[], installMiB: number, seconds: number): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const number = (value: number) => value.toFixed(3);
  out("");
  out(
    `machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`,
  );
  out("");
  out("| embedder | set | retrieval | recall@1 | recall@5 | MRR@10 | p50 ms | p95 ms |");
  out("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const result of results) {
    for (const suite of result.suites) {
      for (const variant of suite.variants) {
        out(
          `| ${result.embedder} | ${suite.suite} | ${variant.label} | ${number(variant.metrics["recall@1"])} | ${number(variant.metrics["recall@5"])} | ${number(variant.metrics["mrr@10"])} | ${variant.p50Ms.toFixed(1)} | ${variant.p95Ms.toFixed(1)} |`,
        );
      }
    }
  }
  for (const suite of results[0]?.suites ?? []) {
    out(
      `| (baseline) | ${suite.suite} | BM25 over whole documents | ${number(suite.baseline["recall@1"])} | ${number(suite.baseline["recall@5"])} | ${number(suite.baseline["mrr@10"])} | | |`,
    );
  }
  out("");
  out(
    "| embedder | model load s | ingest chunks/s (embedding included) | embedding alone, texts/s | peak RSS MiB | install size |",
  );
  out("| --- | --- | --- | --- | --- | --- |");
  for (const result of results) {
    const ingest = result.suites
      .map(
        (suite) =>
          `${suite.suite.split(" ")[0]}: ${suite.chunksPerSecond} (${suite.chunks} in ${suite.ingestSeconds.toFixed(1)} s)`,
      )
      .join("; ");
    const embedding = result.suites
      .map((suite) => `${suite.suite.split(" ")[0]}: ${suite.embedTextsPerSecond}`)
      .join("; ");
    const install = result.embedder.includes("use-lite")
      ? `${installMiB.toFixed(1)} MiB extra`
      : "0 (no extra package)";
    out(
      `| ${result.embedder} | ${result.modelLoadSeconds.toFixed(2)} | ${ingest} | ${embedding} | ${result.peakRssMiB} | ${install} |`,
    );
  }
  out("");
  out(`total run time ${seconds.toFixed(0)} s`);
}
