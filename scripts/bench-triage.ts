import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { loadConfig } from "../src/config.js";
import { createFeatureHashEmbedder } from "../src/embed/feature-hash-embedder.js";
import { createApp } from "../src/http/create-app.js";
import { runIngest } from "../src/ingest/run-ingest.js";
import { silentLogger } from "../src/logger.js";
import { openKbIndex } from "../src/store/kb-index.js";
import { createKbReader } from "../src/store/kb-reader.js";
import { seededRandom } from "../src/triage/seeded-shuffle.js";
import { parseCliArgs, wholeNumberFlag } from "./parse-cli-args.js";

/**
 * Triage benchmark: a history of --tickets past tickets made from the sample
 * history (kb/tickets/history.jsonl, each ticket's text recombined with
 * another of its team's so that every text is new and embedded), ingested
 * with the offline embedder (timed: tickets, embedding, training the
 * classifier), then --requests triage requests over HTTP on 127.0.0.1.
 */
const usage = "Usage: npm run bench:triage -- [--tickets 10000] [--requests 300]";
const values = parseCliArgs(usage, {
  tickets: { type: "string", default: "10000" },
  requests: { type: "string", default: "300" },
});
const ticketCount = wholeNumberFlag(usage, "tickets", values.tickets, 1);
const requestCount = wholeNumberFlag(usage, "requests", values.requests, 1);
const out = (line: string) => process.stdout.write(`${line}\n`);

interface Record {
  id: string;
  title: string;
  description?: string;
  team?: string;
  [key: string]: unknown;
}
const sample: Record[] = readFileSync("kb/tickets/history.jsonl", "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as Record);
const random = seededRandom(11);
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
const byTeam = new Map<string, Record[]>();
for (const ticket of sample)
  byTeam.set(ticket.team ?? "", [...(byTeam.get(ticket.team ?? "") ?? []), ticket]);
const history = Array.from({ length: ticketCount }, (_, position) => {
  const base = sample[position % sample.length] as Record;
  const other = pick(byTeam.get(base.team ?? "") ?? sample);
  return {
    ...base,
    id: `BENCH${position}`,
    description: `${base.description ?? ""}\n${other.title} (case ${position})`,
  };
});

const root = await mkdtemp(join(tmpdir(), "kb-bench-triage-"));
try {
  const kbDir = join(root, "kb");
  await mkdir(join(kbDir, "tickets"), { recursive: true });
  await writeFile(
    join(kbDir, "tickets", "history.jsonl"),
    history.map((ticket) => `${JSON.stringify(ticket)}\n`).join(""),
  );
  const embedder = createFeatureHashEmbedder();
  const index = await openKbIndex(join(root, "db"), { readConsistencySeconds: 1 });
  const started = performance.now();
  const summary = await runIngest({ kbDir, index, embedder, logger: silentLogger });
  const ingestSeconds = (performance.now() - started) / 1000;

  const config = loadConfig({});
  const app = createApp({
    config: { ...config.server, rateLimitPerMinute: 0 },
    reader: createKbReader(index, { embedder }),
    embedder,
    chat: undefined,
    logger: silentLogger,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  if (!server.listening) await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  const triage = async (ticket: Record) => {
    const response = await fetch(`http://127.0.0.1:${port}/v1/triage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ticket: { title: ticket.title, description: `${ticket.description ?? ""}`.slice(0, 2000) },
      }),
    });
    if (response.status !== 200)
      throw new Error(`triage answered ${response.status}: ${await response.text()}`);
    await response.json();
  };
  for (let warm = 0; warm < 10; warm++) await triage(pick(sample));
  const times: number[] = [];
  for (let request = 0; request < requestCount; request++) {
    const ticket = pick(sample);
    const begun = performance.now();
    await triage(ticket);
    times.push(performance.now() - begun);
  }
  server.close();
  index.close();
  times.sort((left, right) => left - right);
  const percentile = (p: number) =>
    times[Math.min(times.length - 1, Math.floor((times.length * p) / 100))] as number;
  out(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`,
  );
  out(
    `ingest of ${summary.tickets.added} tickets (embedding and training included): ${ingestSeconds.toFixed(1)} s`,
  );
  out(
    `triage over HTTP, ${requestCount} requests one at a time: p50 ${percentile(50).toFixed(1)} ms, p95 ${percentile(95).toFixed(1)} ms`,
  );
  out(`process RSS: ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);
} finally {
  await rm(root, { recursive: true, force: true });
}
