import { execFileSync, spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseQuestionFile } from "../src/eval/eval-question.js";
import { freePort } from "./load/free-port.js";
import { startModelProcess, stopProcessGroup } from "./load/model-process.js";
import { openAnswerStream, type StreamOutcome } from "./load/open-answer-stream.js";
import { cpuTimes, processTree, rssKib } from "./load/process-tree.js";
import { numberFlag, parseCliArgs, wholeNumberFlag, wholeNumbersFlag } from "./parse-cli-args.js";

/**
 * `npm run bench:load [-- options]`: many answer streams at once against the
 * compiled server (dist/server/main.js, built when stale) over the sample KB,
 * on 127.0.0.1 only. A local OpenAI-compatible model (its own process) streams
 * --tokens tokens --interval-ms apart; streams arrive --rate a second with the
 * evaluation's real questions (real retrieval) until --concurrency are open,
 * for --duration seconds, then the open ones finish (at most --drain seconds).
 *
 * Each --server is a shell command that starts a server honouring PORT,
 * KB_DIR, KB_DB and the model settings (default: what `npm start` runs, without npm);
 * several run in turn for each concurrency, so a before/after comparison
 * shares the machine's noise. The bench configures the server's limits for
 * the load through its environment (RATE_LIMIT_PER_MINUTE=0,
 * MAX_CONCURRENT_ANSWERS and ANSWER_QUEUE_SIZE at the concurrency); the
 * server still binds loopback only, without keys.
 *
 * Prints per run: broken streams (not 200, events out of order, a fallback,
 * deltas not joining to the model's text), p50/p95 time to `sources` and to
 * the last event, server CPU seconds per answer (/proc, all the server's
 * processes) and peak server memory (RSS summed over them, sampled every 100 ms).
 */
const usage = `Usage: npm run bench:load -- [--concurrency 500,1000] [--rate 100] [--duration 30]
  [--drain 30] [--tokens 200] [--interval-ms 50] [--runs 1] [--server COMMAND]...
  [--questions test/eval/kb-questions.jsonl] [--kb kb]

--rate is streams a second, --duration and --drain are seconds. Each --server is a shell
command starting a server (default: what npm start runs, without npm).`;
const values = parseCliArgs(usage, {
  concurrency: { type: "string", default: "500,1000" },
  rate: { type: "string", default: "100" },
  duration: { type: "string", default: "30" },
  drain: { type: "string", default: "30" },
  tokens: { type: "string", default: "200" },
  "interval-ms": { type: "string", default: "50" },
  runs: { type: "string", default: "1" },
  server: { type: "string", multiple: true },
  questions: { type: "string", default: "test/eval/kb-questions.jsonl" },
  kb: { type: "string", default: "kb" },
});
const concurrencies = wholeNumbersFlag(usage, "concurrency", values.concurrency, 1);
const ratePerSecond = numberFlag(usage, "rate", values.rate, { above: 0 });
const durationMs = numberFlag(usage, "duration", values.duration, { above: 0 }) * 1000;
const drainMs = numberFlag(usage, "drain", values.drain, { min: 0 }) * 1000;
const tokens = wholeNumberFlag(usage, "tokens", values.tokens, 1);
const intervalMs = wholeNumberFlag(usage, "interval-ms", values["interval-ms"], 0);
const runs = wholeNumberFlag(usage, "runs", values.runs, 1);
/** `npm start`'s command: the server with its V8 heap settings (README, "Runtime"). */
const startCommand = (
  JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8")) as {
    scripts: { start: string };
  }
).scripts.start.replace(/^exec /, "");
const servers = values.server ?? [startCommand];
const repoRoot = join(import.meta.dirname, "..");
const kbDir = join(repoRoot, values.kb);
const questions = parseQuestionFile(readFileSync(values.questions, "utf8"), values.questions).map(
  (entry) => entry.question,
);
const out = (line: string) => process.stdout.write(`${line}\n`);

interface RunResult {
  outcomes: StreamOutcome[];
  peakOpen: number;
  cpuSecondsUsed: number;
  /** The kernel's part of it (socket reads and writes, mostly). */
  systemCpuSeconds: number;
  peakRssMib: number;
  /** RSS summed over the server's processes when the load began. MiB. */
  startRssMib: number;
  processes: number;
}

