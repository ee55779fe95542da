import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "../..");

/** What `npm start` runs: the compiled server (vitest's global setup builds it when stale). */
export const compiledServer = join(repoRoot, "dist/server/main.js");

/** A port free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

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
