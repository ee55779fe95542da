import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";

export interface ModelProcess {
  child: ChildProcess;
  /** Base URL for the openai SDK, ending in /v1. */
  baseURL: string;
  /** The text every answer streams. */
  answerText: string;
}

/**
 * The local OpenAI-compatible model in its own process (serve-local-chat-model.ts), so its
 * timers and writes share neither an event loop nor a CPU figure with what is measured.
 */
export async function startModelProcess(options: {
  tokens: number;
  intervalMs: number;
}): Promise<ModelProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(import.meta.dirname, "serve-local-chat-model.ts"),
      "--tokens",
      String(options.tokens),
      "--interval-ms",
      String(options.intervalMs),
    ],
    { stdio: ["ignore", "pipe", "inherit"], detached: true },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const started = JSON.parse(line) as { baseURL: string; answerText: string };
    return { child, ...started };
  }
  throw new Error("the local model exited before listening");
}

/** Stops a process group: SIGTERM, then SIGKILL if it is still there after 15 s. */
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGTERM");
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGKILL");
}