async function runOnce(
  command: string,
  dbDir: string,
  concurrency: number,
  model: { baseURL: string; answerText: string },
  logFile: string,
): Promise<RunResult> {
  const port = await freePort();
  const server = spawn("sh", ["-c", `exec ${command}`], {
    cwd: repoRoot,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      KB_DIR: kbDir,
      KB_DB: dbDir,
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: "bench",
      CHAT_MODEL: "bench-model",
      RATE_LIMIT_PER_MINUTE: "0",
      MAX_CONCURRENT_ANSWERS: String(concurrency),
      ANSWER_QUEUE_SIZE: String(concurrency),
    },
    stdio: ["ignore", openSync(logFile, "a"), openSync(logFile, "a")],
    detached: true,
  });
  const pid = server.pid;
  if (pid === undefined) throw new Error(`could not start: ${command}`);
  try {
    const started = performance.now();
    for (;;) {
      if (server.exitCode !== null)
        throw new Error(`exited with ${server.exitCode}: ${command} (log: ${logFile})`);
      if (performance.now() - started > 120_000) throw new Error(`not ready in 120 s: ${command}`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) break;
      await sleep(50);
    }
    const url = new URL(`http://127.0.0.1:${port}/v1/ask`);
    // A few answers first, so start-up work (JIT, the index's first reads) is not measured.
    await Promise.all(
      questions.slice(0, 4).map((question) => openAnswerStream(url, question, undefined)),
    );

    const cpuOf = () =>
      processTree(pid).reduce(
        (sum, each) => {
          const times = cpuTimes(each);
          return { user: sum.user + times.user, system: sum.system + times.system };
        },
        { user: 0, system: 0 },
      );
    const cpuBefore = cpuOf();
    // What the server held before the load (start-up ingest and warm-up included), to tell it from what the load adds.
    const startRssKib = processTree(pid).reduce((sum, each) => sum + rssKib(each), 0);
    let peakRssKib = 0;
    let processes = 0;
    const sampler = setInterval(() => {
      const tree = processTree(pid);
      processes = Math.max(processes, tree.length);
      peakRssKib = Math.max(
        peakRssKib,
        tree.reduce((sum, each) => sum + rssKib(each), 0),
      );
    }, 100);

    const pending: Promise<StreamOutcome>[] = [];
    let open = 0;
    let peakOpen = 0;
    let opened = 0;
    const loadStarted = performance.now();
    await new Promise<void>((resolve) => {
      const arrivals = setInterval(() => {
        const elapsed = performance.now() - loadStarted;
        if (elapsed >= durationMs) {
          clearInterval(arrivals);
          resolve();
          return;
        }
        // Arrivals follow the clock, not the timer: a late tick opens the streams it owes.
        const due = Math.floor((elapsed / 1000) * ratePerSecond) - opened;
        for (let n = 0; n < due && open < concurrency; n++) {
          const question = questions[opened % questions.length] ?? "";
          opened++;
          open++;
          peakOpen = Math.max(peakOpen, open);
          pending.push(
            openAnswerStream(url, question, model.answerText).finally(() => {
              open--;
            }),
          );
        }
        // Streams not opened because `concurrency` are open are skipped, not queued.
        opened = Math.max(opened, Math.floor((elapsed / 1000) * ratePerSecond));
      }, 5);
    });
    const unfinished: StreamOutcome = {
      broken: `unfinished after ${drainMs / 1000} s`,
      toSourcesMs: Number.NaN,
      toLastEventMs: Number.NaN,
      deltaEvents: 0,
    };
    const outcomes = await Promise.all(
      pending.map((outcome) => Promise.race([outcome, sleep(drainMs).then(() => unfinished)])),
    );
    clearInterval(sampler);
    const cpuAfter = cpuOf();
    const systemCpuSeconds = cpuAfter.system - cpuBefore.system;
    return {
      outcomes,
      peakOpen,
      cpuSecondsUsed: cpuAfter.user - cpuBefore.user + systemCpuSeconds,
      systemCpuSeconds,
      peakRssMib: peakRssKib / 1024,
      startRssMib: startRssKib / 1024,
      processes,
    };
  } finally {
    await stopProcessGroup(server);
  }
}

const percentile = (samples: number[], p: number) => {
  const sorted = samples
    .filter((value) => !Number.isNaN(value))
    .sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

execFileSync(process.execPath, [join(repoRoot, "scripts/build-if-stale.mjs")], {
  cwd: repoRoot,
  stdio: "inherit",
});
const workDir = await mkdtemp(join(tmpdir(), "kb-bench-load-"));
const model = await startModelProcess({ tokens, intervalMs });
try {
  out(
    `bench:load on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  out(
    `model: ${tokens} tokens ${intervalMs} ms apart; arrivals ${ratePerSecond}/s for ${durationMs / 1000} s; ${questions.length} questions over ${kbDir}`,
  );
  for (const concurrency of concurrencies) {
    for (let run = 0; run < runs; run++) {
      for (const [index, command] of servers.entries()) {
        const result = await runOnce(
          command,
          join(workDir, `db-${index}`),
          concurrency,
          model,
          join(workDir, `server-${index}.log`),
        );
        const broken = result.outcomes.filter((outcome) => outcome.broken !== undefined);
        const reasons = new Map<string, number>();
        for (const outcome of broken) {
          reasons.set(outcome.broken ?? "", (reasons.get(outcome.broken ?? "") ?? 0) + 1);
        }
        const toSources = result.outcomes.map((outcome) => outcome.toSourcesMs);
        const toLast = result.outcomes.map((outcome) => outcome.toLastEventMs);
        const deltas = result.outcomes.reduce((sum, outcome) => sum + outcome.deltaEvents, 0);
        out(
          [
            `${command} — up to ${concurrency} concurrent (peak ${result.peakOpen})`,
            `  streams ${result.outcomes.length}, broken ${broken.length}${broken.length > 0 ? ` (${[...reasons].map(([reason, count]) => `${count}× ${reason}`).join("; ")})` : ""}`,
            `  to sources: p50 ${percentile(toSources, 50).toFixed(1)} ms, p95 ${percentile(toSources, 95).toFixed(1)} ms`,
            `  to last event: p50 ${percentile(toLast, 50).toFixed(0)} ms, p95 ${percentile(toLast, 95).toFixed(0)} ms`,
            `  server CPU per answer: ${((result.cpuSecondsUsed / result.outcomes.length) * 1000).toFixed(1)} ms (${result.cpuSecondsUsed.toFixed(1)} s for ${result.outcomes.length}, ${((result.systemCpuSeconds / result.cpuSecondsUsed) * 100).toFixed(0)}% in the kernel)`,
            `  peak server memory: ${result.peakRssMib.toFixed(0)} MiB (${result.startRssMib.toFixed(0)} when the load began) over ${result.processes} process(es); delta events per answer ${(deltas / result.outcomes.length).toFixed(1)}`,
          ].join("\n"),
        );
      }
    }
  }
} finally {
  await stopProcessGroup(model.child);
  await rm(workDir, { recursive: true, force: true });
}
