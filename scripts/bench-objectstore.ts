import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { createFeatureHashEmbedder } from "../src/embed/feature-hash-embedder.js";
import { runIngest } from "../src/ingest/run-ingest.js";
import { searchKb } from "../src/retrieval/search-kb.js";
import { type KbIndex, openKbIndex } from "../src/store/kb-index.js";
import { createKbReader } from "../src/store/kb-reader.js";
import { objectStoreOptions } from "../test/helpers/object-store-env.js";
import { startS3TestServer } from "../test/helpers/s3-server.js";
import { parseCliArgs, wholeNumberFlag } from "./parse-cli-args.js";

/**
 * Search over an object store against a local directory, in one run: the sample KB (or
 * --kb) ingested into a directory and into the S3 test server on 127.0.0.1, then the same
 * questions searched in process (searchKb, as the server runs it) over the directory, over
 * the S3 server, and over it with --latency ms added to every request. Prints p50/p95 and
 * the S3 requests one search makes, by kind, and which files they read.
 */
const usage = `Usage: npm run bench:objectstore -- [--kb kb] [--rounds 5] [--latency 20]
  [--questions test/eval/kb-questions.jsonl]

--latency is milliseconds added to every request in the third measurement.`;
const values = parseCliArgs(usage, {
  kb: { type: "string", default: "kb" },
  rounds: { type: "string", default: "5" },
  latency: { type: "string", default: "20" },
  questions: { type: "string", default: "test/eval/kb-questions.jsonl" },
});
const rounds = wholeNumberFlag(usage, "rounds", values.rounds, 1);
const latencyMs = wholeNumberFlag(usage, "latency", values.latency, 0);
const out = (line: string) => process.stdout.write(`${line}\n`);

const questions = [
  "disk full on a node",
  "how do I roll back checkout-api",
  "certificate expired on the CDN",
  "Redis says max number of clients reached",
  "kafka consumer lag keeps growing",
  "postgres replication lag",
  "pods stuck in CrashLoopBackOff",
  "DNS resolution failing inside the cluster",
  "how do I rotate the database credentials",
  "has the payment gateway timed out before",
  "5xx errors after deploy",
  "node not ready in kubernetes",
];

/** The evaluation's questions over the sample KB: each asked once, before the measured rounds. */
const unseenQuestions = (await readFile(values.questions, "utf8"))
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => z.object({ question: z.string() }).parse(JSON.parse(line)).question);

const embedder = createFeatureHashEmbedder();
const root = await mkdtemp(join(tmpdir(), "kb-bench-objectstore-"));
const s3 = await startS3TestServer({ record: true });
const uri = "s3://bench/index";

const ingestInto = async (index: KbIndex, where: string) => {
  const summary = await runIngest({ kbDir: values.kb, index, embedder });
  out(`ingested ${summary.chunks} chunks into ${where} in ${summary.seconds.toFixed(2)} s`);
  index.close();
};
await ingestInto(await openKbIndex(join(root, "db")), "a directory");
await ingestInto(await openKbIndex(uri, { storageOptions: objectStoreOptions(s3) }), uri);

/** A request's file, by table and kind (data, index, manifest). */
const fileKind = (key: string) => {
  const [, table = "", folder = "", name = ""] = key.split("/");
  const kind = folder === "data" ? "data" : folder === "_indices" ? "index" : folder || name;
  return `${table.replace(/\.lance$/, "") || "(root)"}/${kind}`;
};

