import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./load/free-port.js";
import { processTree, rssKib } from "./load/process-tree.js";
import { parseCliArgsAndOperands, wholeNumberFlag } from "./parse-cli-args.js";

/**
 * `npm run bench:start [-- --runs 5 [command ...]]`: start-up time and idle
 * memory of the server on the sample KB, the index already up to date (the
 * usual restart). Each command is a shell command that starts a server
 * honouring PORT and KB_DB (default: `npm start` in this checkout); several
 * commands run alternately, so a before/after comparison shares the
 * machine's noise. Figures: spawn → first 200 from /readyz, and after 2 s
 * idle the RSS of the whole process tree (npm and sh wrappers included) and
 * of its largest process (the server).
 */
const usage = `Usage: npm run bench:start -- [--runs 5] [--idle 2000] [COMMAND ...]

--idle is milliseconds before reading RSS; each COMMAND is a shell command starting a
server (default: "npm start"), several run alternately.`;
const { values, operands } = parseCliArgsAndOperands(usage, {
  runs: { type: "string", default: "5" },
  idle: { type: "string", default: "2000" },
});
const runs = wholeNumberFlag(usage, "runs", values.runs, 1);
const idleMs = wholeNumberFlag(usage, "idle", values.idle, 0);
const commands = operands.length > 0 ? operands : ["npm start"];

interface Sample {
  startMs: number;
  treeMib: number;
  serverMib: number;
}

async function startOnce(command: string, dbDir: string): Promise<Sample> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn("sh", ["-c", command], {
    env: { ...process.env, PORT: String(port), KB_DB: dbDir, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start: ${command}`);
  try {
    let startMs = 0;
    while (startMs === 0) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${command}`);
      if (performance.now() - started > 120_000) throw new Error(`not ready in 120 s: ${command}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (response.status === 200) startMs = performance.now() - started;
      } catch {
        // not listening yet
      }
      if (startMs === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const rss = processTree(pid).map(rssKib);
    return {
      startMs,
      treeMib: rss.reduce((sum, value) => sum + value, 0) / 1024,
      serverMib: Math.max(...rss) / 1024,
    };
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-pid, "SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    if (child.exitCode === null) process.kill(-pid, "SIGKILL");
  }
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const workDir = await mkdtemp(join(tmpdir(), "kb-bench-start-"));
try {
  const samples = commands.map(() => [] as Sample[]);
  const dbDirs = commands.map((_, index) => join(workDir, `db-${index}`));
  // The first start of each ingests the sample KB and builds what is missing; not measured.
  for (const [index, command] of commands.entries()) await startOnce(command, dbDirs[index] ?? "");
  for (let run = 0; run < runs; run++) {
    for (const [index, command] of commands.entries()) {
      samples[index]?.push(await startOnce(command, dbDirs[index] ?? ""));
    }
  }
  process.stdout.write(`${runs} alternating runs, ${idleMs} ms idle before reading RSS\n`);
  for (const [index, command] of commands.entries()) {
    const taken = samples[index] ?? [];
    const range = (pick: (sample: Sample) => number, digits: number) => {
      const numbers = taken.map(pick);
      return `${median(numbers).toFixed(digits)} (${Math.min(...numbers).toFixed(digits)}–${Math.max(...numbers).toFixed(digits)})`;
    };
    process.stdout.write(
      [
        `${command}`,
        `  start-up to ready: ${range((sample) => sample.startMs, 0)} ms`,
        `  idle RSS, server process: ${range((sample) => sample.serverMib, 0)} MiB`,
        `  idle RSS, process tree: ${range((sample) => sample.treeMib, 0)} MiB`,
        "",
      ].join("\n"),
    );
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}
