import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "../..");

/** What `npm start` runs: the compiled server (vitest's global setup builds it when stale). */
export const compiledServer = join(repoRoot, "dist/server/main.js");

/** A port free on 127.0.0.1 a moment ago. */
export { freePort } from "../../scripts/load/free-port.js";

/**
 * `node <args>` from the repository root with only PATH, HOME and `env` in its environment
 * (nothing of the test run's leaks in), its output collected as it comes.
 */
export function runNode(args: readonly string[], env: Record<string, string>) {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
  });
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (data) => {
    output.stdout += data;
  });
  child.stderr.on("data", (data) => {
    output.stderr += data;
  });
  const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, output, exit };
}

/** Child processes of `pid` (Linux: /proc/<pid>/task/<pid>/children); none once it has ended. */
export function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return text === "" ? [] : text.split(" ").map(Number);
  } catch {
    return [];
  }
}

/** Whether a process of this pid is still running (signal 0 checks without sending). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