const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/** Searches as a server does: a reader refreshing every second, the index opened as main.ts opens it. */
const measure = async (label: string, index: KbIndex) => {
  // As the server reads: the index read whole into the cache once it is first seen (prewarm).
  const reader = createKbReader(index, { embedder, refreshMs: 1000, prewarm: true });
  await reader.snapshot();
  await reader.whenPrewarmed();
  // Each evaluation question once, on a fresh reader: none asked before since the index changed.
  const firstAsked: number[] = [];
  for (const question of unseenQuestions) {
    const started = performance.now();
    await searchKb({ reader, embedder }, { question, topK: 5 });
    firstAsked.push(performance.now() - started);
  }
  for (const question of questions) await searchKb({ reader, embedder }, { question, topK: 5 });
  s3.resetCounts();
  const samples: number[] = [];
  // Round trips one after another: requests arriving more than 5 ms after the previous one
  // started a new wave (what the search waited for before asking again).
  let waves = 0;
  let lastSequence: string[][] = [];
  for (let round = 0; round < rounds; round++) {
    for (const question of questions) {
      const first = s3.log.length;
      const started = performance.now();
      await searchKb({ reader, embedder }, { question, topK: 5 });
      samples.push(performance.now() - started);
      let last = Number.NEGATIVE_INFINITY;
      const sequence: string[][] = [];
      for (const { at, key } of s3.log.slice(first)) {
        if (at - last > 5) {
          waves++;
          sequence.push([]);
        }
        sequence.at(-1)?.push(fileKind(key));
        last = at;
      }
      lastSequence = sequence;
    }
  }
  const searches = samples.length;
  const perSearch = [...s3.counts]
    .sort(([, left], [, right]) => right - left)
    .map(([kind, count]) => `${kind} ${(count / searches).toFixed(1)}`)
    .join(", ");
  const files = new Map<string, number>();
  for (const { key } of s3.log) {
    const label = fileKind(key);
    files.set(label, (files.get(label) ?? 0) + 1);
  }
  const byFile = [...files]
    .sort(([, left], [, right]) => right - left)
    .map(([file, count]) => `${file} ${(count / searches).toFixed(1)}`)
    .join(", ");
  return {
    label,
    waves: waves / searches,
    sequence: lastSequence
      .map((wave) => {
        const counted = new Map<string, number>();
        for (const file of wave) counted.set(file, (counted.get(file) ?? 0) + 1);
        return [...counted].map(([file, count]) => `${file}×${count}`).join(" ");
      })
      .join(" → "),
    firstAskedP50: percentile(firstAsked, 50),
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    perSearch: perSearch || "none",
    byFile: byFile || "none",
  };
};

const local = await openKbIndex(join(root, "db"), { readConsistencySeconds: 1 });
const remote = await openKbIndex(uri, {
  storageOptions: objectStoreOptions(s3),
  readConsistencySeconds: 1,
});
const results = [await measure("local directory", local)];
results.push(await measure("S3 server on 127.0.0.1", remote));
s3.latencyMs = latencyMs;
results.push(await measure(`S3 server, +${latencyMs} ms per request`, remote));
s3.latencyMs = 0;

const base = results[0]?.p50 ?? Number.NaN;
const firstBase = results[0]?.firstAskedP50 ?? Number.NaN;
out(
  `\n${questions.length * rounds} searches each (searchKb, topK 5, offline embedder), after ${unseenQuestions.length} questions asked once each on a fresh reader (first asked)\n`,
);
out(
  "| index | p50 | p95 | p50 vs local | first asked p50 | vs local | S3 requests per search | round trips in sequence |",
);
out("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const result of results) {
  const remoteRow = !result.label.startsWith("local");
  out(
    `| ${result.label} | ${result.p50.toFixed(1)} ms | ${result.p95.toFixed(1)} ms | ${(result.p50 / base).toFixed(1)}x | ${result.firstAskedP50.toFixed(1)} ms | ${(result.firstAskedP50 / firstBase).toFixed(1)}x | ${remoteRow ? result.perSearch : "none"} | ${remoteRow ? result.waves.toFixed(1) : ""} |`,
  );
}
out(`\nfiles read per search on S3: ${results[1]?.byFile}`);
out(`one search's requests, wave by wave, at +${latencyMs} ms: ${results[2]?.sequence}`);
local.close();
remote.close();
await s3.close();
await rm(root, { recursive: true, force: true });
