import { spawn } from "node:child_process";
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
